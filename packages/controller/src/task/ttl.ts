import type { Task } from '@kelos/shared';
import { isTerminalPhase, taskPhase } from './phases.js';

export type TtlDecision = { kind: 'keep' } | { kind: 'delete' } | { kind: 'requeue'; afterMs: number };

/** When a finished Task with `ttlSecondsAfterFinished` is due for deletion (spec §3.6). */
export function ttlDecision(task: Task, nowMs: number): TtlDecision {
  const ttl = task.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || !isTerminalPhase(taskPhase(task))) return { kind: 'keep' };
  const completion = task.status?.completionTime;
  if (!completion) return { kind: 'requeue', afterMs: 5_000 };
  const remaining = Date.parse(completion) + ttl * 1000 - nowMs;
  return remaining <= 0 ? { kind: 'delete' } : { kind: 'requeue', afterMs: remaining };
}
