import type { TaskSpawner, TaskSpawnerStatus } from '@kelos/shared';
import { API_GROUP, API_VERSION, FINALIZERS, KINDS } from '@kelos/shared/constants';
import { updateStatusWithRetry } from '../runtime/status.js';
import { spawnerName, spawnerNamespace, type TaskSpawnerDeps } from './context.js';
import { applyWorkloadStatus, type WorkloadStatus } from './status.js';

function spawnerRef(spawner: TaskSpawner) {
  return {
    group: API_GROUP,
    version: API_VERSION,
    plural: KINDS.TaskSpawner.plural,
    namespace: spawnerNamespace(spawner),
    name: spawnerName(spawner),
  };
}

/** The TaskSpawner as the API server holds it now (the cache may lag behind our own writes). */
async function getFreshSpawner(deps: TaskSpawnerDeps, spawner: TaskSpawner): Promise<TaskSpawner> {
  return (await deps.clients.custom.getNamespacedCustomObject(spawnerRef(spawner))) as TaskSpawner;
}

/**
 * Writes the controller's status fields under retry-on-conflict: `decide` sees the freshest status, since
 * the spawner process writes the same object after each cycle. When the cached TaskSpawner already says
 * what `decide` wants, nothing is read: any later status change is a watch event that reconciles again.
 * Returns whether anything was written.
 */
export async function writeWorkloadStatus(
  deps: TaskSpawnerDeps,
  spawner: TaskSpawner,
  decide: (status: TaskSpawnerStatus | undefined) => WorkloadStatus,
): Promise<boolean> {
  if (!applyWorkloadStatus(spawner.status, decide(spawner.status))) return false;
  let written = false;
  await updateStatusWithRetry(
    () => getFreshSpawner(deps, spawner),
    (fresh) => {
      const next = applyWorkloadStatus(fresh.status, decide(fresh.status));
      if (!next) return false;
      fresh.status = next;
      return true;
    },
    async (fresh) => {
      const result = (await deps.clients.custom.replaceNamespacedCustomObjectStatus({
        ...spawnerRef(spawner),
        body: fresh,
      })) as TaskSpawner;
      written = true;
      return result;
    },
  );
  return written;
}

export function hasFinalizer(spawner: TaskSpawner): boolean {
  return spawner.metadata.finalizers?.includes(FINALIZERS.taskSpawner) ?? false;
}

/** Adds or removes `kelos.dev/taskspawner-finalizer` with an Update of a fresh read. */
export async function setFinalizer(
  deps: TaskSpawnerDeps,
  spawner: TaskSpawner,
  present: boolean,
): Promise<void> {
  await updateStatusWithRetry(
    () => getFreshSpawner(deps, spawner),
    (fresh) => {
      if (hasFinalizer(fresh) === present) return false;
      const others = (fresh.metadata.finalizers ?? []).filter((f) => f !== FINALIZERS.taskSpawner);
      fresh.metadata.finalizers = present ? [...others, FINALIZERS.taskSpawner] : others;
      return true;
    },
    async (fresh) =>
      (await deps.clients.custom.replaceNamespacedCustomObject({
        ...spawnerRef(spawner),
        body: fresh,
      })) as TaskSpawner,
  );
}
