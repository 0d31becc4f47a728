import { describe, expect, it } from 'vitest';
import {
  applyServerSideApply,
  type ManagedFieldsEntry,
  PatchError,
  recordUpdateManager,
  type ServerSideApplyOptions,
} from '../src/apiserver/patch/index.js';
import { FieldSet, formatPath, fromFieldsV1, toFieldsV1 } from '../src/apiserver/patch/managed-fields.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests reach deep into JSON fixtures; types would only add casts.
type Obj = Record<string, any>;

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:05:00Z';
const T2 = '2024-05-01T10:10:00Z';

const nginx = (
  overrides: { replicas?: number; image?: string; labels?: Record<string, string> } = {},
): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', labels: overrides.labels ?? { app: 'nginx' } },
  spec: {
    replicas: overrides.replicas ?? 3,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [
          { name: 'nginx', image: overrides.image ?? 'nginx:1.14.2', ports: [{ containerPort: 80 }] },
        ],
      },
    },
  },
});

function apply(live: unknown, applied: unknown, manager: string, opts: Partial<ServerSideApplyOptions> = {}) {
  return applyServerSideApply(live, applied, {
    fieldManager: manager,
    force: false,
    kind: DEPLOYMENT,
    now: T0,
    ...opts,
  });
}

/** Applies and expects success. */
function applied(
  live: unknown,
  config: unknown,
  manager: string,
  opts: Partial<ServerSideApplyOptions> = {},
): Obj {
  const result = apply(live, config, manager, opts);
  expect(result.conflicts).toEqual([]);
  return result.object as Obj;
}

const managed = (obj: unknown): ManagedFieldsEntry[] => (obj as Obj).metadata.managedFields ?? [];
const entry = (obj: unknown, manager: string, operation = 'Apply') =>
  managed(obj).find((e) => e.manager === manager && e.operation === operation);
const owned = (obj: unknown, manager: string, operation = 'Apply') =>
  [...fromFieldsV1(entry(obj, manager, operation)?.fieldsV1)].map(formatPath).sort();

describe('applyServerSideApply: creating', () => {
  it('records an Apply entry with the FieldsV1 encoding kube-apiserver uses', () => {
    const out = applied(undefined, nginx(), 'kubectl');
    const { metadata, ...rest } = out;
    expect(rest).toEqual((({ metadata: _m, ...r }) => r)(nginx()));
    expect(metadata.name).toBe('nginx');
    expect(managed(out)).toHaveLength(1);
    const e = managed(out)[0] as ManagedFieldsEntry;
    expect({ ...e, fieldsV1: undefined }).toEqual({
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: undefined,
    });
    // Exact key order too: `.` first, then fields sorted, as kube-apiserver serialises them.
    expect(JSON.stringify(e.fieldsV1)).toBe(
      JSON.stringify({
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } },
                },
              },
            },
          },
        },
      }),
    );
  });

  it('never owns the fields the apiserver manages itself', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '5',
        generation: 2,
        creationTimestamp: T0,
      },
      data: { k: 'v' },
    };
    const out = applied(undefined, config, 'mgr', { kind: { group: '', kind: 'ConfigMap' } });
    expect(entry(out, 'mgr')?.fieldsV1).toEqual({ 'f:data': { 'f:k': {} } });
  });

  it('treats lists of custom resources as atomic', () => {
    const config = {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 't' },
      spec: { items: [{ name: 'a' }] },
    };
    const out = applied(undefined, config, 'mgr', { kind: { group: 'kelos.dev', kind: 'Task' } });
    expect(entry(out, 'mgr')?.fieldsV1).toEqual({ 'f:spec': { 'f:items': {} } });
  });

  it('tracks finalizers as a set', () => {
    const config = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['a/b'] } };
    const out = applied(undefined, config, 'mgr', { kind: { group: '', kind: 'Pod' } });
    expect(entry(out, 'mgr')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} } } });
  });
});

