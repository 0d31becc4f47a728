import type { Task } from '@kelos/shared';
import { taskPhase } from './phases.js';

/** `<workspace>:<branch>`, or undefined when the Task names no branch (spec §3.1 step 7.2). */
export function branchLockKey(task: Task): string | undefined {
  const branch = task.spec.branch;
  if (!branch) return undefined;
  return `${task.spec.workspaceRef?.name ?? ''}:${branch}`;
}

/**
 * In-memory mutex per (workspace, branch). It is only a fast path: after a restart it is empty,
 * so `branchHolderFromStatus` rebuilds the answer from the Tasks themselves.
 */
export class BranchLocks {
  private readonly holders = new Map<string, string>();

  /** Takes the lock for `holder`, or returns the name of the Task holding it. */
  tryAcquire(key: string, holder: string): { acquired: true } | { acquired: false; holder: string } {
    const current = this.holders.get(key);
    if (current !== undefined && current !== holder) return { acquired: false, holder: current };
    this.holders.set(key, holder);
    return { acquired: true };
  }

  release(key: string, holder: string): void {
    if (this.holders.get(key) === holder) this.holders.delete(key);
  }
}

export type BranchBlock = { reason: 'locked' | 'queued'; holder: string };

function createdAt(task: Task): string {
  return task.metadata.creationTimestamp ?? '';
}

/**
 * Who blocks `task` according to the Tasks' own status: another Task with the same key that is
 * Pending or Running holds the branch; another Waiting one created earlier is ahead in the queue.
 */
export function branchHolderFromStatus(task: Task, sameNamespace: readonly Task[]): BranchBlock | undefined {
  const key = branchLockKey(task);
  if (!key) return undefined;
  const name = task.metadata.name;
  let queuedBehind: Task | undefined;
  for (const other of sameNamespace) {
    if (other.metadata.name === name || branchLockKey(other) !== key) continue;
    const phase = taskPhase(other);
    if (phase === 'Running' || phase === 'Pending')
      return { reason: 'locked', holder: other.metadata.name ?? '' };
    if (phase === 'Waiting' && isEarlier(other, task) && (!queuedBehind || isEarlier(other, queuedBehind))) {
      queuedBehind = other;
    }
  }
  return queuedBehind ? { reason: 'queued', holder: queuedBehind.metadata.name ?? '' } : undefined;
}

function isEarlier(a: Task, b: Task): boolean {
  const byTime = createdAt(a).localeCompare(createdAt(b));
  return byTime < 0 || (byTime === 0 && (a.metadata.name ?? '') < (b.metadata.name ?? ''));
}

export function branchWaitingMessage(branch: string, block: BranchBlock): string {
  return block.reason === 'locked'
    ? `Waiting for branch "${branch}" (locked by ${block.holder})`
    : `Waiting for branch "${branch}" (queued behind ${block.holder})`;
}
