import type { AgentConfig, Task, TaskSpawner, Workspace } from '@kelos/shared';
import type { KelosObjects } from '../kube/kelos.js';
import type { KindName } from '../resources.js';
import { age, humanDuration } from './age.js';

/** A table layout: the headers of `get` (cli spec §7) and the extra ones of `-o wide`. */
export interface Columns<T> {
  headers: readonly string[];
  wideHeaders: readonly string[];
  row(object: T, now: number): string[];
  wideRow(object: T): string[];
}

const dash = (value: string | undefined) => (value ? value : '-');

export function agentConfigNames(spec: Task['spec'] | TaskSpawner['spec']['taskTemplate']): string[] {
  if (spec.agentConfigRefs) return spec.agentConfigRefs.map((r) => r.name);
  return spec.agentConfigRef ? [spec.agentConfigRef.name] : [];
}

/** `-` until the Task started; then up to its completion, or up to now while it runs. */
export function taskDuration(task: Task, now: number): string {
  const start = task.status?.startTime;
  if (!start) return '-';
  const end = task.status?.completionTime ? Date.parse(task.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

/** The SOURCE column of a TaskSpawner (cli spec §7, the v1alpha1 sources). */
export function spawnerSource(spawner: TaskSpawner): string {
  const when = spawner.spec.when;
  if (when.githubIssues) return 'GitHub Issues';
  if (when.githubPullRequests) return 'GitHub Pull Requests';
  if (when.cron) return `cron: ${when.cron.schedule}`;
  return '-';
}

const TASK: Columns<Task> = {
  headers: ['NAME', 'TYPE', 'PHASE', 'BRANCH', 'WORKSPACE', 'AGENT CONFIG', 'DURATION', 'AGE'],
  wideHeaders: ['MODEL', 'DEPENDS ON', 'POD'],
  row: (t, now) => [
    t.metadata.name ?? '',
    t.spec.type,
    dash(t.status?.phase),
    dash(t.spec.branch),
    dash(t.spec.workspaceRef?.name),
    dash(agentConfigNames(t.spec).join(',')),
    taskDuration(t, now),
    age(t.metadata.creationTimestamp, now),
  ],
  wideRow: (t) => [dash(t.spec.model), dash(t.spec.dependsOn?.join(',')), dash(t.status?.podName)],
};

const TASK_SPAWNER: Columns<TaskSpawner> = {
  headers: ['NAME', 'SOURCE', 'PHASE', 'DISCOVERED', 'TASKS', 'AGE'],
  wideHeaders: ['WORKSPACE', 'SUSPENDED', 'ACTIVE'],
  row: (s, now) => [
    s.metadata.name ?? '',
    spawnerSource(s),
    dash(s.status?.phase),
    String(s.status?.totalDiscovered ?? 0),
    String(s.status?.totalTasksCreated ?? 0),
    age(s.metadata.creationTimestamp, now),
  ],
  wideRow: (s) => [
    dash(s.spec.taskTemplate.workspaceRef?.name),
    String(s.spec.suspend === true),
    String(s.status?.activeTasks ?? 0),
  ],
};

const WORKSPACE: Columns<Workspace> = {
  headers: ['NAME', 'REPO', 'REF', 'AGE'],
  wideHeaders: ['SECRET'],
  row: (w, now) => [
    w.metadata.name ?? '',
    w.spec.repo,
    dash(w.spec.ref),
    age(w.metadata.creationTimestamp, now),
  ],
  wideRow: (w) => [dash(w.spec.secretRef?.name)],
};

const AGENT_CONFIG: Columns<AgentConfig> = {
  headers: ['NAME', 'PLUGINS', 'SKILLS', 'MCP SERVERS', 'AGE'],
  wideHeaders: ['AGENTS MD'],
  row: (a, now) => [
    a.metadata.name ?? '',
    String(a.spec?.plugins?.length ?? 0),
    String(a.spec?.skills?.length ?? 0),
    String(a.spec?.mcpServers?.length ?? 0),
    age(a.metadata.creationTimestamp, now),
  ],
  wideRow: (a) => [a.spec?.agentsMD ? 'yes' : 'no'],
};

export const COLUMNS: { [K in KindName]: Columns<KelosObjects[K]> } = {
  Task: TASK,
  TaskSpawner: TASK_SPAWNER,
  Workspace: WORKSPACE,
  AgentConfig: AGENT_CONFIG,
};