describe('applyServerSideApply: re-applying', () => {
  it('is a no-op that keeps the entry time when nothing changed', () => {
    const live = applied(undefined, nginx(), 'kubectl');
    const again = applied(live, nginx(), 'kubectl', { now: T1 });
    expect(again).toEqual(live);
    expect(entry(again, 'kubectl')?.time).toBe(T0);
  });

  it('updates values and the entry time', () => {
    const live = applied(undefined, nginx(), 'kubectl');
    const out = applied(live, nginx({ replicas: 5 }), 'kubectl', { now: T1 });
    expect(out.spec.replicas).toBe(5);
    expect(entry(out, 'kubectl')?.time).toBe(T1);
  });

  it('identifies an applier across apiVersions', () => {
    const live = applied(undefined, nginx(), 'kubectl');
    const out = applied(live, { ...nginx(), apiVersion: 'apps/v1beta2' }, 'kubectl', { now: T1 });
    expect(managed(out)).toHaveLength(1);
    expect(entry(out, 'kubectl')?.apiVersion).toBe('apps/v1beta2');
  });

  it('keeps fields nobody owns, such as server defaults and status', () => {
    const live = applied(undefined, nginx(), 'kubectl');
    live.spec.revisionHistoryLimit = 10;
    live.status = { replicas: 3 };
    const out = applied(live, nginx({ replicas: 4 }), 'kubectl', { now: T1 });
    expect(out.spec.revisionHistoryLimit).toBe(10);
    expect(out.status).toEqual({ replicas: 3 });
  });
});

describe('applyServerSideApply: conflicts and force', () => {
  it('shares ownership when another applier sets the same value', () => {
    const live = applied(undefined, nginx(), 'a');
    const out = applied(
      live,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 3 } },
      'b',
      {
        now: T1,
      },
    );
    expect(owned(out, 'a')).toContain('.spec.replicas');
    expect(owned(out, 'b')).toEqual(['.spec.replicas']);
  });

  it('reports a conflict with another applier and leaves the object alone', () => {
    const live = applied(undefined, nginx(), 'a');
    const result = apply(
      live,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: 5 } },
      'b',
    );
    expect(result.conflicts).toEqual(['conflict with "a": .spec.replicas']);
    expect(result.object).toEqual(live);
  });

  it('names keyed list items and Update managers the way kube-apiserver does', () => {
    const created = recordUpdateManager(undefined, nginx(), 'kubectl-create', 'Update', { now: T0 }) as Obj;
    const result = apply(created, nginx({ image: 'nginx:1.16', replicas: 2 }), 'kubectl');
    expect(result.conflicts).toEqual([
      'conflict with "kubectl-create" using apps/v1: .spec.replicas',
      'conflict with "kubectl-create" using apps/v1: .spec.template.spec.containers[name="nginx"].image',
    ]);
  });

  it('moves ownership with force', () => {
    const created = recordUpdateManager(undefined, nginx(), 'kubectl-create', 'Update', { now: T0 }) as Obj;
    const out = applied(created, nginx({ image: 'nginx:1.16' }), 'kubectl', { force: true, now: T1 });
    expect(out.spec.template.spec.containers[0].image).toBe('nginx:1.16');
    expect(owned(out, 'kubectl')).toContain('.spec.template.spec.containers[name="nginx"].image');
    expect(owned(out, 'kubectl-create', 'Update')).not.toContain(
      '.spec.template.spec.containers[name="nginx"].image',
    );
    // The other fields were applied with the same values, so both managers own them.
    expect(owned(out, 'kubectl-create', 'Update')).toContain('.spec.replicas');
    expect(entry(out, 'kubectl-create', 'Update')?.time).toBe(T0);
    expect(managed(out).map((e) => `${e.operation}:${e.manager}`)).toEqual([
      'Apply:kubectl',
      'Update:kubectl-create',
    ]);
  });

  it('counts a null that removes another manager’s field as a conflict', () => {
    const live = applied(undefined, nginx(), 'a');
    const result = apply(
      live,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' }, spec: { replicas: null } },
      'b',
    );
    expect(result.conflicts).toEqual(['conflict with "a": .spec.replicas']);
  });

  it('never conflicts on the first apply to an object without managedFields', () => {
    const result = apply(nginx({ replicas: 1 }), nginx({ replicas: 9 }), 'kubectl');
    expect(result.conflicts).toEqual([]);
    expect((result.object as Obj).spec.replicas).toBe(9);
  });
});

