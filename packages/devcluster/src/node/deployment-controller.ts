import { rfc3339 } from './time.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, Pod, PodTemplateSpec } from './types.js';
import {
  controllerRef,
  findCondition,
  isActive,
  isControlledBy,
  isReady,
  newestFirst,
  podFromTemplate,
  type Reconciliation,
  randomSuffix,
  safeEncode,
  sameJSON,
  setCondition,
  type WorkloadAction,
} from './workload.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

type DeploymentAction = WorkloadAction<DeploymentStatus>;

/** FNV-1a 32-bit, the hash family Kubernetes uses for pod-template-hash. */
function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function stableJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stableJSON(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The pod-template-hash of a template. Same shape as Kubernetes' (FNV-32a, safe-encoded
 * decimal) but over canonical JSON, so the values differ from a real cluster's.
 */
export function podTemplateHash(template: PodTemplateSpec): string {
  return safeEncode(String(fnv32a(stableJSON(template))));
}

/** An int or a percentage of `total`, rounded up (surge) or down (unavailable) as Kubernetes does. */
export function resolveIntOrPercent(
  value: number | string | undefined,
  total: number,
  fallback: string,
  roundUp: boolean,
) {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const pct = (Number.parseInt(v, 10) * total) / 100;
  return roundUp ? Math.ceil(pct) : Math.floor(pct);
}

export interface DeploymentControllerOptions {
  random?: () => number;
}

/**
 * One pass of a Deployment controller that manages pods directly (no ReplicaSets): pods are
 * named `<deployment>-<hash>-<suffix>` and labelled `pod-template-hash`, as a ReplicaSet would.
 * RollingUpdate honours maxSurge/maxUnavailable; Recreate deletes old pods first. Finished pods
 * are replaced but left in place, like a ReplicaSet leaves them.
 */
export function reconcileDeployment(
  deployment: Deployment,
  allPods: Pod[],
  nowMs: number,
  opts: DeploymentControllerOptions = {},
): Reconciliation<DeploymentStatus> {
  const now = rfc3339(nowMs);
  const { spec, metadata } = deployment;
  const ns = metadata.namespace ?? 'default';
  const replicas = spec.replicas ?? 1;
  const hash = podTemplateHash(spec.template);
  const rsName = `${metadata.name}-${hash}`;
  const pods = allPods.filter((p) => isControlledBy(p, metadata) && isActive(p));
  const isNew = (p: Pod) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash;
  const available = (p: Pod) => isAvailable(p, spec.minReadySeconds ?? 0, nowMs);
  let newPods = pods.filter(isNew);
  let oldPods = pods.filter((p) => !isNew(p));
  const actions: DeploymentAction[] = [];
  const del = (list: Pod[]) => {
    for (const p of list) actions.push({ type: 'deletePod', namespace: ns, name: p.metadata.name ?? '' });
  };
  let toCreate = 0;

  if (!spec.paused) {
    const recreate = spec.strategy?.type === 'Recreate';
    const maxSurge = recreate
      ? 0
      : resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxSurge, replicas, '25%', true);
    let maxUnavailable = recreate
      ? replicas
      : resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable, replicas, '25%', false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

    if (newPods.length > replicas) {
      const extra = scaleDownOrder(newPods, available).slice(0, newPods.length - replicas);
      del(extra);
      newPods = newPods.filter((p) => !extra.includes(p));
    }
    if (recreate && oldPods.length > 0) {
      del(oldPods);
      oldPods = [];
    } else if (
      !recreate ||
      !allPods.some((p) => isControlledBy(p, metadata) && !isNew(p) && !isFinished(p))
    ) {
      // Recreate also waits for old pods still terminating.
      const room = replicas + maxSurge - (newPods.length + oldPods.length);
      toCreate = Math.max(0, Math.min(replicas - newPods.length, recreate ? replicas : room));
    }

    // Old pods go as far as availability allows: unhealthy ones first, then available ones.
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = newPods.filter((p) => !available(p)).length;
    const budget = newPods.length + oldPods.length - minAvailable - newUnavailable;
    if (budget > 0 && oldPods.length > 0) {
      const unhealthy = oldPods.filter((p) => !available(p)).slice(0, budget);
      del(unhealthy);
      oldPods = oldPods.filter((p) => !unhealthy.includes(p));
      const availableNow = [...newPods, ...oldPods].filter(available).length;
      const healthy = scaleDownOrder(oldPods, available).slice(0, Math.max(0, availableNow - minAvailable));
      del(healthy);
      oldPods = oldPods.filter((p) => !healthy.includes(p));
    }
  }

  const labels = { [POD_TEMPLATE_HASH_LABEL]: hash };
  for (let i = 0; i < toCreate; i++) {
    actions.push({
      type: 'createPod',
      pod: podFromTemplate(spec.template, {
        name: `${rsName}-${randomSuffix(opts.random)}`,
        namespace: ns,
        labels,
        owner: controllerRef('apps/v1', 'Deployment', metadata),
      }),
    });
  }

  const status = deploymentStatus(deployment, {
    replicas: newPods.length + oldPods.length,
    updated: newPods.length,
    ready: [...newPods, ...oldPods].filter(isReady).length,
    available: [...newPods, ...oldPods].filter(available).length,
    progressed: actions.length > 0,
    rsName,
    now,
    nowMs,
  });
  if (!sameJSON(status, deployment.status ?? {})) actions.push({ type: 'updateStatus', status });
  const requeue = requeueAfter(deployment, status, pods, available, nowMs);
  return requeue === undefined ? { actions } : { actions, requeueAfterSeconds: requeue };
}

