import type { TaskSpawner } from '@kelos/shared';
import { API_GROUP, API_GROUP_VERSION, KINDS, LABEL_VALUES, LABELS } from '@kelos/shared/constants';
import { spawnerOwnerReference } from '@kelos/shared/taskspawner';
import type { V1Container, V1ObjectMeta } from '@kubernetes/client-node';
import { SPAWNER_CONTAINER, SPAWNER_METRICS_PORT, type SpawnerOptions, spawnerImage } from './options.js';
import type { SpawnerConfig } from './spawner-config.js';

/** Labels of the workload, its selector and its pods (spec §9). */
export function spawnerLabels(spawnerName: string): Record<string, string> {
  return {
    [LABELS.name]: LABEL_VALUES.name,
    [LABELS.component]: LABEL_VALUES.componentSpawner,
    [LABELS.managedBy]: LABEL_VALUES.managedBy,
    [LABELS.taskSpawner]: spawnerName,
  };
}

/**
 * Name, namespace, labels and the controller reference (so the garbage collector removes the workload
 * with its TaskSpawner) of the spawner's Deployment or CronJob.
 */
export function spawnerWorkloadMetadata(spawner: TaskSpawner): V1ObjectMeta {
  const name = spawner.metadata.name ?? '';
  return {
    name,
    namespace: spawner.metadata.namespace ?? 'default',
    labels: spawnerLabels(name),
    ownerReferences: [spawnerOwnerReference(spawner)],
  };
}

/** The one `spawner` container; `metrics` is the Deployment's port (a one-shot CronJob run serves none). */
export function spawnerContainer(
  config: SpawnerConfig,
  options: SpawnerOptions,
  extra: { args?: string[]; metricsPort?: boolean },
): V1Container {
  const container: V1Container = {
    name: SPAWNER_CONTAINER,
    image: spawnerImage(options),
    args: [...config.args, ...(extra.args ?? [])],
  };
  if (options.imagePullPolicy) container.imagePullPolicy = options.imagePullPolicy;
  if (config.env.length > 0) container.env = config.env;
  if (extra.metricsPort) {
    container.ports = [{ name: 'metrics', containerPort: SPAWNER_METRICS_PORT, protocol: 'TCP' }];
  }
  const { requests, limits } = options.resources ?? {};
  if (requests || limits) container.resources = { ...(requests && { requests }), ...(limits && { limits }) };
  return container;
}

export type OwnedObject = {
  metadata?: {
    ownerReferences?: ReadonlyArray<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
    }>;
  };
};

/**
 * Who controls a workload of the spawner's name: this TaskSpawner, an earlier one of the same name that
 * the garbage collector has not finished with (wait for it), or someone else (leave it alone).
 */
export function workloadOwnership(obj: OwnedObject, spawner: TaskSpawner): 'this' | 'earlier' | 'foreign' {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref || !isTaskSpawnerRef(ref) || ref.name !== spawner.metadata.name) return 'foreign';
  return ref.uid === spawner.metadata.uid ? 'this' : 'earlier';
}

/** Either served version of the reference's TaskSpawner may have created the workload (spec §9 step 3). */
const TASK_SPAWNER_API_VERSIONS: readonly string[] = [API_GROUP_VERSION, `${API_GROUP}/v1alpha2`];

function isTaskSpawnerRef(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === KINDS.TaskSpawner.kind && TASK_SPAWNER_API_VERSIONS.includes(ref.apiVersion);
}

/** Whether a workload left over from the other mode may be deleted: only one a TaskSpawner controls. */
export function isControlledByTaskSpawner(obj: OwnedObject, spawner: TaskSpawner): boolean {
  return workloadOwnership(obj, spawner) !== 'foreign';
}
