import type { Job, ObjectMeta, OwnerReference, Pod, PodTemplateSpec } from './types.js';

/** The alphabet of Kubernetes' generated name suffixes (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character suffix as the API server appends for generateName. */
export function randomSuffix(random: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  return s;
}

/** Kubernetes' rand.SafeEncodeString: maps each character into the suffix alphabet. */
export function safeEncode(s: string): string {
  return [...s].map((c) => SUFFIX_ALPHABET[c.charCodeAt(0) % SUFFIX_ALPHABET.length]).join('');
}

export function controllerRef(apiVersion: string, kind: string, owner: ObjectMeta): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.name ?? '',
    uid: owner.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(obj: { metadata: ObjectMeta }, owner: ObjectMeta): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === owner.uid);
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Counted as active: not finished and not being deleted. */
export function isActive(pod: Pod): boolean {
  return !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A pod built from a template: the template's metadata plus the controller's labels and owner. */
export function podFromTemplate(
  template: PodTemplateSpec,
  meta: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    owner: OwnerReference;
    finalizers?: string[];
  },
): Pod {
  const tm = template.metadata ?? {};
  const metadata: ObjectMeta = {
    name: meta.name,
    generateName: meta.name.slice(0, meta.name.lastIndexOf('-') + 1),
    namespace: meta.namespace,
    labels: { ...tm.labels, ...meta.labels },
    ownerReferences: [meta.owner],
  };
  if (tm.annotations) metadata.annotations = { ...tm.annotations };
  if (meta.finalizers) metadata.finalizers = meta.finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec) };
}

/** Newest first by creationTimestamp, then name: the order controllers delete extra pods in. */
export function newestFirst<T extends { metadata: ObjectMeta }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
      (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''),
  );
}

export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What a controller wants done; a binding layer applies these against the API server in order. */
export type WorkloadAction<S> =
  | { type: 'createPod'; pod: Pod }
  | { type: 'deletePod'; namespace: string; name: string }
  | { type: 'removePodFinalizer'; namespace: string; name: string; finalizer: string }
  | { type: 'createJob'; job: Job }
  | { type: 'deleteJob'; namespace: string; name: string; propagationPolicy: 'Background' }
  | { type: 'updateStatus'; status: S };

export interface Reconciliation<S> {
  actions: WorkloadAction<S>[];
  /** Reconcile again after this long even if nothing changes (deadlines, TTLs, schedules). */
  requeueAfterSeconds?: number;
  /** Problems worth a Warning event on the object (e.g. an unparseable schedule). */
  warnings?: string[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export function findCondition<C extends Condition>(conditions: C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

export function hasTrueCondition(conditions: Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Sets a condition in place, keeping lastTransitionTime while its status stays the same.
 * `timeFields` are the timestamps this kind of condition carries besides lastTransitionTime.
 */
export function setCondition<C extends Condition>(
  conditions: C[],
  next: Pick<C, 'type' | 'status' | 'reason' | 'message'>,
  now: string,
  timeFields: ('lastProbeTime' | 'lastUpdateTime')[],
): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const prev = conditions[i];
  if (prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message)
    return;
  const cond = { ...next } as C;
  for (const f of timeFields) cond[f] = now;
  cond.lastTransitionTime = prev && prev.status === next.status ? (prev.lastTransitionTime ?? now) : now;
  if (i === -1) conditions.push(cond);
  else conditions[i] = cond;
}