/** When to look again unprompted: a pod reaching minReadySeconds, or the progress deadline. */
function requeueAfter(
  d: Deployment,
  status: DeploymentStatus,
  pods: Pod[],
  available: (p: Pod) => boolean,
  nowMs: number,
): number | undefined {
  const minReady = d.spec.minReadySeconds ?? 0;
  const times: number[] = [];
  for (const p of pods) {
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    if (ready && !available(p)) times.push(Date.parse(ready.lastTransitionTime ?? '') + minReady * 1000);
  }
  const progressing = findCondition(status.conditions, 'Progressing');
  if (progressing?.reason === 'ReplicaSetUpdated') {
    const deadline = (d.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
    times.push(Date.parse(progressing.lastUpdateTime ?? '') + deadline + 1000);
  }
  const next = Math.min(...times.filter((t) => !Number.isNaN(t)));
  return Number.isFinite(next) ? Math.max(0, Math.ceil((next - nowMs) / 1000)) : undefined;
}

function isFinished(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** Ready for at least minReadySeconds. */
function isAvailable(p: Pod, minReadySeconds: number, nowMs: number): boolean {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  return (
    minReadySeconds === 0 || Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 <= nowMs
  );
}

/** Not-yet-available pods go first, then the newest. */
function scaleDownOrder(pods: Pod[], available: (p: Pod) => boolean): Pod[] {
  return [...newestFirst(pods.filter((p) => !available(p))), ...newestFirst(pods.filter(available))];
}

interface Counts {
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  progressed: boolean;
  rsName: string;
  now: string;
  nowMs: number;
}

function deploymentStatus(d: Deployment, c: Counts): DeploymentStatus {
  const desired = d.spec.replicas ?? 1;
  const prev = d.status ?? {};
  const conditions: DeploymentCondition[] = structuredClone(prev.conditions ?? []);
  const set = (type: string, status: string, reason: string, message: string) =>
    setCondition(conditions, { type, status, reason, message }, c.now, ['lastUpdateTime']);

  const maxUnavailable =
    d.spec.strategy?.type === 'Recreate'
      ? desired
      : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, desired, '25%', false);
  if (c.available >= desired - maxUnavailable) {
    set('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
  } else {
    set('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
  }

  const complete = c.updated === desired && c.replicas === desired && c.available === desired;
  const progressing = findCondition(conditions, 'Progressing');
  const deadline = (d.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
  const countsMoved =
    prev.updatedReplicas !== (c.updated || undefined) ||
    prev.availableReplicas !== (c.available || undefined);
  if (complete) {
    set(
      'Progressing',
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${c.rsName}" has successfully progressed.`,
    );
  } else if (c.progressed || countsMoved || !progressing) {
    set('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${c.rsName}" is progressing.`);
    // Progress refreshes the deadline even when the condition's text stays the same.
    const cond = findCondition(conditions, 'Progressing');
    if (cond) cond.lastUpdateTime = c.now;
  } else if (
    progressing.status === 'True' &&
    c.nowMs - Date.parse(progressing.lastUpdateTime ?? c.now) > deadline
  ) {
    set(
      'Progressing',
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${c.rsName}" has timed out progressing.`,
    );
  }

  const status: DeploymentStatus = { observedGeneration: d.metadata.generation ?? 1 };
  if (c.replicas) status.replicas = c.replicas;
  if (c.updated) status.updatedReplicas = c.updated;
  if (c.ready) status.readyReplicas = c.ready;
  if (c.available) status.availableReplicas = c.available;
  const unavailable = Math.max(0, c.replicas - c.available);
  if (unavailable) status.unavailableReplicas = unavailable;
  status.conditions = conditions;
  return status;
}
