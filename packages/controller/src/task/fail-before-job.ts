import type { Task } from '@kelos/shared';
import { branchLockKey } from './branch-lock.js';
import { rfc3339, type TaskDeps, taskName } from './context.js';
import { writeTaskStatus } from './task-api.js';

/**
 * A Task that cannot get a Job (dependency failed, cycle, token, MCP Secret, build or ConfigMap error):
 * phase Failed with the reason, completionTime if unset, the branch released for the next Task, and a
 * Warning event with the same text. Repeating it writes and records nothing new.
 */
export async function failBeforeJob(
  deps: TaskDeps,
  task: Task,
  reason: string,
  message: string,
): Promise<void> {
  const { written } = await writeTaskStatus(deps, task, (status) => {
    if (status.phase === 'Failed' && status.message === message) return false;
    status.phase = 'Failed';
    status.message = message;
    status.completionTime ??= rfc3339(deps.now());
    return true;
  });
  releaseBranch(deps, task);
  if (written) void deps.events.record(task, 'Warning', reason, message);
}

export function releaseBranch(deps: TaskDeps, task: Task): void {
  const key = branchLockKey(task);
  if (key) deps.locks.release(key, taskName(task));
}
