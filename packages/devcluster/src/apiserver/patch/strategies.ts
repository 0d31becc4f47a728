/**
 * Per-kind patch metadata for the built-in types, transcribed from the `patchStrategy` /
 * `patchMergeKey` struct tags (strategic merge patch) and the `+listType` / `+structType` markers
 * (server-side apply) in k8s.io/api. kube-apiserver reads these from Go types; we have no Go types,
 * so the handful of fields that matter for the kinds devcluster serves are listed here. A field that
 * is not listed behaves like a plain JSON value: objects merge key by key, lists are replaced.
 */

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface FieldStrategy {
  /** `patchStrategy:"merge"`: the list merges with the live list instead of replacing it. */
  readonly merge?: boolean;
  /** `patchMergeKey`: the field identifying items of a merging list of objects. */
  readonly mergeKey?: string;
  /** Server-side apply treats the field as a single value (`+structType=atomic`). */
  readonly atomic?: boolean;
  /** Strategies of the nested object's fields, or of each list item's fields. */
  readonly fields?: Schema;
}

export type Schema = Readonly<Record<string, FieldStrategy>>;

const byKey = (mergeKey: string, fields?: Schema): FieldStrategy => ({ merge: true, mergeKey, fields });
/** A merging list of scalars, such as finalizers: union on patch, `$deleteFromPrimitiveList` to remove. */
const set: FieldStrategy = { merge: true };
const conditions = byKey('type');

const objectMeta: FieldStrategy = {
  fields: { finalizers: set, ownerReferences: byKey('uid') },
};

const container: Schema = {
  env: byKey('name'),
  ports: byKey('containerPort'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
};

// `tolerations` is deliberately absent: Kubernetes declares no patch strategy for it, so a patch
// replaces the whole list. `hostAliases` merges by `ip`, as its struct tag says.
const podSpec: FieldStrategy = {
  fields: {
    containers: byKey('name', container),
    initContainers: byKey('name', container),
    ephemeralContainers: byKey('name', container),
    volumes: byKey('name'),
    imagePullSecrets: byKey('name'),
    hostAliases: byKey('ip'),
    schedulingGates: byKey('name'),
    resourceClaims: byKey('name'),
    topologySpreadConstraints: byKey('topologyKey'),
  },
};

const podTemplate: FieldStrategy = { fields: { metadata: objectMeta, spec: podSpec } };

/** Workload selectors are `+structType=atomic` LabelSelectors: apply owns them as one value. */
const labelSelector: FieldStrategy = { atomic: true };

const statusWithConditions: FieldStrategy = { fields: { conditions } };

const workload = (extraSpec: Schema = {}): Schema => ({
  metadata: objectMeta,
  spec: { fields: { selector: labelSelector, template: podTemplate, ...extraSpec } },
  status: statusWithConditions,
});

const jobSpec: FieldStrategy = { fields: { selector: labelSelector, template: podTemplate } };

const SCHEMAS: Readonly<Record<string, Schema>> = {
  '/Pod': {
    metadata: objectMeta,
    spec: podSpec,
    status: { fields: { conditions, podIPs: byKey('ip'), hostIPs: byKey('ip') } },
  },
  '/PodTemplate': { metadata: objectMeta, template: podTemplate },
  '/Service': {
    metadata: objectMeta,
    spec: { fields: { ports: byKey('port') } },
    status: statusWithConditions,
  },
  '/Node': {
    metadata: objectMeta,
    spec: { fields: { podCIDRs: set } },
    status: { fields: { conditions, addresses: byKey('type') } },
  },
  '/Namespace': { metadata: objectMeta, status: statusWithConditions },
  '/PersistentVolumeClaim': { metadata: objectMeta, status: statusWithConditions },
  '/ReplicationController': workload(),
  'batch/Job': { metadata: objectMeta, spec: jobSpec, status: statusWithConditions },
  'batch/CronJob': {
    metadata: objectMeta,
    spec: { fields: { jobTemplate: { fields: { metadata: objectMeta, spec: jobSpec } } } },
  },
  'apps/Deployment': workload(),
  'apps/ReplicaSet': workload(),
  'apps/StatefulSet': workload(),
  'apps/DaemonSet': workload(),
};

/** Only ObjectMeta is known for the remaining built-in kinds (ConfigMap, Secret, Lease, RBAC, ...). */
const METADATA_ONLY: Schema = { metadata: objectMeta };

/**
 * API groups served by kube-apiserver itself. Strategic merge patch needs Go struct tags, so
 * Kubernetes only offers it for these; custom resources answer 415 Unsupported Media Type.
 */
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

export function supportsStrategicMergePatch(kind: GroupKind): boolean {
  return BUILT_IN_GROUPS.has(kind.group);
}

/**
 * The patch metadata for a kind: its own table for the kinds listed above, ObjectMeta only for other
 * built-in kinds, and nothing for custom resources (whose lists are all atomic).
 */
export function schemaFor(kind: GroupKind): Schema | undefined {
  return (
    SCHEMAS[`${kind.group}/${kind.kind}`] ?? (supportsStrategicMergePatch(kind) ? METADATA_ONLY : undefined)
  );
}

/** Group and kind from an object's own `apiVersion` and `kind`, as the apiserver would route it. */
export function groupKindOf(obj: unknown): GroupKind {
  const o = (typeof obj === 'object' && obj !== null ? obj : {}) as { apiVersion?: unknown; kind?: unknown };
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    kind: typeof o.kind === 'string' ? o.kind : '',
  };
}
