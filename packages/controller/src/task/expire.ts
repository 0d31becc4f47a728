import type { Task } from '@kelos/shared';
import type { StepResult, TaskDeps } from './context.js';
import { deleteTask } from './task-api.js';
import { ttlDecision } from './ttl.js';

/** `ttlSecondsAfterFinished` (spec §3.6): delete a finished Task when due, else look again then. */
export async function expireIfDue(deps: TaskDeps, task: Task): Promise<StepResult> {
  const decision = ttlDecision(task, deps.now());
  if (decision.kind === 'keep') return {};
  if (decision.kind === 'requeue') return { requeueAfterMs: decision.afterMs };
  void deps.events.record(task, 'Normal', 'TaskExpired', 'Deleting Task due to TTL expiration');
  await deleteTask(deps, task);
  return {};
}
