import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { rfc3339 } from './time.js';
import type { Job, JobCondition, JobStatus, Pod } from './types.js';
import {
  controllerRef,
  findCondition,
  hasTrueCondition,
  isActive,
  isControlledBy,
  isReady,
  isTerminal,
  newestFirst,
  podFromTemplate,
  type Reconciliation,
  randomSuffix,
  sameJSON,
  setCondition,
  type WorkloadAction,
} from './workload.js';

/** Keeps a finished pod around until the Job controller has counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const DEFAULT_BACKOFF_LIMIT = 6;

export interface JobControllerOptions {
  random?: () => number;
  /** Delay before recreating pods after failures: base·2^(failures-1), capped (kube: 10s, 6m). */
  podBackoffBaseSeconds?: number;
  podBackoffMaxSeconds?: number;
}

type JobAction = WorkloadAction<JobStatus>;

/**
 * One pass of the Job controller over a Job and its pods: count finished pods (once each, via
 * the tracking finalizer), apply podFailurePolicy, backoffLimit and activeDeadlineSeconds, create
 * or delete pods towards parallelism/completions, set conditions, and delete the Job once
 * ttlSecondsAfterFinished has passed. Indexed completion mode is not supported.
 */
export function reconcileJob(
  job: Job,
  allPods: Pod[],
  nowMs: number,
  opts: JobControllerOptions = {},
): Reconciliation<JobStatus> {
  const now = rfc3339(nowMs);
  const { spec } = job;
  const ns = job.metadata.namespace ?? 'default';
  const pods = allPods.filter((p) => isControlledBy(p, job.metadata));
  const prev = job.status ?? {};
  const status: JobStatus = structuredClone(prev);
  const conditions: JobCondition[] = status.conditions ?? [];
  const actions: JobAction[] = [];
  const set = (type: string, st: string, reason: string, message: string) =>
    setCondition(conditions, { type, status: st, reason, message }, now, ['lastProbeTime']);
  const deletePods = (list: Pod[]) =>
    list.forEach((p) => {
      actions.push({ type: 'deletePod', namespace: ns, name: p.metadata.name ?? '' });
    });

  const counted = countFinishedPods(job, pods);
  actions.push(...counted.release);
  const succeeded = (prev.succeeded ?? 0) + counted.succeeded;
  const failed = (prev.failed ?? 0) + counted.failed;
  let requeue: number | undefined;

  const finished = hasTrueCondition(conditions, 'Complete') || hasTrueCondition(conditions, 'Failed');
  const active = pods.filter(isActive);
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp !== undefined && !isTerminal(p));
  let activeCount = active.length;

  if (finished) {
    requeue = ttlRequeue(job, conditions, nowMs, actions);
  } else if (spec.suspend) {
    deletePods(active);
    activeCount = 0;
    set('Suspended', 'True', 'JobSuspended', 'Job suspended');
    delete status.startTime;
  } else {
    if (hasTrueCondition(conditions, 'Suspended')) set('Suspended', 'False', 'JobResumed', 'Job resumed');
    status.startTime ??= now;
    const failure = failureReason(job, pods, failed, counted.failJobMessage, conditions, nowMs);
    if (failure) {
      set('FailureTarget', 'True', failure.reason, failure.message);
      deletePods(active);
      activeCount = 0;
      if (active.length === 0 && terminating.length === 0) {
        set('Failed', 'True', failure.reason, failure.message);
        requeue = spec.ttlSecondsAfterFinished;
      }
    } else if (successCriteriaMet(job, succeeded, active.length)) {
      const msg = 'Reached expected number of succeeded pods';
      set('SuccessCriteriaMet', 'True', 'CompletionsReached', msg);
      deletePods(active);
      activeCount = 0;
      if (active.length === 0 && terminating.length === 0) {
        set('Complete', 'True', 'CompletionsReached', msg);
        status.completionTime = now;
        requeue = spec.ttlSecondsAfterFinished;
      }
    } else {
      const managed = managePods(job, pods, active, terminating, succeeded, failed, nowMs, opts);
      actions.push(...managed.actions);
      activeCount = managed.activeCount;
      requeue = minDefined(managed.requeueAfterSeconds, deadlineRequeue(job, status.startTime, nowMs));
    }
  }

  Object.assign(status, {
    active: activeCount || undefined,
    succeeded: succeeded || undefined,
    failed: failed || undefined,
    ready: active.filter(isReady).length,
    terminating: terminating.length,
  });
  for (const k of ['active', 'succeeded', 'failed'] as const) if (status[k] === undefined) delete status[k];
  if (conditions.length) status.conditions = conditions;
  if (!sameJSON(status, prev)) actions.push({ type: 'updateStatus', status });
  return requeue === undefined ? { actions } : { actions, requeueAfterSeconds: requeue };
}

