import { ANNOTATIONS, API_GROUP_VERSION, KINDS, LABELS } from '../constants/index.js';
import type { Task, TaskSpec } from '../schema/task.js';
import type { TaskSpawner, TaskTemplate } from '../schema/taskspawner.js';
import { renderSpawnerTemplate, SpawnerTemplateError } from './render.js';
import {
  checkRunName,
  commentReportingEnabled,
  githubSourceConfig,
  upstreamRepoOf,
} from './source-config.js';
import { spawnedTaskName } from './task-name.js';
import { workItemTemplateVars } from './template-vars.js';
import type { WorkItem } from './work-item.js';

/** The prompt when a TaskTemplate has no promptTemplate (the default since 2026-03-31). */
export const DEFAULT_PROMPT_TEMPLATE = '{{.Title}}';

/** The comment mode the v1alpha1 API implies: one status comment per Task (v1alpha2 adds `Sticky`). */
export const COMMENT_MODE_PER_TASK = 'PerTask';

/** What a TaskTemplate renders to for one set of template variables, before any name or ownership. */
export interface RenderedTaskTemplate {
  spec: TaskSpec;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function render(name: string, what: string, source: string, vars: Record<string, unknown>): string {
  try {
    return renderSpawnerTemplate(name, source, vars);
  } catch (err) {
    if (err instanceof SpawnerTemplateError)
      throw new SpawnerTemplateError(`failed to render ${what}: ${err.message}`);
    throw err;
  }
}

function renderMap(
  kind: 'label' | 'annotation',
  templates: Record<string, string> | undefined,
  vars: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, source] of Object.entries(templates ?? {})) {
    out[key] = render(`${kind}[${key}]`, `${kind} ${key}`, source, vars);
  }
  return out;
}

/**
 * Renders a TaskTemplate (§10.3 step 6): the prompt (default `{{.Title}}`), the branch and the metadata
 * values are Go templates over `vars`; every other field is copied. Shared by the spawner and by
 * `kelos run --from taskspawner/NAME`, which add their own name, labels and annotations.
 * @throws {SpawnerTemplateError} `failed to render prompt template: …`, `… branch template: …`,
 * `… label KEY: …` or `… annotation KEY: …`.
 */
export function renderTaskTemplate(
  template: TaskTemplate,
  vars: Record<string, unknown>,
): RenderedTaskTemplate {
  const prompt = render(
    'prompt',
    'prompt template',
    template.promptTemplate || DEFAULT_PROMPT_TEMPLATE,
    vars,
  );
  const branch = template.branch ? render('branch', 'branch template', template.branch, vars) : '';
  const spec: TaskSpec = { type: template.type, prompt, credentials: structuredClone(template.credentials) };
  if (template.model) spec.model = template.model;
  if (template.effort) spec.effort = template.effort;
  if (template.image) spec.image = template.image;
  if (template.workspaceRef) spec.workspaceRef = { ...template.workspaceRef };
  if (template.agentConfigRef) spec.agentConfigRef = { ...template.agentConfigRef };
  if (template.agentConfigRefs?.length)
    spec.agentConfigRefs = template.agentConfigRefs.map((r) => ({ ...r }));
  if (template.dependsOn?.length) spec.dependsOn = [...template.dependsOn];
  if (branch) spec.branch = branch;
  if (template.ttlSecondsAfterFinished !== undefined)
    spec.ttlSecondsAfterFinished = template.ttlSecondsAfterFinished;
  if (template.podOverrides) spec.podOverrides = structuredClone(template.podOverrides);
  if (template.upstreamRepo) spec.upstreamRepo = template.upstreamRepo;
  return {
    spec,
    labels: renderMap('label', template.metadata?.labels, vars),
    annotations: renderMap('annotation', template.metadata?.annotations, vars),
  };
}

/**
 * Annotations that tie a Task to its GitHub issue or pull request and tell the reporting loop what to
 * report (§10.3 step 6). None for cron.
 */
export function sourceAnnotations(spawner: TaskSpawner, item: WorkItem): Record<string, string> {
  if (!githubSourceConfig(spawner)) return {};
  const annotations: Record<string, string> = {
    [ANNOTATIONS.sourceKind]: item.kind === 'PR' ? 'pull-request' : 'issue',
    [ANNOTATIONS.sourceNumber]: String(item.number),
  };
  if (commentReportingEnabled(spawner)) {
    annotations[ANNOTATIONS.githubReporting] = 'enabled';
    annotations[ANNOTATIONS.githubCommentMode] = COMMENT_MODE_PER_TASK;
  }
  const checkName = checkRunName(spawner);
  if (checkName) {
    annotations[ANNOTATIONS.githubChecks] = 'enabled';
    if (item.headSHA) annotations[ANNOTATIONS.sourceSha] = item.headSHA;
    annotations[ANNOTATIONS.githubCheckName] = checkName;
  }
  return annotations;
}

/** The controller reference from a spawned Task to its TaskSpawner (garbage collection, ownership checks). */
export function spawnerOwnerReference(spawner: TaskSpawner) {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: KINDS.TaskSpawner.kind,
    name: spawner.metadata.name ?? '',
    uid: spawner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Whether a Task is this TaskSpawner's (§10.3 step 3): with a controller reference, it must point at this
 * very TaskSpawner (by UID, not a deleted namesake); without one, the `kelos.dev/taskspawner` label decides.
 */
export function isSpawnedBy(task: Pick<Task, 'metadata'>, spawner: TaskSpawner): boolean {
  const controllers = (task.metadata.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 0) return controllers.some((r) => r.uid === spawner.metadata.uid);
  return task.metadata.labels?.[LABELS.taskSpawner] === spawner.metadata.name;
}

export interface SpawnedTaskOptions {
  /** Values of the TaskSpawner's context sources, as `{{.Context.<name>}}`. */
  context?: Readonly<Record<string, string>>;
}

/**
 * The Task a TaskSpawner creates for a work item (§10.3 step 6): named `spawnedTaskName`, spec rendered
 * from the taskTemplate, label `kelos.dev/taskspawner` (over any template value), controller reference to
 * the TaskSpawner, source and reporting annotations over template ones, and the source's repo override as
 * upstreamRepo when the template sets none.
 * @throws {SpawnerTemplateError} when a template does not render for this item.
 */
export function buildSpawnedTask(
  spawner: TaskSpawner,
  item: WorkItem,
  options: SpawnedTaskOptions = {},
): Task {
  const spawnerName = spawner.metadata.name ?? '';
  const rendered = renderTaskTemplate(spawner.spec.taskTemplate, workItemTemplateVars(item, options.context));
  const upstreamRepo = rendered.spec.upstreamRepo || upstreamRepoOf(spawner);
  const annotations = { ...rendered.annotations, ...sourceAnnotations(spawner, item) };
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'Task',
    metadata: {
      name: spawnedTaskName(spawnerName, item.id),
      ...(spawner.metadata.namespace && { namespace: spawner.metadata.namespace }),
      labels: { ...rendered.labels, [LABELS.taskSpawner]: spawnerName },
      ...(Object.keys(annotations).length > 0 && { annotations }),
      ownerReferences: [spawnerOwnerReference(spawner)],
    },
    spec: { ...rendered.spec, ...(upstreamRepo && { upstreamRepo }) },
  };
}
