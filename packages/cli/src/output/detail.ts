import type { AgentConfig, Task, TaskSpawner, Workspace } from '@kelos/shared';
import type { KelosObjects } from '../kube/kelos.js';
import type { KindName } from '../resources.js';
import { agentConfigNames, spawnerSource, taskDuration } from './columns.js';

export type DetailFields = [string, string | string[] | undefined][];

const seconds = (n: number | undefined) => (n === undefined ? undefined : `${n}s`);
const list = (items: readonly string[] | undefined) => (items?.length ? items.join(', ') : undefined);

function taskDetail(t: Task, now: number): DetailFields {
  const results = Object.entries(t.status?.results ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  return [
    ['Name', t.metadata.name],
    ['Namespace', t.metadata.namespace],
    ['Type', t.spec.type],
    ['Phase', t.status?.phase],
    ['Prompt', t.spec.prompt],
    ['Secret', t.spec.credentials.secretRef?.name],
    ['Credential Type', t.spec.credentials.type],
    ['Model', t.spec.model],
    ['Effort', t.spec.effort],
    ['Image', t.spec.image],
    ['Branch', t.spec.branch],
    ['Depends On', list(t.spec.dependsOn)],
    ['Workspace', t.spec.workspaceRef?.name],
    ['Agent Configs', list(agentConfigNames(t.spec))],
    ['TTL', seconds(t.spec.ttlSecondsAfterFinished)],
    ['Timeout', seconds(t.spec.podOverrides?.activeDeadlineSeconds)],
    ['Job', t.status?.jobName],
    ['Pod', t.status?.podName],
    ['Start Time', t.status?.startTime],
    ['Completion Time', t.status?.completionTime],
    ['Duration', t.status?.startTime ? taskDuration(t, now) : undefined],
    ['Message', t.status?.message],
    ['Outputs', t.status?.outputs],
    ['Results', results],
  ];
}

function sourceDetail(s: TaskSpawner): DetailFields {
  const { githubIssues, githubPullRequests, cron } = s.spec.when;
  const fields: DetailFields = [['Source', spawnerSource(s)]];
  if (githubIssues) {
    fields.push(
      ['Repo', githubIssues.repo],
      ['Types', list(githubIssues.types)],
      ['State', githubIssues.state],
      ['Labels', list(githubIssues.labels)],
    );
  }
  if (githubPullRequests) {
    fields.push(
      ['Repo', githubPullRequests.repo],
      ['Review State', githubPullRequests.reviewState],
      ['State', githubPullRequests.state],
      ['Labels', list(githubPullRequests.labels)],
    );
  }
  if (cron) fields.push(['Schedule', cron.schedule]);
  return fields;
}

function taskSpawnerDetail(s: TaskSpawner): DetailFields {
  const when = s.spec.when;
  const pollInterval = (when.githubIssues ?? when.githubPullRequests)?.pollInterval ?? s.spec.pollInterval;
  return [
    ['Name', s.metadata.name],
    ['Namespace', s.metadata.namespace],
    ['Phase', s.status?.phase],
    ['Suspended', s.spec.suspend ? 'true' : undefined],
    ['Workspace', s.spec.taskTemplate.workspaceRef?.name],
    ...sourceDetail(s),
    ['Task Type', s.spec.taskTemplate.type],
    ['Model', s.spec.taskTemplate.model],
    // Cron spawners run as CronJobs and do not poll.
    ['Poll Interval', when.cron ? undefined : (pollInterval ?? '5m')],
    ['Deployment', s.status?.deploymentName],
    ['CronJob', s.status?.cronJobName],
    ['Discovered', String(s.status?.totalDiscovered ?? 0)],
    ['Tasks Created', String(s.status?.totalTasksCreated ?? 0)],
    ['Last Discovery', s.status?.lastDiscoveryTime],
    ['Message', s.status?.message],
  ];
}

function workspaceDetail(w: Workspace): DetailFields {
  return [
    ['Name', w.metadata.name],
    ['Namespace', w.metadata.namespace],
    ['Repo', w.spec.repo],
    ['Ref', w.spec.ref],
    ['Secret', w.spec.secretRef?.name],
  ];
}

function agentConfigDetail(a: AgentConfig): DetailFields {
  const spec = a.spec ?? {};
  // One line in the summary: the file's line breaks would read as separate fields.
  const agentsMD = spec.agentsMD?.replace(/\s*\n\s*/g, ' ');
  return [
    ['Name', a.metadata.name],
    ['Namespace', a.metadata.namespace],
    ['Agents MD', agentsMD && agentsMD.length > 80 ? `${agentsMD.slice(0, 80)}...` : agentsMD],
    [
      'Plugins',
      spec.plugins?.map((p) => {
        const parts: string[] = [];
        if (p.skills?.length) parts.push(`skills=[${p.skills.map((s) => s.name).join(',')}]`);
        if (p.agents?.length) parts.push(`agents=[${p.agents.map((s) => s.name).join(',')}]`);
        return parts.length ? `${p.name} (${parts.join(', ')})` : p.name;
      }),
    ],
    ['Skills', spec.skills?.map((s) => (s.skill ? `${s.source} (skill=${s.skill})` : s.source))],
    ['MCP Servers', spec.mcpServers?.map((m) => `${m.name} (${m.type})`)],
  ];
}

export const DETAIL: { [K in KindName]: (object: KelosObjects[K], now: number) => DetailFields } = {
  Task: taskDetail,
  TaskSpawner: taskSpawnerDetail,
  Workspace: workspaceDetail,
  AgentConfig: agentConfigDetail,
};