/** Pods that finished since the last pass (they still hold the tracking finalizer). */
function countFinishedPods(job: Job, pods: Pod[]) {
  const ns = job.metadata.namespace ?? 'default';
  const rules = job.spec.podFailurePolicy?.rules;
  const onlyReplaceFailed = job.spec.podReplacementPolicy === 'Failed' || rules !== undefined;
  const out = {
    succeeded: 0,
    failed: 0,
    failJobMessage: undefined as string | undefined,
    release: [] as JobAction[],
  };
  for (const pod of pods) {
    if (!pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
    const phase = pod.status?.phase;
    // Without a pod failure policy a deleted pod counts as failed at once (it may never finish).
    const failed =
      phase === 'Failed' ||
      (!onlyReplaceFailed && pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded');
    if (phase === 'Succeeded') out.succeeded++;
    else if (!failed) continue;
    else {
      const match = rules && phase === 'Failed' ? matchPodFailurePolicy(rules, pod) : {};
      if (match.action !== 'Ignore') out.failed++;
      if (match.message) out.failJobMessage ??= match.message;
    }
    out.release.push({
      type: 'removePodFinalizer',
      namespace: ns,
      name: pod.metadata.name ?? '',
      finalizer: JOB_TRACKING_FINALIZER,
    });
  }
  return out;
}

function failureReason(
  job: Job,
  pods: Pod[],
  failed: number,
  failJobMessage: string | undefined,
  conditions: JobCondition[],
  nowMs: number,
): { reason: string; message: string } | undefined {
  const target = findCondition(conditions, 'FailureTarget');
  if (target?.status === 'True') return { reason: target.reason ?? '', message: target.message ?? '' };
  if (failJobMessage) return { reason: 'PodFailurePolicy', message: failJobMessage };
  const limit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  if (failed > limit || pastBackoffLimitOnFailure(job, pods, limit)) {
    return { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  }
  const deadline = job.spec.activeDeadlineSeconds;
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : undefined;
  if (deadline !== undefined && start !== undefined && nowMs - start >= deadline * 1000) {
    return { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  }
  return undefined;
}

/** With restartPolicy OnFailure failures are container restarts inside still-running pods. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[], limit: number): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) {
      restarts += cs.restartCount;
    }
  }
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function successCriteriaMet(job: Job, succeeded: number, active: number): boolean {
  const { completions } = job.spec;
  return completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions;
}

function managePods(
  job: Job,
  pods: Pod[],
  active: Pod[],
  terminating: Pod[],
  succeeded: number,
  failed: number,
  nowMs: number,
  opts: JobControllerOptions,
): { actions: JobAction[]; activeCount: number; requeueAfterSeconds?: number } {
  const { spec } = job;
  const ns = job.metadata.namespace ?? 'default';
  const parallelism = spec.parallelism ?? 1;
  // Without completions, once one pod succeeded the rest are left to finish and none added.
  const want =
    spec.completions === undefined
      ? succeeded > 0
        ? active.length
        : parallelism
      : Math.max(0, Math.min(parallelism, spec.completions - succeeded));
  const onlyReplaceFailed = spec.podReplacementPolicy === 'Failed' || spec.podFailurePolicy !== undefined;
  const current = active.length + (onlyReplaceFailed ? terminating.length : 0);
  const actions: JobAction[] = [];

  if (active.length > want) {
    const extra = [...active.filter((p) => !isReady(p)), ...newestFirst(active.filter(isReady))];
    for (const p of extra.slice(0, active.length - want)) {
      actions.push({ type: 'deletePod', namespace: ns, name: p.metadata.name ?? '' });
    }
    return { actions, activeCount: want };
  }
  if (current >= want) return { actions, activeCount: active.length };

  const wait = backoffRemaining(pods, failed, nowMs, opts);
  if (wait > 0) return { actions, activeCount: active.length, requeueAfterSeconds: wait };
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  for (let i = current; i < want; i++) {
    const pod = podFromTemplate(spec.template, {
      name: `${name}-${randomSuffix(opts.random)}`,
      namespace: ns,
      labels,
      owner: controllerRef('batch/v1', 'Job', job.metadata),
      finalizers: [JOB_TRACKING_FINALIZER],
    });
    actions.push({ type: 'createPod', pod });
  }
  return { actions, activeCount: active.length + want - current };
}

/** Seconds until failed pods may be replaced: exponential in the failure count, from the last failure. */
function backoffRemaining(pods: Pod[], failed: number, nowMs: number, opts: JobControllerOptions): number {
  if (failed === 0) return 0;
  const base = opts.podBackoffBaseSeconds ?? 10;
  const max = opts.podBackoffMaxSeconds ?? 360;
  const delay = Math.min(base * 2 ** (failed - 1), max);
  const lastFailure = Math.max(
    0,
    ...pods
      .filter((p) => p.status?.phase === 'Failed')
      .flatMap((p) => [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])])
      .map((cs) => Date.parse(cs.state.terminated?.finishedAt ?? '') || 0),
  );
  if (lastFailure === 0) return 0;
  return Math.max(0, Math.ceil((lastFailure + delay * 1000 - nowMs) / 1000));
}

function deadlineRequeue(job: Job, startTime: string | undefined, nowMs: number): number | undefined {
  const deadline = job.spec.activeDeadlineSeconds;
  if (deadline === undefined || startTime === undefined) return undefined;
  return Math.max(0, Math.ceil((Date.parse(startTime) + deadline * 1000 - nowMs) / 1000));
}

/** A finished Job is deleted (propagation Background) ttlSecondsAfterFinished after it finished. */
function ttlRequeue(
  job: Job,
  conditions: JobCondition[],
  nowMs: number,
  actions: JobAction[],
): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || job.metadata.deletionTimestamp) return undefined;
  const done = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const finishedAt = Date.parse(done?.lastTransitionTime ?? job.status?.completionTime ?? '') || nowMs;
  const remaining = Math.ceil((finishedAt + ttl * 1000 - nowMs) / 1000);
  if (remaining > 0) return remaining;
  actions.push({
    type: 'deleteJob',
    namespace: job.metadata.namespace ?? 'default',
    name: job.metadata.name ?? '',
    propagationPolicy: 'Background',
  });
  return undefined;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
