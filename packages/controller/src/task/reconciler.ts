import type { Task } from '@kelos/shared';
import type { Reconcile } from '../runtime/controller.js';
import { collectionPath, kinds } from '../runtime/kinds.js';
import { isNotFound } from '../runtime/kube-client.js';
import { acquireBranch } from './branch-step.js';
import { type CachedJob, type StepResult, soonest, type TaskContext, type TaskDeps } from './context.js';
import { createJob } from './create-job.js';
import { finalizeTask } from './deletion.js';
import { checkDependencies } from './dependency-step.js';
import { expireIfDue } from './expire.js';
import { releaseBranch } from './fail-before-job.js';
import { addFinalizer, hasFinalizer } from './finalizer.js';
import { isTerminalPhase, taskPhase } from './phases.js';
import { refreshGitHubToken } from './token-refresh.js';
import { updateStatus } from './update-status.js';

/** The Task reconcile of spec §3.1, step by step; each step lives in its own file. */
export function taskReconciler(deps: TaskDeps): Reconcile {
  return async (req, { log }) => {
    // 1. Get the Task; gone means done.
    let task = deps.caches.tasks.get(req.namespace, req.name);
    if (!task) return;
    // 3. Finalizer first, so that a deletion always passes through step 2. The reconcile goes on with
    // the Task as written instead of requeueing (the spec's "requeue"), which would only wait for the
    // cache to show what the write's response already says.
    if (!task.metadata.deletionTimestamp && !hasFinalizer(task)) task = await addFinalizer(deps, task);
    // 2. Deletion: release the branch, delete the Job, remove the finalizer. (After step 3 too, which may
    // have read a Task deleted in the meantime.)
    if (task.metadata.deletionTimestamp) {
      await finalizeTask(deps, task);
      return;
    }
    // (4. is v1alpha2's workerPoolRef hand-off.) 5. The Job of the same name. One we created and the cache
    // does not show yet is waited for: its ADDED event brings the Task back, or the requeue when it never
    // comes (then the API is asked).
    const job = await findJob(deps, task);
    if (typeof job === 'number') return { requeueAfterMs: job };
    const ctx: TaskContext = { deps, log };
    if (!job) {
      // 6. Finished before a Job existed, or its Job was deleted: only the TTL is left to handle.
      if (isTerminalPhase(taskPhase(task))) {
        releaseBranch(deps, task);
        return expireIfDue(deps, task);
      }
      // 7. Gates, then the Job.
      return startTask(ctx, task);
    }
    // 8. Mirror the Job, keep the GitHub token fresh while it runs, then the TTL.
    const updated = await updateStatus(deps, task, job);
    const refresh = (job.status?.active ?? 0) > 0 ? await refreshGitHubToken(deps, updated.task) : undefined;
    return soonest(updated, refresh, await expireIfDue(deps, updated.task));
  };
}

async function startTask(ctx: TaskContext, task: Task): Promise<StepResult> {
  const waiting = (await checkDependencies(ctx.deps, task)) ?? (await acquireBranch(ctx.deps, task));
  return waiting ?? createJob(ctx, task);
}

/**
 * The Task's Job from the cache, or how long to wait for a Job we created that the cache does not show yet.
 * When the cache has none although the Task says it got one (e.g. that wait expired), the API is asked, so
 * that a cache lagging behind our own create does not send the Task through the gates again.
 */
async function findJob(deps: TaskDeps, task: Task): Promise<CachedJob | number | undefined> {
  const namespace = task.metadata.namespace;
  const name = task.metadata.name ?? '';
  const cached = deps.caches.jobs.get(namespace, name);
  if (cached) return cached;
  const waitMs = deps.expectedJobs.pendingMs(task.metadata.uid ?? '');
  if (waitMs !== undefined) return waitMs;
  if (!task.status?.jobName || isTerminalPhase(taskPhase(task))) return undefined;
  try {
    return await deps.clients.json.get<CachedJob>(`${collectionPath(kinds.Job, namespace)}/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