describe('applyServerSideApply: removing fields the applier stopped applying', () => {
  it('removes a label the applier dropped', () => {
    const live = applied(undefined, nginx({ labels: { app: 'nginx', tier: 'web' } }), 'kubectl');
    const out = applied(live, nginx(), 'kubectl', { now: T1 });
    expect(out.metadata.labels).toEqual({ app: 'nginx' });
  });

  it('keeps a dropped label that another manager also owns', () => {
    const labelsOnly = (labels: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nginx', labels },
    });
    let live = applied(undefined, nginx({ labels: { app: 'nginx', tier: 'web' } }), 'a');
    live = applied(live, labelsOnly({ tier: 'web' }), 'b', { now: T1 });
    const out = applied(live, nginx(), 'a', { now: T2 });
    expect(out.metadata.labels).toEqual({ app: 'nginx', tier: 'web' });
    expect(owned(out, 'a')).not.toContain('.metadata.labels.tier');
    expect(owned(out, 'b')).toEqual(['.metadata.labels.tier']);
  });

  it('removes a container the applier dropped but keeps one another manager added', () => {
    const withContainers = (...names: string[]) => {
      const d = nginx();
      d.spec.template.spec.containers = names.map((name) => ({ name, image: `${name}:1` }));
      return d;
    };
    let live = applied(undefined, withContainers('app', 'sidecar'), 'a');
    const injected = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' } } as Obj;
    injected.spec = { template: { spec: { containers: [{ name: 'proxy', image: 'envoy' }] } } };
    live = applied(live, injected, 'injector', { now: T1 });
    const out = applied(live, withContainers('app'), 'a', { now: T2 });
    expect(out.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(['app', 'proxy']);
  });

  it('keeps an item another manager co-owns, removing only the applier’s fields in it', () => {
    const withContainers = (containers: Obj[]) => {
      const d = nginx();
      d.spec.template.spec.containers = containers;
      return d;
    };
    let live = applied(
      undefined,
      withContainers([
        { name: 'app', image: 'a' },
        { name: 'side', image: 's' },
      ]),
      'a',
    );
    const limits = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' } } as Obj;
    limits.spec = {
      template: { spec: { containers: [{ name: 'side', resources: { limits: { cpu: '1' } } }] } },
    };
    live = applied(live, limits, 'b', { now: T1 });
    const out = applied(live, withContainers([{ name: 'app', image: 'a' }]), 'a', { now: T2 });
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'a' },
      { name: 'side', resources: { limits: { cpu: '1' } } },
    ]);
  });

  it('keeps the merge key of an item an Update manager co-owns', () => {
    const d = nginx();
    d.spec.template.spec.containers = [
      { name: 'app', image: 'a' },
      { name: 'side', image: 's' },
    ];
    const live = applied(undefined, d, 'a');
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[1].resources = { limits: { cpu: '1' } };
    const updated = recordUpdateManager(live, edited, 'kubectl-edit', 'Update', { now: T1 });
    expect(owned(updated, 'kubectl-edit', 'Update')).toEqual([
      '.spec.template.spec.containers[name="side"].resources.limits.cpu',
    ]);
    d.spec.template.spec.containers = [{ name: 'app', image: 'a' }];
    const out = applied(updated, d, 'a', { now: T2 });
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'a' },
      { name: 'side', resources: { limits: { cpu: '1' } } },
    ]);
  });

  it('removes objects the removal leaves empty', () => {
    const withStrategy = nginx();
    withStrategy.spec.strategy = { rollingUpdate: { maxSurge: 1 } };
    const live = applied(undefined, withStrategy, 'kubectl');
    const out = applied(live, nginx(), 'kubectl', { now: T1 });
    expect(out.spec.strategy).toBeUndefined();
    expect(out.spec.replicas).toBe(3);
  });

  it('removes a field set to null, and the applier owns it', () => {
    const config = nginx();
    config.spec.paused = true;
    const live = applied(undefined, config, 'kubectl');
    config.spec.paused = null;
    const out = applied(live, config, 'kubectl', { now: T1 });
    expect('paused' in out.spec).toBe(false);
    expect(owned(out, 'kubectl')).toContain('.spec.paused');
  });

  it('drops finalizers the applier no longer lists', () => {
    const pod = (finalizers: string[]) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', finalizers },
    });
    const kind = { group: '', kind: 'Pod' };
    let live = applied(undefined, pod(['a']), 'x', { kind });
    live = applied(live, pod(['b']), 'y', { kind, now: T1 });
    expect(live.metadata.finalizers).toEqual(['a', 'b']);
    const out = applied(live, pod([]), 'x', { kind, now: T2 });
    expect(out.metadata.finalizers).toEqual(['b']);
  });

  it('replaces an atomic selector instead of merging it', () => {
    const live = nginx();
    live.spec.selector = { matchLabels: { app: 'nginx', old: 'x' } };
    const out = applied(live, nginx(), 'kubectl');
    expect(out.spec.selector).toEqual({ matchLabels: { app: 'nginx' } });
  });

  it('removes the applier’s entry when it applies nothing', () => {
    const live = applied(undefined, nginx(), 'kubectl');
    const out = applied(
      live,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx' } },
      'kubectl',
      {
        now: T1,
      },
    );
    expect(out.metadata.managedFields).toBeUndefined();
    expect(out.spec).toBeUndefined();
  });
});

