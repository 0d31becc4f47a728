import type { Task } from '@kelos/shared';
import type { Reconcile } from '../runtime/controller.js';
import { collectionPath, kinds } from '../runtime/kinds.js';
import { getJson, isNotFound } from '../runtime/kube-client.js';
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
    const task = deps.caches.tasks.get(req.namespace, req.name);
    if (!task) return;
    // 2. Deletion: release the branch, delete the Job, remove the finalizer.
    if (task.metadata.deletionTimestamp) {
      await finalizeTask(deps, task);
      return;
    }
    // 3. Finalizer first, so that a deletion always passes through step 2.
    if (!hasFinalizer(task)) {
      await addFinalizer(deps, task);
      return { requeueAfterMs: 0 };
    }
    // (4. is v1alpha2's workerPoolRef hand-off.) 5. The Job of the same name.
    const job = await findJob(deps, task);
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
 * The Task's Job from the cache; when the cache has none although the Task says it got one, the API is
 * asked, so that a cache lagging behind our own create does not send the Task through the gates again.
 */
async function findJob(deps: TaskDeps, task: Task): Promise<CachedJob | undefined> {
  const namespace = task.metadata.namespace;
  const name = task.metadata.name ?? '';
  const cached = deps.caches.jobs.get(namespace, name);
  if (cached || !task.status?.jobName || isTerminalPhase(taskPhase(task))) return cached;
  try {
    return await getJson<CachedJob>(
      deps.clients.kubeConfig,
      `${collectionPath(kinds.Job, namespace)}/${name}`,
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
