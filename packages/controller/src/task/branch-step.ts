import type { Task } from '@kelos/shared';
import {
  type BranchBlock,
  branchHolderFromStatus,
  branchLockKey,
  branchWaitingMessage,
} from './branch-lock.js';
import { type StepResult, type TaskDeps, taskName, taskNamespace } from './context.js';
import { setWaiting } from './set-waiting.js';

/** How soon a Task waiting for its branch looks again, besides being woken when the holder finishes. */
export const BRANCH_REQUEUE_MS = 10_000;

/**
 * The branch gate (spec §3.1 step 7.2): one Task at a time per (workspace, branch). The Tasks' status
 * decides first: another one Pending or Running holds the branch (what a restart keeps), and Waiting ones
 * go in creation order. The in-memory lock then settles Tasks that passed together. The reference takes
 * the lock first and gives it back when the status disagrees; checking status first means a Task that
 * must queue never holds the lock, so the one ahead of it is not turned away in the meantime.
 * Undefined: the branch is ours.
 */
export async function acquireBranch(deps: TaskDeps, task: Task): Promise<StepResult | undefined> {
  const key = branchLockKey(task);
  const branch = task.spec.branch;
  if (!key || !branch) return undefined;
  if (!task.spec.workspaceRef) {
    void deps.events.record(
      task,
      'Warning',
      'BranchWithoutWorkspace',
      `Task sets branch "${branch}" but has no workspaceRef; the branch will not be checked out`,
    );
  }
  const name = taskName(task);
  const fromStatus = branchHolderFromStatus(task, deps.caches.tasks.list(taskNamespace(task)));
  // A Task that took the lock earlier (then waited for a Workspace, say) gives it back when it must queue.
  if (fromStatus) deps.locks.release(key, name);
  const block = fromStatus ?? inMemoryHolder(deps, key, name);
  if (!block) return undefined;
  await setWaiting(deps, task, branchWaitingMessage(branch, block));
  return { requeueAfterMs: BRANCH_REQUEUE_MS };
}

function inMemoryHolder(deps: TaskDeps, key: string, name: string): BranchBlock | undefined {
  const lock = deps.locks.tryAcquire(key, name);
  return lock.acquired ? undefined : { reason: 'locked', holder: lock.holder };
}
