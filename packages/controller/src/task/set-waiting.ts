import type { Task } from '@kelos/shared';
import type { TaskDeps } from './context.js';
import { writeTaskStatus } from './task-api.js';

/** Phase Waiting with the reason; a no-op when the Task already says exactly that (spec §3.4). */
export async function setWaiting(deps: TaskDeps, task: Task, message: string): Promise<void> {
  // Spares the fresh read of a Task that waits, reconcile after reconcile, for the same reason.
  if (task.status?.phase === 'Waiting' && task.status.message === message) return;
  await writeTaskStatus(deps, task, (status) => {
    if (status.phase === 'Waiting' && status.message === message) return false;
    status.phase = 'Waiting';
    status.message = message;
    return true;
  });
}
