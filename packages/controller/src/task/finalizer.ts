import type { Task } from '@kelos/shared';
import { FINALIZERS } from '@kelos/shared/constants';
import type { TaskDeps } from './context.js';
import { updateTaskMetadata } from './task-api.js';

export function hasFinalizer(task: Task): boolean {
  return task.metadata.finalizers?.includes(FINALIZERS.task) ?? false;
}

/**
 * Adds `kelos.dev/finalizer` so that deleting the Task first passes through our cleanup (spec §3.1).
 * Returns the Task as the API server now holds it, for the rest of the reconcile.
 */
export function addFinalizer(deps: TaskDeps, task: Task): Promise<Task> {
  return updateTaskMetadata(deps, task, (fresh) => {
    if (hasFinalizer(fresh)) return false;
    fresh.metadata.finalizers = [...(fresh.metadata.finalizers ?? []), FINALIZERS.task];
    return true;
  });
}

export async function removeFinalizer(deps: TaskDeps, task: Task): Promise<void> {
  await updateTaskMetadata(deps, task, (fresh) => {
    if (!hasFinalizer(fresh)) return false;
    fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== FINALIZERS.task);
    return true;
  });
}
