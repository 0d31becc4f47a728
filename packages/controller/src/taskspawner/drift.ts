import { isDeepStrictEqual } from 'node:util';
import type { V1Container, V1CronJob, V1Deployment, V1EnvVar } from '@kubernetes/client-node';
import { resourcesEqual } from './resources.js';

/** The parts of a Deployment the controller keeps as built, in wire or client-node form. */
interface DeploymentShape {
  metadata?: { labels?: Record<string, string> };
  spec?: {
    replicas?: number;
    template: {
      spec?: {
        serviceAccountName?: string;
        containers: V1Container[];
        initContainers?: V1Container[];
        volumes?: unknown[];
      };
    };
  };
}

/** JSON as the API server would hold it: no undefined members, empty lists and maps equal to absent ones. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? value.map(normalise) : undefined;
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, normalise(v)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalise(a), normalise(b));
}

/** Env compared by name, value and Secret reference (spec §9): what decides the spawner's credentials. */
function envKey(env: V1EnvVar[] | undefined): unknown[] {
  return (env ?? []).map((e) => {
    const ref = e.valueFrom?.secretKeyRef;
    const source = e.valueFrom ? (ref ? { secret: ref.name, key: ref.key } : 'other') : undefined;
    return { name: e.name, value: e.value ?? '', source };
  });
}

const withProtocol = (ports: V1Container['ports']) => (ports ?? []).map((p) => ({ protocol: 'TCP', ...p }));

/** Whether the first container differs from the built one in what the controller sets. */
function containerDrifted(current: V1Container, desired: V1Container): boolean {
  return (
    current.name !== desired.name ||
    current.image !== desired.image ||
    (desired.imagePullPolicy !== undefined && current.imagePullPolicy !== desired.imagePullPolicy) ||
    !sameJson(current.args, desired.args) ||
    !isDeepStrictEqual(envKey(current.env), envKey(desired.env)) ||
    !sameJson(current.volumeMounts, desired.volumeMounts) ||
    !sameJson(withProtocol(current.ports), withProtocol(desired.ports)) ||
    !resourcesEqual(current.resources, desired.resources)
  );
}

function adoptContainer(current: V1Container, desired: V1Container): void {
  current.name = desired.name;
  current.image = desired.image;
  if (desired.imagePullPolicy !== undefined) current.imagePullPolicy = desired.imagePullPolicy;
  for (const field of ['args', 'env', 'volumeMounts', 'ports', 'resources'] as const) {
    if (desired[field] === undefined) delete current[field];
    else Object.assign(current, { [field]: structuredClone(desired[field]) });
  }
}

/** Labels the built object carries that the current one lacks or has otherwise; other labels are kept. */
export function missingLabels(
  current: { metadata?: { labels?: Record<string, string> } },
  desired: { metadata?: { labels?: Record<string, string> } },
): boolean {
  const have = current.metadata?.labels ?? {};
  return Object.entries(desired.metadata?.labels ?? {}).some(([k, v]) => have[k] !== v);
}

/**
 * Drift correction of a spawner Deployment (spec §9): a copy of `current` with the controller's parts
 * (labels, replicas, service account, first container's image, args, env, mounts, ports, resources,
 * init containers, volumes) put back as `desired` has them, or undefined when none drifted. Everything
 * else, such as server defaults and annotations added by others, is kept.
 */
export function correctDeploymentDrift<T extends DeploymentShape>(
  current: T,
  desired: V1Deployment,
): T | undefined {
  const want = desired.spec?.template.spec;
  if (!want) throw new Error('built Deployment has no pod spec');
  const next = structuredClone(current) as T & DeploymentShape;
  let drifted = false;
  if (missingLabels(next, desired)) {
    next.metadata = { ...next.metadata, labels: { ...next.metadata?.labels, ...desired.metadata?.labels } };
    drifted = true;
  }
  if (!next.spec) throw new Error('Deployment has no spec');
  if (next.spec.replicas !== desired.spec?.replicas) {
    next.spec.replicas = desired.spec?.replicas ?? 1;
    drifted = true;
  }
  const pod = next.spec.template.spec ?? { containers: [] };
  next.spec.template.spec = pod;
  if (pod.serviceAccountName !== want.serviceAccountName) {
    pod.serviceAccountName = want.serviceAccountName;
    drifted = true;
  }
  const [first] = pod.containers;
  const [built] = want.containers;
  if (!built) throw new Error('built Deployment has no container');
  if (!first || pod.containers.length !== want.containers.length) {
    pod.containers = structuredClone(want.containers);
    drifted = true;
  } else if (containerDrifted(first, built)) {
    adoptContainer(first, built);
    drifted = true;
  }
  for (const field of ['initContainers', 'volumes'] as const) {
    if (sameJson(pod[field], want[field])) continue;
    if (want[field] === undefined) delete pod[field];
    else Object.assign(pod, { [field]: structuredClone(want[field]) });
    drifted = true;
  }
  return drifted ? next : undefined;
}

/**
 * What the CronJob should be: the current object (server fields, others' annotations) with the built
 * spec and labels. Sent as a server-side dry-run, it comes back defaulted, so comparing its spec with the
 * current one sees only real changes (spec §9 CronJob mode).
 */
export function cronJobCandidate<
  T extends { metadata?: { labels?: Record<string, string> }; spec?: unknown },
>(current: T, desired: V1CronJob): T {
  const next = structuredClone(current);
  next.metadata = { ...next.metadata, labels: { ...next.metadata?.labels, ...desired.metadata?.labels } };
  next.spec = structuredClone(desired.spec);
  return next;
}
