import { humanDuration } from '@kelos/shared/duration';
/**
 * Server-side printing: `meta.k8s.io/v1` `Table` responses, which `kubectl get` asks for. The
 * built-in printers follow kube-apiserver's (pkg/printers/internalversion), including the
 * priority-1 columns that `-o wide` shows, and custom resources follow apiextensions-apiserver's
 * `additionalPrinterColumns` convertor.
 */
import type { GroupKind } from './patch/index.js';
import { formatLabelSelector, type LabelSelectorSpec, labelSelectorFromMatch } from './selectors.js';

/** A CRD version's `additionalPrinterColumns` entry. */
export type PrinterColumn = {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
};

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  /** What each row carries in `object`; kube-apiserver (and so kubectl) defaults to `Metadata`. */
  includeObject?: 'None' | 'Object' | 'Metadata';
  /** The clock for ages and durations; defaults to now. */
  now?: Date;
}

type Obj = Record<string, unknown>;

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const column = (
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): TableColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});
const NAME = column('Name', 'string', NAME_DESCRIPTION, 0, 'name');
const AGE = column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION);
const CREATED_AT = column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION);
const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = column('Selector', 'string', 'A label query over pods that should match the pod count.', 1);

/**
 * Converts objects of one kind into a Table. With `columns` (a CRD's `additionalPrinterColumns`) the
 * table is Name plus those columns, evaluated with a JSONPath subset; an empty list means Name and
 * Age, as for a CRD that declares none. Without `columns`, built-in kinds get kubectl's columns and
 * anything else gets Name and Age.
 */
export function toTable(
  objects: object[],
  columns: PrinterColumn[] | undefined,
  kind: GroupKind,
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  options: TableOptions = {},
): Table {
  const now = options.now ?? new Date();
  const printer =
    columns !== undefined ? customPrinter(columns) : (PRINTERS[`${kind.group}/${kind.kind}`] ?? DEFAULT);
  const metadata: Table['metadata'] = {};
  if (listMeta.resourceVersion !== undefined) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue !== undefined) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  const includeObject = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((obj) => {
      const o = obj as Obj;
      const row: TableRow = { cells: printer.cells(o, now) };
      if (includeObject === 'Object') row.object = structuredClone(o);
      else if (includeObject === 'Metadata') {
        row.object = {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: structuredClone(asObj(o.metadata)),
        };
      }
      return row;
    }),
  };
}

interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  cells(obj: Obj, now: Date): unknown[];
}

// ---- value helpers ----

