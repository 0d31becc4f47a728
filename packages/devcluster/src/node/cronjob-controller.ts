import { Cron } from 'croner';
import { rfc3339 } from './time.js';
import type { CronJob, CronJobStatus, Job, ObjectReference } from './types.js';
import {
  controllerRef,
  hasTrueCondition,
  isControlledBy,
  type Reconciliation,
  sameJSON,
  type WorkloadAction,
} from './workload.js';

export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type CronJobAction = WorkloadAction<CronJobStatus>;

/** A 5-field schedule (or @hourly, @daily, …) evaluated in `timeZone` (default UTC). */
export function parseSchedule(schedule: string, timeZone?: string): Cron {
  return new Cron(schedule, { paused: true, mode: '5-part', timezone: timeZone ?? 'UTC' });
}

/** Kubernetes names a CronJob's Job after its scheduled time in minutes since the epoch. */
export function cronJobJobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

function isFinished(job: Job): boolean {
  return (
    hasTrueCondition(job.status?.conditions, 'Complete') || hasTrueCondition(job.status?.conditions, 'Failed')
  );
}

/**
 * One pass of the CronJob controller: track active and finished Jobs, trim history, and create
 * the Job for the most recent missed schedule (older misses are skipped, as Kubernetes does; a
 * tick older than startingDeadlineSeconds is never due) unless concurrencyPolicy forbids it.
 */
export function reconcileCronJob(
  cronJob: CronJob,
  allJobs: Job[],
  nowMs: number,
): Reconciliation<CronJobStatus> {
  const { spec, metadata } = cronJob;
  const ns = metadata.namespace ?? 'default';
  const jobs = allJobs.filter((j) => isControlledBy(j, metadata));
  const active = jobs.filter((j) => !isFinished(j) && !j.metadata.deletionTimestamp);
  const prev = cronJob.status ?? {};
  const status: CronJobStatus = structuredClone(prev);
  const actions: CronJobAction[] = [];
  const warnings: string[] = [];

  for (const j of jobs) {
    const done = hasTrueCondition(j.status?.conditions, 'Complete') ? j.status?.completionTime : undefined;
    if (done && (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime))) {
      status.lastSuccessfulTime = done;
    }
  }
  const deleteJob = (j: Job) =>
    actions.push({
      type: 'deleteJob',
      namespace: ns,
      name: j.metadata.name ?? '',
      propagationPolicy: 'Background',
    });
  const finished = jobs.filter((j) => isFinished(j) && !j.metadata.deletionTimestamp);
  const succeeded = finished.filter((j) => hasTrueCondition(j.status?.conditions, 'Complete'));
  const failed = finished.filter((j) => !succeeded.includes(j));
  oldestBeyond(succeeded, spec.successfulJobsHistoryLimit ?? 3).forEach(deleteJob);
  oldestBeyond(failed, spec.failedJobsHistoryLimit ?? 1).forEach(deleteJob);

  let activeRefs = active.map(jobRef);
  let requeue: number | undefined;
  if (!spec.suspend && !metadata.deletionTimestamp) {
    let sched: Cron | undefined;
    try {
      sched = parseSchedule(spec.schedule, spec.timeZone);
    } catch (err) {
      warnings.push(`unparseable schedule "${spec.schedule}": ${(err as Error).message}`);
    }
    if (sched) {
      const next = sched.nextRun(new Date(nowMs));
      if (next) requeue = Math.max(1, Math.ceil((next.getTime() - nowMs) / 1000));
      const scheduled = mostRecentSchedule(sched, cronJob, nowMs);
      const policy = spec.concurrencyPolicy ?? 'Allow';
      if (
        scheduled !== undefined &&
        !jobs.some((j) => j.metadata.name === cronJobJobName(metadata.name ?? '', scheduled)) &&
        // Forbid leaves the tick due: it runs when the active Job finishes, if still within the deadline.
        !(policy === 'Forbid' && active.length > 0)
      ) {
        if (policy === 'Replace') {
          active.forEach(deleteJob);
          activeRefs = [];
        }
        const job = jobFromTemplate(cronJob, scheduled);
        actions.push({ type: 'createJob', job });
        activeRefs.push(jobRef(job));
        status.lastScheduleTime = rfc3339(scheduled);
      }
    }
  }

  if (activeRefs.length) status.active = activeRefs;
  else delete status.active;
  if (!sameJSON(status, prev)) actions.push({ type: 'updateStatus', status });
  const out: Reconciliation<CronJobStatus> = { actions };
  if (requeue !== undefined) out.requeueAfterSeconds = requeue;
  if (warnings.length) out.warnings = warnings;
  return out;
}

/** The latest schedule time in (lastScheduleTime or creation, or now - startingDeadline; now]. */
function mostRecentSchedule(sched: Cron, cronJob: CronJob, nowMs: number): number | undefined {
  const { status, metadata, spec } = cronJob;
  let earliest = Date.parse(status?.lastScheduleTime ?? metadata.creationTimestamp ?? '') || nowMs;
  if (spec.startingDeadlineSeconds !== undefined) {
    earliest = Math.max(earliest, nowMs - spec.startingDeadlineSeconds * 1000);
  }
  // previousRuns excludes a run exactly at the reference time; Kubernetes includes `now`.
  const [latest] = sched.previousRuns(1, new Date(nowMs + 1));
  const t = latest?.getTime();
  return t !== undefined && t > earliest ? t : undefined;
}

function jobFromTemplate(cronJob: CronJob, scheduledMs: number): Job {
  const { metadata, spec } = cronJob;
  const tm = spec.jobTemplate.metadata ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: cronJobJobName(metadata.name ?? '', scheduledMs),
      namespace: metadata.namespace ?? 'default',
      labels: { ...tm.labels },
      annotations: { ...tm.annotations, [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduledMs) },
      ownerReferences: [controllerRef('batch/v1', 'CronJob', metadata)],
    },
    spec: structuredClone(spec.jobTemplate.spec),
  };
}

function jobRef(job: Job): ObjectReference {
  const ref: ObjectReference = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata.name ?? '',
    namespace: job.metadata.namespace ?? 'default',
  };
  if (job.metadata.uid) ref.uid = job.metadata.uid;
  if (job.metadata.resourceVersion) ref.resourceVersion = job.metadata.resourceVersion;
  return ref;
}

/** The jobs beyond the newest `limit`, by start time (creation time when not started). */
function oldestBeyond(jobs: Job[], limit: number): Job[] {
  const start = (j: Job) => Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0;
  const sorted = [...jobs].sort(
    (a, b) => start(a) - start(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  return sorted.slice(0, Math.max(0, sorted.length - limit));
}