describe('applyServerSideApply: validation and purity', () => {
  it.each([
    ['managedFields in the applied config', nginx(), 'kubectl', 'metadata.managedFields must be nil', 400],
    [
      'a missing field manager',
      nginx(),
      '',
      'fieldManager: Required value: is required for apply patch',
      422,
    ],
    ['a config that is not an object', ['x'], 'kubectl', 'an apply patch must be a JSON or YAML object', 400],
  ])('rejects %s', (name, config, manager, message, code) => {
    if (name.startsWith('managedFields')) (config as Obj).metadata.managedFields = [{ manager: 'x' }];
    let caught: unknown;
    try {
      apply(undefined, config, manager);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchError);
    expect((caught as PatchError).message).toBe(message);
    expect((caught as PatchError).code).toBe(code);
  });

  it('never mutates or aliases its inputs', () => {
    const live = applied(undefined, nginx({ labels: { app: 'nginx', x: 'y' } }), 'kubectl');
    const config = nginx({ replicas: 7 });
    const snapshot = structuredClone({ live, config });
    const out = applied(live, config, 'kubectl', { now: T1 });
    expect({ live, config }).toEqual(snapshot);
    out.spec.template.spec.containers[0].image = 'mutated';
    out.metadata.managedFields[0].fieldsV1['f:spec'] = {};
    expect({ live, config }).toEqual(snapshot);
  });
});

