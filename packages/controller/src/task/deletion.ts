import type { Task } from '@kelos/shared';
import { collectionPath, kinds } from '../runtime/kinds.js';
import { isNotFound } from '../runtime/kube-client.js';
import { type TaskDeps, taskName, taskNamespace } from './context.js';
import { releaseBranch } from './fail-before-job.js';
import { hasFinalizer, removeFinalizer } from './finalizer.js';

/**
 * A Task being deleted (spec §3.1 step 2): the branch goes to the next Task, the Job goes with its pods
 * (background propagation, so we do not wait for them), then the finalizer is removed and the API server
 * finishes the deletion. Token Secret and plugin ConfigMap follow through their owner references.
 */
export async function finalizeTask(deps: TaskDeps, task: Task): Promise<void> {
  if (!hasFinalizer(task)) return;
  releaseBranch(deps, task);
  try {
    const jobs = collectionPath(kinds.Job, taskNamespace(task));
    await deps.clients.json.delete(`${jobs}/${encodeURIComponent(taskName(task))}`, {
      propagationPolicy: 'Background',
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await removeFinalizer(deps, task);
}
