import type { TaskPhase } from '@kelos/shared';

/** The parts of a Job's status the Task phase depends on. */
export interface JobProgress {
  active?: number;
  succeeded?: number;
  failed?: number;
  conditions?: Array<{ type: string; status: string }>;
}

export interface PhaseChange {
  phase: 'Running' | 'Succeeded' | 'Failed';
  message?: string;
  event: { type: 'Normal' | 'Warning'; reason: string; message: string };
}

/**
 * The phase transition a Job's status asks for (spec §3.3), checked in the spec's order.
 * `status.failed > 0` alone is not terminal: the Job may still retry; only its Failed
 * condition is.
 */
export function phaseChangeFromJob(current: TaskPhase | '', job: JobProgress): PhaseChange | undefined {
  if ((job.active ?? 0) > 0 && current !== 'Running') {
    return { phase: 'Running', event: { type: 'Normal', reason: 'TaskRunning', message: 'Task is running' } };
  }
  if ((job.succeeded ?? 0) > 0 && current !== 'Succeeded') {
    return {
      phase: 'Succeeded',
      message: 'Task completed successfully',
      event: { type: 'Normal', reason: 'TaskSucceeded', message: 'Task completed successfully' },
    };
  }
  const failed = job.conditions?.some((c) => c.type === 'Failed' && c.status === 'True');
  if (failed && current !== 'Failed') {
    return {
      phase: 'Failed',
      message: 'Task failed',
      event: { type: 'Warning', reason: 'TaskFailed', message: 'Task failed' },
    };
  }
  return undefined;
}