function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objects = (v: unknown): Obj[] => list(v).map(asObj);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const orNone = (s: string): string => (s === '' ? '<none>' : s);

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v)) {
    return undefined;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** `translateTimestampSince`: the age of a timestamp, `<unknown>` when there is none. */
function since(v: unknown, now: Date): string {
  const t = parseTime(v);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

const age = (o: Obj, now: Date) => since(asObj(o.metadata).creationTimestamp, now);
const name = (o: Obj) => str(asObj(o.metadata).name);

/** `creationTimestamp` as RFC 3339 in UTC, for the `Created At` date columns. */
function createdAt(o: Obj): string {
  const t = parseTime(asObj(o.metadata).creationTimestamp);
  return t === undefined ? '' : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Whether the condition of that type exists and is `True`. */
function hasCondition(conditions: unknown, type: string): boolean {
  return objects(conditions).find((c) => c.type === type)?.status === 'True';
}

function containerCells(podSpec: Obj): [string, string] {
  const containers = objects(podSpec.containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** `metav1.FormatLabelSelector`: `<none>` for an empty or missing selector, `<error>` for a bad one. */
function selectorCell(selector: unknown): string {
  try {
    return orNone(formatLabelSelector(labelSelectorFromMatch(selector as LabelSelectorSpec | undefined)));
  } catch {
    return '<error>';
  }
}

/** `labels.FormatLabels` for a plain map selector (Services). */
function mapSelectorCell(selector: unknown): string {
  const entries = Object.entries(asObj(selector)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return orNone(entries.map(([k, v]) => `${k}=${str(v)}`).join(','));
}

// ---- pods ----

function podCells(pod: Obj, now: Date): unknown[] {
  const meta = asObj(pod.metadata);
  const spec = asObj(pod.spec);
  const status = asObj(pod.status);
  const conditions = status.conditions;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart: number | undefined;
  let lastRestartableRestart: number | undefined;
  let readyContainers = 0;
  let reason = str(status.reason) || str(status.phase);
  if (objects(conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initContainers = objects(spec.initContainers);
  // Sidecars (init containers with restartPolicy Always) count as regular containers.
  const isSidecar = (containerName: unknown) =>
    initContainers.some((c) => c.name === containerName && c.restartPolicy === 'Always');
  const totalContainers =
    objects(spec.containers).length + initContainers.filter((c) => c.restartPolicy === 'Always').length;
  const later = (current: number | undefined, v: unknown) => {
    const t = parseTime(v);
    return t !== undefined && (current === undefined || t > current) ? t : current;
  };

  let initializing = false;
  const initStatuses = objects(status.initContainerStatuses);
  for (const [i, c] of initStatuses.entries()) {
    const state = asObj(c.state);
    const terminated = state.terminated === undefined ? undefined : asObj(state.terminated);
    const waiting = state.waiting === undefined ? undefined : asObj(state.waiting);
    const lastTerminated = asObj(asObj(c.lastState).terminated);
    restarts += num(c.restartCount);
    lastRestart = later(lastRestart, lastTerminated.finishedAt);
    if (isSidecar(c.name)) {
      restartableRestarts += num(c.restartCount);
      lastRestartableRestart = later(lastRestartableRestart, lastTerminated.finishedAt);
    }
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (isSidecar(c.name) && c.started === true) {
      if (c.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason)) reason = `Init:${str(terminated.reason)}`;
      else if (num(terminated.signal) !== 0) reason = `Init:Signal:${num(terminated.signal)}`;
      else reason = `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(conditions, 'Initialized')) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = objects(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] as Obj;
      const state = asObj(c.state);
      const terminated = state.terminated === undefined ? undefined : asObj(state.terminated);
      const waiting = state.waiting === undefined ? undefined : asObj(state.waiting);
      restarts += num(c.restartCount);
      lastRestart = later(lastRestart, asObj(asObj(c.lastState).terminated).finishedAt);
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) {
        reason =
          num(terminated.signal) !== 0
            ? `Signal:${num(terminated.signal)}`
            : `ExitCode:${num(terminated.exitCode)}`;
      } else if (c.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const phase = str(status.phase);
  if (meta.deletionTimestamp != null && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp != null && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  const restartCell =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
      : String(restarts);
  const podIPs = objects(status.podIPs);
  const podIP = podIPs.length > 0 ? str(podIPs[0]?.ip) : str(status.podIP);
  const gates = objects(spec.readinessGates);
  const readinessGates =
    gates.length === 0
      ? '<none>'
      : `${gates.filter((g) => hasCondition(conditions, str(g.conditionType))).length}/${gates.length}`;
  return [
    name(pod),
    `${readyContainers}/${totalContainers}`,
    reason,
    restartCell,
    age(pod, now),
    orNone(podIP),
    orNone(str(spec.nodeName)),
    orNone(str(status.nominatedNodeName)),
    readinessGates,
  ];
}

// ---- workloads ----

function jobCells(job: Obj, now: Date): unknown[] {
  const meta = asObj(job.metadata);
  const spec = asObj(job.spec);
  const status = asObj(job.status);
  const succeeded = num(status.succeeded);
  let completions: string;
  if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`;
  else {
    const parallelism = num(spec.parallelism);
    completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  }
  const start = parseTime(status.startTime);
  const completion = parseTime(status.completionTime);
  let duration = '';
  if (start !== undefined) duration = humanDuration((completion ?? now.getTime()) - start);
  let state = 'Running';
  if (hasCondition(status.conditions, 'Complete')) state = 'Complete';
  else if (hasCondition(status.conditions, 'Failed')) state = 'Failed';
  else if (meta.deletionTimestamp != null) state = 'Terminating';
  else if (hasCondition(status.conditions, 'Suspended')) state = 'Suspended';
  else if (hasCondition(status.conditions, 'FailureTarget')) state = 'FailureTarget';
  else if (hasCondition(status.conditions, 'SuccessCriteriaMet')) state = 'SuccessCriteriaMet';
  const [containers, images] = containerCells(asObj(asObj(spec.template).spec));
  return [
    name(job),
    state,
    completions,
    duration,
    age(job, now),
    containers,
    images,
    selectorCell(spec.selector),
  ];
}

function deploymentCells(d: Obj, now: Date): unknown[] {
  const spec = asObj(d.spec);
  const status = asObj(d.status);
  // The API defaults `replicas` to 1.
  const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const [containers, images] = containerCells(asObj(asObj(spec.template).spec));
  return [
    name(d),
    `${num(status.readyReplicas)}/${desired}`,
    num(status.updatedReplicas),
    num(status.availableReplicas),
    age(d, now),
    containers,
    images,
    selectorCell(spec.selector),
  ];
}

function cronJobCells(cj: Obj, now: Date): unknown[] {
  const spec = asObj(cj.spec);
  const status = asObj(cj.status);
  const jobSpec = asObj(asObj(spec.jobTemplate).spec);
  const [containers, images] = containerCells(asObj(asObj(jobSpec.template).spec));
  const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
  return [
    name(cj),
    str(spec.schedule),
    orNone(str(spec.timeZone)),
    suspend,
    list(status.active).length,
    status.lastScheduleTime == null ? '<none>' : since(status.lastScheduleTime, now),
    age(cj, now),
    containers,
    images,
    selectorCell(jobSpec.selector),
  ];
}

// ---- core ----

function eventCells(e: Obj, now: Date): unknown[] {
  // events.k8s.io/v1 renames the core fields; both print the same way.
  const involved = asObj(e.involvedObject ?? e.regarding);
  const source = asObj(e.source ?? e.deprecatedSource);
  const series = e.series == null ? undefined : asObj(e.series);
  let firstSeen = since(e.firstTimestamp ?? e.deprecatedFirstTimestamp, now);
  if (parseTime(e.firstTimestamp ?? e.deprecatedFirstTimestamp) === undefined) {
    firstSeen = since(e.eventTime, now);
  }
  let lastSeen = since(e.lastTimestamp ?? e.deprecatedLastTimestamp, now);
  if (parseTime(e.lastTimestamp ?? e.deprecatedLastTimestamp) === undefined) lastSeen = firstSeen;
  let count = num(e.count ?? e.deprecatedCount);
  if (series) {
    lastSeen = since(series.lastObservedTime, now);
    count = num(series.count);
  } else if (count === 0) {
    count = 1;
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  const component = str(source.component) || str(e.reportingController ?? e.reportingComponent);
  const instance = str(source.host) || str(e.reportingInstance);
  return [
    lastSeen,
    str(e.type),
    str(e.reason),
    target,
    str(involved.fieldPath),
    instance ? `${component}, ${instance}` : component,
    str(e.message ?? e.note).trim(),
    firstSeen,
    count,
    name(e),
  ];
}

function serviceCells(svc: Obj, now: Date): unknown[] {
  const spec = asObj(svc.spec);
  const type = str(spec.type);
  const clusterIPs = list(spec.clusterIPs);
  const clusterIP = clusterIPs.length > 0 ? str(clusterIPs[0]) : orNone(str(spec.clusterIP));
  const externalIPs = list(spec.externalIPs).map(str);
  let external: string;
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      external = orNone(externalIPs.join(','));
      break;
    case 'LoadBalancer': {
      const ingress = objects(asObj(asObj(svc.status).loadBalancer).ingress)
        .map((i) => str(i.ip) || str(i.hostname))
        .filter((s) => s !== '');
      const all = [...ingress, ...externalIPs];
      external = all.length > 0 ? all.join(',') : '<pending>';
      break;
    }
    case 'ExternalName':
      external = str(spec.externalName);
      break;
    default:
      external = '<unknown>';
  }
  const ports = objects(spec.ports).map((p) => {
    const protocol = str(p.protocol) || 'TCP';
    return num(p.nodePort) > 0
      ? `${num(p.port)}:${num(p.nodePort)}/${protocol}`
      : `${num(p.port)}/${protocol}`;
  });
  return [
    name(svc),
    type,
    clusterIP,
    external,
    orNone(ports.join(',')),
    age(svc, now),
    mapSelectorCell(spec.selector),
  ];
}

function nodeCells(node: Obj, now: Date): unknown[] {
  const meta = asObj(node.metadata);
  const status = asObj(node.status);
  const info = asObj(status.nodeInfo);
  const ready = objects(status.conditions).find((c) => c.type === 'Ready');
  const states = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (asObj(node.spec).unschedulable === true) states.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(asObj(meta.labels))) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 'node-role.kubernetes.io/'.length) {
      roles.add(key.slice('node-role.kubernetes.io/'.length));
    } else if (key === 'kubernetes.io/role' && str(value)) {
      roles.add(str(value));
    }
  }
  const address = (type: string) =>
    orNone(str(objects(status.addresses).find((a) => a.type === type)?.address));
  const unknown = (s: string) => (s === '' ? '<unknown>' : s);
  return [
    name(node),
    states.join(','),
    orNone([...roles].sort().join(',')),
    age(node, now),
    str(info.kubeletVersion),
    address('InternalIP'),
    address('ExternalIP'),
    unknown(str(info.osImage)),
    unknown(str(info.kernelVersion)),
    unknown(str(info.containerRuntimeVersion)),
  ];
}

function roleBindingCells(rb: Obj, now: Date): unknown[] {
  const ref = asObj(rb.roleRef);
  const subjects = objects(rb.subjects);
  const of = (kind: string, render: (s: Obj) => string) =>
    subjects
      .filter((s) => s.kind === kind)
      .map(render)
      .join(', ');
  return [
    name(rb),
    `${str(ref.kind)}/${str(ref.name)}`,
    age(rb, now),
    of('User', (s) => str(s.name)),
    of('Group', (s) => str(s.name)),
    of('ServiceAccount', (s) => `${str(s.namespace)}:${str(s.name)}`),
  ];
}

const POD_COLUMNS = [
  NAME,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  AGE,
  column('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
  column('Node', 'string', 'The node the pod is scheduled onto.', 1),
  column('Nominated Node', 'string', 'The node the scheduler nominated for the pod when preempting.', 1),
  column('Readiness Gates', 'string', 'Readiness gates that are true, out of all the pod declares.', 1),
];

const PRINTERS: Readonly<Record<string, Printer>> = {
  '/Pod': { columns: POD_COLUMNS, cells: podCells },
  'batch/Job': {
    columns: [
      NAME,
      column('Status', 'string', 'Status of the job.'),
      column(
        'Completions',
        'string',
        'The number of pods which reached phase Succeeded, out of those required.',
      ),
      column('Duration', 'string', 'Time required to complete the job.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: jobCells,
  },
  'batch/CronJob': {
    columns: [
      NAME,
      column('Schedule', 'string', 'The schedule in Cron format.'),
      column('Timezone', 'string', 'The time zone name for the given schedule.'),
      column('Suspend', 'boolean', 'Whether subsequent executions are suspended.'),
      column('Active', 'integer', 'Number of currently running jobs.'),
      column(
        'Last Schedule',
        'string',
        'Information when was the last time the job was successfully scheduled.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: cronJobCells,
  },
  'apps/Deployment': {
    columns: [
      NAME,
      column('Ready', 'string', 'Number of the pod with ready state'),
      column(
        'Up-to-date',
        'string',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      column(
        'Available',
        'string',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: deploymentCells,
  },
  '/ConfigMap': {
    columns: [NAME, column('Data', 'string', 'Number of data entries in the ConfigMap.'), AGE],
    cells: (cm, now) => [
      name(cm),
      Object.keys(asObj(cm.data)).length + Object.keys(asObj(cm.binaryData)).length,
      age(cm, now),
    ],
  },
  '/Secret': {
    columns: [
      NAME,
      column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
      column('Data', 'string', 'Number of data entries in the Secret.'),
      AGE,
    ],
    cells: (s, now) => [name(s), str(s.type), Object.keys(asObj(s.data)).length, age(s, now)],
  },
  '/Namespace': {
    columns: [NAME, column('Status', 'string', 'The status of the namespace'), AGE],
    cells: (ns, now) => [name(ns), str(asObj(ns.status).phase), age(ns, now)],
  },
  '/Event': { columns: eventColumns(), cells: eventCells },
  'events.k8s.io/Event': { columns: eventColumns(), cells: eventCells },
  '/Service': {
    columns: [
      NAME,
      column('Type', 'string', 'How the Service is exposed.'),
      column('Cluster-IP', 'string', 'The IP address assigned to the service within the cluster.'),
      column(
        'External-IP',
        'string',
        'IP addresses through which the service is reachable from outside the cluster.',
      ),
      column('Port(s)', 'string', 'The ports exposed by this service.'),
      AGE,
      column(
        'Selector',
        'string',
        'Route service traffic to pods with label keys and values matching this selector.',
        1,
      ),
    ],
    cells: serviceCells,
  },
  '/ServiceAccount': {
    columns: [NAME, column('Secrets', 'string', 'Secrets of the service account.'), AGE],
    cells: (sa, now) => [name(sa), list(sa.secrets).length, age(sa, now)],
  },
  '/Node': {
    columns: [
      NAME,
      column('Status', 'string', 'The status of the node'),
      column('Roles', 'string', 'The roles of the node'),
      AGE,
      column('Version', 'string', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'string', 'The node internal IP address.', 1),
      column('External-IP', 'string', 'The node external IP address.', 1),
      column('OS-Image', 'string', 'OS Image reported by the node.', 1),
      column('Kernel-Version', 'string', 'Kernel Version reported by the node.', 1),
      column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node.', 1),
    ],
    cells: nodeCells,
  },
  'coordination.k8s.io/Lease': {
    columns: [NAME, column('Holder', 'string', 'The holder of the lease.'), AGE],
    cells: (l, now) => [name(l), str(asObj(l.spec).holderIdentity), age(l, now)],
  },
  'rbac.authorization.k8s.io/Role': { columns: [NAME, CREATED_AT], cells: (r) => [name(r), createdAt(r)] },
  'rbac.authorization.k8s.io/ClusterRole': {
    columns: [NAME, CREATED_AT],
    cells: (r) => [name(r), createdAt(r)],
  },
  'rbac.authorization.k8s.io/RoleBinding': {
    columns: roleBindingColumns('roleBinding'),
    cells: roleBindingCells,
  },
  'rbac.authorization.k8s.io/ClusterRoleBinding': {
    columns: roleBindingColumns('clusterRoleBinding'),
    cells: roleBindingCells,
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    columns: [NAME, CREATED_AT],
    cells: (crd) => [name(crd), createdAt(crd)],
  },
};

function eventColumns(): TableColumnDefinition[] {
  return [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'The part of the object the event is about, e.g. a container.', 1),
    column('Source', 'string', 'The component reporting this event.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME, priority: 1 },
  ];
}

function roleBindingColumns(what: string): TableColumnDefinition[] {
  return [
    NAME,
    column(
      'Role',
      'string',
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    ),
    AGE,
    column('Users', 'string', `Users in the ${what}`, 1),
    column('Groups', 'string', `Groups in the ${what}`, 1),
    column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
  ];
}

/** Name and Age, for kinds without a printer and for CRDs that declare no printer columns. */
const DEFAULT: Printer = customPrinter([]);

// ---- custom resources ----

function customPrinter(columns: PrinterColumn[]): Printer {
  // apiextensions-apiserver gives a CRD without printer columns an Age column.
  const declared: PrinterColumn[] =
    columns.length > 0
      ? columns
      : [
          {
            name: 'Age',
            type: 'date',
            jsonPath: '.metadata.creationTimestamp',
            description: CREATION_TIMESTAMP_DESCRIPTION,
          },
        ];
  const paths = declared.map((c) => parseJsonPath(c.jsonPath));
  return {
    columns: [
      NAME,
      ...declared.map((c) =>
        column(
          c.name,
          c.type,
          c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          c.priority ?? 0,
          c.format ?? '',
        ),
      ),
    ],
    cells: (o, now) => [
      name(o),
      ...declared.map((c, i) => {
        const path = paths[i];
        const found = path ? evaluateJsonPath(o, path) : [];
        // Like apiextensions-apiserver, a column shows the first match only.
        return found.length === 0 ? null : customCell(c.type, found[0], now);
      }),
    ],
  };
}

/** apiextensions-apiserver's `cellForJSONValue`, with string columns printed as JSONPath text. */
function customCell(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      const t = parseTime(value);
      return t === undefined ? '<invalid>' : humanDuration(now.getTime() - t);
    }
    default:
      return null;
  }
}

type Segment = { field: string } | { index: number } | { wildcard: true };

/**
 * Parses the JSONPath subset printer columns use: `.a.b`, `.a[0].b`, `.a[*].b`, `.a['b.c']`, and
 * `\.` to escape a dot in a field name. Undefined for anything else.
 */
function parseJsonPath(path: string): Segment[] | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p.charAt(i);
    if (c === '.') {
      let field = '';
      i++;
      while (i < p.length && p.charAt(i) !== '.' && p.charAt(i) !== '[') {
        if (p.charAt(i) === '\\' && p.charAt(i + 1) === '.') i++;
        field += p.charAt(i);
        i++;
      }
      if (field === '*') segments.push({ wildcard: true });
      else if (field !== '') segments.push({ field });
      else return undefined;
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = p.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') segments.push({ wildcard: true });
      else if (/^\d+$/.test(inner)) segments.push({ index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) segments.push({ field: inner.slice(1, -1) });
      else return undefined;
    } else {
      return undefined;
    }
  }
  return segments;
}

function evaluateJsonPath(root: unknown, segments: Segment[]): unknown[] {
  let values: unknown[] = [root];
  for (const segment of segments) {
    values = values.flatMap((v): unknown[] => {
      if ('field' in segment) {
        return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, segment.field)
          ? [(v as Obj)[segment.field]]
          : [];
      }
      if ('index' in segment) return Array.isArray(v) && segment.index < v.length ? [v[segment.index]] : [];
      if (Array.isArray(v)) return v;
      return typeof v === 'object' && v !== null ? Object.values(v) : [];
    });
  }
  return values;
}
