import type { Task, TaskSpawner } from '@kelos/shared';
import { ANNOTATIONS, API_GROUP_VERSION, LABELS } from '@kelos/shared/constants';
import { renderTaskTemplate, spawnerSourceKind, upstreamRepoOf } from '@kelos/shared/taskspawner';
import { UsageError } from '../errors.js';

/**
 * The `run` flags that shape a Task, which `--from` takes from the TaskSpawner instead (cli spec §5.3),
 * in the spec's order; then this CLI's own (`--workspace-repo`, `--workspace-ref`, `--ttl`). Keys are
 * commander's option names.
 */
export const FLAGS_FORBIDDEN_WITH_FROM: readonly (readonly [key: string, flag: string])[] = [
  ['prompt', 'prompt'],
  ['promptFile', 'prompt-file'],
  ['type', 'type'],
  ['secret', 'secret'],
  ['credentialType', 'credential-type'],
  ['model', 'model'],
  ['effort', 'effort'],
  ['image', 'image'],
  ['workspace', 'workspace'],
  ['yes', 'yes'],
  ['timeout', 'timeout'],
  ['env', 'env'],
  ['agentConfig', 'agent-config'],
  ['dependsOn', 'depends-on'],
  ['branch', 'branch'],
  ['workspaceRepo', 'workspace-repo'],
  ['workspaceRef', 'workspace-ref'],
  ['ttl', 'ttl'],
];

const FROM_PREFIXES = ['taskspawner/', 'taskspawners/', 'ts/'];

/** The TaskSpawner's name in `--from taskspawner/<name>` (also `taskspawners/…`, `ts/…`). */
export function parseFromRef(value: string): string {
  const prefix = FROM_PREFIXES.find((p) => value.startsWith(p));
  const name = prefix ? value.slice(prefix.length) : '';
  if (!name || name.includes('/')) {
    throw new UsageError(`invalid --from "${value}": expected taskspawner/<name>`);
  }
  return name;
}

/** The longest Task name: it is also a label value on the Task's Job and Pod. */
const MAX_TASK_NAME_LENGTH = 63;

/**
 * `<spawner>-manual-<suffix>` (cli spec §5.3), the spawner part cut so that the whole fits 63 characters,
 * without a trailing `-` or `.` where it was cut.
 */
export function manualTaskName(spawner: string, suffix: string): string {
  const tail = `-manual-${suffix}`;
  const head = spawner.slice(0, MAX_TASK_NAME_LENGTH - tail.length).replace(/[-.]+$/, '');
  return `${head}${tail}`;
}

/** Go's `time.RFC3339` of a UTC time: whole seconds, `Z`. */
export function rfc3339(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The template variables of a manual run (cli spec §5.3): its own ID, Title, Kind and trigger, which the
 * values file may override; for a cron spawner `Time` and `Schedule` over everything, as the schedule
 * defines them. No other work item variable exists, so a template that needs one (`{{.Number}}`) fails
 * unless the values file provides it. `Context` is added once the context sources have been fetched.
 */
export function manualTemplateVars(
  spawner: TaskSpawner,
  suffix: string,
  now: Date,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const time = rfc3339(now);
  const vars: Record<string, unknown> = {
    ID: `manual-${suffix}`,
    Title: `Manual run of TaskSpawner ${spawner.metadata.name ?? ''}`,
    Kind: 'Manual',
    TriggerType: 'manual',
    TriggerTime: time,
    ...values,
  };
  const cron = spawnerSourceKind(spawner) === 'cron' ? spawner.spec.when.cron : undefined;
  if (cron) {
    vars.Time = time;
    vars.Schedule = cron.schedule;
  }
  return vars;
}

/**
 * The Task of a manual run (cli spec §5.3): the taskTemplate rendered as the spawner renders it, with the
 * spawner's credentials and its source's repository as upstreamRepo when the template sets none. Unlike a
 * spawned Task it is not the spawner's (no `kelos.dev/taskspawner` label, no owner reference), so it is
 * outside the spawner's limits and survives it; annotations say where it came from.
 * @throws {SpawnerTemplateError} when a template does not render with `vars`.
 */
export function buildManualTask(
  spawner: TaskSpawner,
  vars: Record<string, unknown>,
  options: { name: string; now: Date },
): Task {
  const rendered = renderTaskTemplate(spawner.spec.taskTemplate, vars);
  const upstreamRepo = rendered.spec.upstreamRepo || upstreamRepoOf(spawner);
  const { [LABELS.taskSpawner]: _spawnerLabel, ...labels } = rendered.labels;
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'Task',
    metadata: {
      name: options.name,
      ...(spawner.metadata.namespace && { namespace: spawner.metadata.namespace }),
      ...(Object.keys(labels).length > 0 && { labels }),
      annotations: {
        ...rendered.annotations,
        [ANNOTATIONS.createdFromTaskSpawner]: spawner.metadata.name ?? '',
        [ANNOTATIONS.triggerType]: 'manual',
        [ANNOTATIONS.triggerTime]: rfc3339(options.now),
      },
    },
    spec: { ...rendered.spec, ...(upstreamRepo && { upstreamRepo }) },
  };
}
