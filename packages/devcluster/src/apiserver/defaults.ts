import type { KObject } from './types.js';
import { isObject } from './types.js';

/**
 * Light defaulting of built-in kinds, limited to the fields clients (kubectl describe, client-node users,
 * our own controllers) read back and expect the API server to have filled in.
 */

type Obj = Record<string, unknown>;

function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObject(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', imagePullPolicy(c.image));
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) setDefault(p, 'protocol', 'TCP');
}

/** Pod spec defaults. Job templates get no restartPolicy default: Kubernetes requires it to be set there. */
export function defaultPodSpec(spec: Obj, opts: { restartPolicy: boolean }): void {
  if (opts.restartPolicy) setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.serviceAccountName === undefined && typeof spec.serviceAccount === 'string') {
    spec.serviceAccountName = spec.serviceAccount;
  }
  setDefault(spec, 'serviceAccountName', 'default');
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) for (const c of cs) defaultContainer(c);
  }
}

function defaultJobSpec(spec: Obj): void {
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completions', 1);
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const template = spec.template;
  if (isObject(template)) defaultPodSpec(child(template, 'spec'), { restartPolicy: false });
}

/**
 * Like Kubernetes, a Job without `manualSelector` selects its pods by its own uid, and its pod template
 * carries the labels the job controller and `kubectl get pods -l job-name=x` rely on.
 */
function defaultJobSelector(obj: KObject, spec: Obj): void {
  const uid = obj.metadata.uid;
  const name = obj.metadata.name;
  if (!uid || !name || spec.manualSelector === true || spec.selector !== undefined) return;
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const template = spec.template;
  if (!isObject(template)) return;
  const meta = child(template, 'metadata');
  meta.labels = {
    ...(isObject(meta.labels) ? meta.labels : {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

function defaultDeploymentSpec(spec: Obj): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  setDefault(spec, 'strategy', {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
  });
  const template = spec.template;
  if (isObject(template)) defaultPodSpec(child(template, 'spec'), { restartPolicy: true });
}

function defaultCronJobSpec(spec: Obj): void {
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = spec.jobTemplate;
  if (isObject(jobTemplate)) {
    const jobSpec = child(jobTemplate, 'spec');
    const template = jobSpec.template;
    if (isObject(template)) defaultPodSpec(child(template, 'spec'), { restartPolicy: false });
  }
}

function defaultServiceSpec(spec: Obj): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObject(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      setDefault(p, 'targetPort', p.port);
    }
  }
}

/** `stringData` is a write-only convenience: it is merged into `data` (base64) and never stored. */
function defaultSecret(obj: KObject): void {
  setDefault(obj, 'type', 'Opaque');
  const stringData = obj.stringData;
  if (isObject(stringData)) {
    const data = child(obj, 'data');
    for (const [k, v] of Object.entries(stringData))
      data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete obj.stringData;
}

/** Applies the defaults of a built-in kind in place. `group/kind` select the rules; unknown kinds are untouched. */
export function applyBuiltinDefaults(group: string, kind: string, obj: KObject): void {
  const key = `${group}/${kind}`;
  switch (key) {
    case '/Pod':
      defaultPodSpec(child(obj, 'spec'), { restartPolicy: true });
      break;
    case 'batch/Job': {
      const spec = child(obj, 'spec');
      defaultJobSpec(spec);
      defaultJobSelector(obj, spec);
      break;
    }
    case 'batch/CronJob':
      defaultCronJobSpec(child(obj, 'spec'));
      break;
    case 'apps/Deployment':
      defaultDeploymentSpec(child(obj, 'spec'));
      break;
    case '/Service':
      defaultServiceSpec(child(obj, 'spec'));
      break;
    case '/Secret':
      defaultSecret(obj);
      break;
    case '/Namespace':
      setDefault(child(obj, 'spec'), 'finalizers', ['kubernetes']);
      setDefault(child(obj, 'status'), 'phase', 'Active');
      break;
  }
}
