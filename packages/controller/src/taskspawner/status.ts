import type { TaskSpawnerPhase, TaskSpawnerStatus } from '@kelos/shared';

/** The status fields the controller owns (spec §9); the spawner process writes all the others. */
export interface WorkloadStatus {
  phase: TaskSpawnerPhase;
  message: string;
  /** Empty: no such workload (the field is then left out, as Go's omitempty does). */
  deploymentName: string;
  cronJobName: string;
}

export const SUSPENDED_MESSAGE = 'Suspended by user';
export const RESUMED_MESSAGE = 'Resumed';

/** A new phase brings its own message; an unchanged phase keeps whatever the spawner last wrote. */
function withPhase(status: TaskSpawnerStatus | undefined, phase: TaskSpawnerPhase, message: string) {
  return status?.phase === phase ? { phase, message: status.message ?? '' } : { phase, message };
}

/**
 * Deployment mode (spec §9): a new Deployment starts `Pending` (the spawner moves it to `Running` after
 * its first cycle) or `Suspended`; later, suspending shows `Suspended`, resuming from it `Running` with
 * "Resumed", and any other phase the spawner set is kept.
 */
export function deploymentModeStatus(
  status: TaskSpawnerStatus | undefined,
  workload: { name: string; suspended: boolean; created: boolean },
): WorkloadStatus {
  const names = { deploymentName: workload.name, cronJobName: '' };
  if (workload.suspended) return { ...withPhase(status, 'Suspended', SUSPENDED_MESSAGE), ...names };
  if (workload.created || !status?.phase) return { ...withPhase(status, 'Pending', ''), ...names };
  if (status.phase === 'Suspended') return { ...withPhase(status, 'Running', RESUMED_MESSAGE), ...names };
  return { ...withPhase(status, status.phase, ''), ...names };
}

/** CronJob mode (spec §9): `Running` as soon as the CronJob exists, or `Suspended`. */
export function cronJobModeStatus(
  status: TaskSpawnerStatus | undefined,
  workload: { name: string; suspended: boolean },
): WorkloadStatus {
  const names = { deploymentName: '', cronJobName: workload.name };
  if (workload.suspended) return { ...withPhase(status, 'Suspended', SUSPENDED_MESSAGE), ...names };
  return { ...withPhase(status, 'Running', ''), ...names };
}

/** No workload can run until the user fixes the TaskSpawner or what it refers to. */
export function failedStatus(message: string): WorkloadStatus {
  return { phase: 'Failed', message, deploymentName: '', cronJobName: '' };
}

const FIELDS = ['phase', 'message', 'deploymentName', 'cronJobName'] as const;

/** `status` with the controller's fields as `wanted`, or undefined when it already says that. */
export function applyWorkloadStatus(
  status: TaskSpawnerStatus | undefined,
  wanted: WorkloadStatus,
): TaskSpawnerStatus | undefined {
  const current = status ?? {};
  if (FIELDS.every((f) => (current[f] ?? '') === wanted[f])) return undefined;
  const next: TaskSpawnerStatus = { ...current };
  for (const f of FIELDS) {
    if (wanted[f]) Object.assign(next, { [f]: wanted[f] });
    else delete next[f];
  }
  return next;
}