describe('recordUpdateManager', () => {
  const configMap = (data: Record<string, string>, labels?: Record<string, string>): Obj => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      namespace: 'ns',
      uid: 'u-1',
      resourceVersion: '1',
      creationTimestamp: T0,
      ...(labels ? { labels } : {}),
    },
    data,
  });

  it('gives the creator every field except the server-managed ones', () => {
    const out = recordUpdateManager(
      undefined,
      configMap({ k: 'v' }, { a: '1' }),
      'kubectl-create',
      'Update',
      { now: T0 },
    );
    expect(managed(out)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:k': {} }, 'f:metadata': { 'f:labels': { 'f:a': {} } } },
      },
    ]);
  });

  it('moves a changed field to the updater and keeps the rest with its owner', () => {
    const created = recordUpdateManager(
      undefined,
      configMap({ k: 'v' }, { a: '1' }),
      'kubectl-create',
      'Update',
      {
        now: T0,
      },
    ) as Obj;
    const edited = structuredClone(created);
    edited.data.k = 'changed';
    edited.data.n = 'new';
    const out = recordUpdateManager(created, edited, 'kubectl-edit', 'Update', { now: T1 });
    expect(owned(out, 'kubectl-create', 'Update')).toEqual(['.metadata.labels.a']);
    expect(owned(out, 'kubectl-edit', 'Update')).toEqual(['.data.k', '.data.n']);
    expect(entry(out, 'kubectl-create', 'Update')?.time).toBe(T0);
    expect(entry(out, 'kubectl-edit', 'Update')?.time).toBe(T1);
  });

  it('drops removed fields from every manager, and managers left with nothing', () => {
    const created = recordUpdateManager(undefined, configMap({ k: 'v' }, { a: '1' }), 'creator', 'Update', {
      now: T0,
    }) as Obj;
    const edited = structuredClone(created);
    edited.data = {};
    delete edited.metadata.labels;
    const out = recordUpdateManager(created, edited, 'editor', 'Update', { now: T1 });
    // `data: {}` is an empty object, which the editor now owns; the creator is left with nothing.
    expect(managed(out).map((e) => e.manager)).toEqual(['editor']);
    expect(owned(out, 'editor', 'Update')).toEqual(['.data']);
  });

  it('changes nothing, not even times, when the write changes nothing', () => {
    const created = recordUpdateManager(undefined, configMap({ k: 'v' }), 'creator', 'Update', {
      now: T0,
    }) as Obj;
    const out = recordUpdateManager(created, structuredClone(created), 'other', 'Update', { now: T1 });
    expect(out).toEqual(created);
  });

  it('keeps separate entries per apiVersion and per subresource', () => {
    const pod = (phase: string): Obj => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i' }] },
      status: { phase },
    });
    const created = recordUpdateManager(undefined, pod('Pending'), 'kubelet', 'Update', { now: T0 }) as Obj;
    const running = recordUpdateManager(
      created,
      { ...structuredClone(created), status: { phase: 'Running' } },
      'kubelet',
      'Update',
      {
        now: T1,
        subresource: 'status',
      },
    );
    expect(managed(running).map((e) => [e.manager, e.subresource ?? '', e.time])).toEqual([
      ['kubelet', '', T0],
      ['kubelet', 'status', T1],
    ]);
    expect(owned(running, 'kubelet', 'Update')).toContain('.spec.containers[name="c"].image');
  });

  it('honours managedFields sent by the client, and [{}] clears them', () => {
    const created = recordUpdateManager(undefined, configMap({ k: 'v' }), 'creator', 'Update', {
      now: T0,
    }) as Obj;
    const reset = structuredClone(created);
    reset.metadata.managedFields = [{}];
    reset.data.k = 'w';
    const out = recordUpdateManager(created, reset, 'editor', 'Update', { now: T1 });
    expect(managed(out).map((e) => e.manager)).toEqual(['editor']);
    expect(owned(out, 'editor', 'Update')).toEqual(['.data.k']);

    const rewritten = structuredClone(created);
    (rewritten.metadata.managedFields[0] as ManagedFieldsEntry).manager = 'renamed';
    const kept = recordUpdateManager(created, rewritten, 'editor', 'Update', { now: T1 });
    expect(managed(kept).map((e) => e.manager)).toEqual(['renamed']);
  });

  it('returns non-objects unchanged', () => {
    expect(recordUpdateManager(undefined, 'x', 'm')).toBe('x');
  });
});

describe('FieldsV1 encoding', () => {
  it('decodes kube-apiserver output, including multi-field keys, and encodes it back', () => {
    const fieldsV1 = {
      'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:ports': {
                  '.': {},
                  'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                },
              },
            },
          },
        },
      },
    };
    const set = fromFieldsV1(fieldsV1);
    expect([...set].map(formatPath).sort()).toEqual([
      '.metadata.annotations',
      '.metadata.annotations.deployment.kubernetes.io/revision',
      '.spec.template.spec.containers[name="nginx"]',
      '.spec.template.spec.containers[name="nginx"].ports',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
    expect(toFieldsV1(set)).toEqual(fieldsV1);
  });

  it('orders fields before keys before values', () => {
    const set = new FieldSet([['f:b'], ['v:"x"'], ['k:{"a":1}'], ['f:a']]);
    expect(Object.keys(toFieldsV1(set))).toEqual(['f:a', 'f:b', 'k:{"a":1}', 'v:"x"']);
  });

  it.each([
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:metadata', 'f:finalizers', 'v:"kelos.dev/cleanup"'], '.metadata.finalizers[="kelos.dev/cleanup"]'],
    [['f:spec', 'f:ports', 'k:{"port":443}', 'f:targetPort'], '.spec.ports[port=443].targetPort'],
  ])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});
