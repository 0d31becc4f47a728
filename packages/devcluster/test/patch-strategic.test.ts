import { describe, expect, it } from 'vitest';
import {
  applyMergePatch,
  applyStrategicMergePatch,
  PatchError,
  supportsStrategicMergePatch,
} from '../src/apiserver/patch/index.js';

const POD = { group: '', kind: 'Pod' };
const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const JOB = { group: 'batch', kind: 'Job' };
const CRONJOB = { group: 'batch', kind: 'CronJob' };
const SERVICE = { group: '', kind: 'Service' };

/** The Deployment from "Update API Objects in Place Using kubectl patch" (kubernetes.io). */
const patchDemo = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'patch-demo' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
        tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
      },
    },
  },
});

const podWith = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
  ...extra,
});

describe('applyStrategicMergePatch: kubernetes.io "kubectl patch" walkthrough', () => {
  it('merges a new container into the list; Kubernetes lists the new one first', () => {
    const patch = {
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } },
    };
    const out = applyStrategicMergePatch(patchDemo(), patch, DEPLOYMENT) as ReturnType<typeof patchDemo>;
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'patch-demo-ctr-2', image: 'redis' },
      { name: 'patch-demo-ctr', image: 'nginx' },
    ]);
  });

  it('replaces tolerations, which have no patch strategy', () => {
    const patch = {
      spec: {
        template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } },
      },
    };
    const out = applyStrategicMergePatch(patchDemo(), patch, DEPLOYMENT) as ReturnType<typeof patchDemo>;
    expect(out.spec.template.spec.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'disktype', value: 'ssd' },
    ]);
    expect(out.spec.template.spec.containers).toEqual([{ name: 'patch-demo-ctr', image: 'nginx' }]);
  });

  it('differs from a JSON merge patch, which replaces the container list', () => {
    const patch = {
      spec: {
        template: {
          spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] },
        },
      },
    };
    const smp = applyStrategicMergePatch(patchDemo(), patch, DEPLOYMENT) as ReturnType<typeof patchDemo>;
    const merge = applyMergePatch(patchDemo(), patch) as ReturnType<typeof patchDemo>;
    expect(smp.spec.template.spec.containers).toHaveLength(2);
    expect(merge.spec.template.spec.containers).toEqual([
      { name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' },
    ]);
  });

  it('clears the rolling update settings with $retainKeys', () => {
    const deployment = {
      ...patchDemo(),
      spec: {
        ...patchDemo().spec,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '25%' } },
      },
    };
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
    const out = applyStrategicMergePatch(deployment, patch, DEPLOYMENT) as { spec: { strategy: unknown } };
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('applyStrategicMergePatch: merge keys by field', () => {
  type Case = [string, { group: string; kind: string }, unknown, unknown, unknown];
  const cases: Case[] = [
    [
      'container env by name (update one, add one)',
      POD,
      podWith({
        containers: [
          {
            name: 'c',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
        ],
      }),
      {
        spec: {
          containers: [
            {
              name: 'c',
              env: [
                { name: 'B', value: '3' },
                { name: 'C', value: '4' },
              ],
            },
          ],
        },
      },
      podWith({
        containers: [
          {
            name: 'c',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
          },
        ],
      }),
    ],
    [
      'container ports by containerPort',
      POD,
      podWith({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] }),
      { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
      podWith({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] }] }),
    ],
    [
      'volumeMounts by mountPath',
      POD,
      podWith({ containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', name: 'data' }] }] }),
      { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } },
      podWith({
        containers: [{ name: 'c', volumeMounts: [{ mountPath: '/data', name: 'data', readOnly: true }] }],
      }),
    ],
    [
      'initContainers and ephemeralContainers by name',
      POD,
      podWith({
        initContainers: [{ name: 'init', image: 'a' }],
        ephemeralContainers: [{ name: 'debug', image: 'b' }],
      }),
      {
        spec: {
          initContainers: [{ name: 'init', image: 'a2' }],
          ephemeralContainers: [{ name: 'debug', tty: true }],
        },
      },
      podWith({
        initContainers: [{ name: 'init', image: 'a2' }],
        ephemeralContainers: [{ name: 'debug', image: 'b', tty: true }],
      }),
    ],
    [
      'volumes by name, with $retainKeys switching the volume source',
      POD,
      podWith({
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'c' } },
        ],
      }),
      {
        spec: { volumes: [{ name: 'data', hostPath: { path: '/tmp' }, $retainKeys: ['hostPath', 'name'] }] },
      },
      podWith({
        volumes: [
          { name: 'data', hostPath: { path: '/tmp' } },
          { name: 'cfg', configMap: { name: 'c' } },
        ],
      }),
    ],
    [
      'imagePullSecrets by name',
      POD,
      podWith({ imagePullSecrets: [{ name: 'a' }] }),
      { spec: { imagePullSecrets: [{ name: 'b' }, { name: 'a' }] } },
      podWith({ imagePullSecrets: [{ name: 'b' }, { name: 'a' }] }),
    ],
    [
      'hostAliases by ip',
      POD,
      podWith({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] }),
      {
        spec: {
          hostAliases: [
            { ip: '10.0.0.1', hostnames: ['b'] },
            { ip: '10.0.0.2', hostnames: ['c'] },
          ],
        },
      },
      podWith({
        hostAliases: [
          { ip: '10.0.0.1', hostnames: ['b'] },
          { ip: '10.0.0.2', hostnames: ['c'] },
        ],
      }),
    ],
    [
      'pod status conditions by type',
      POD,
      podWith(
        {},
        {
          status: {
            conditions: [
              { type: 'Ready', status: 'False' },
              { type: 'Initialized', status: 'True' },
            ],
          },
        },
      ),
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      podWith(
        {},
        {
          status: {
            conditions: [
              { type: 'Ready', status: 'True' },
              { type: 'Initialized', status: 'True' },
            ],
          },
        },
      ),
    ],
    [
      'metadata.ownerReferences by uid',
      POD,
      { metadata: { name: 'p', ownerReferences: [{ uid: '1', kind: 'Job', name: 'a' }] } },
      {
        metadata: {
          ownerReferences: [
            { uid: '1', controller: true },
            { uid: '2', kind: 'Job', name: 'b' },
          ],
        },
      },
      {
        metadata: {
          name: 'p',
          ownerReferences: [
            { uid: '1', kind: 'Job', name: 'a', controller: true },
            { uid: '2', kind: 'Job', name: 'b' },
          ],
        },
      },
    ],
    [
      'metadata.finalizers as a set (union)',
      POD,
      { metadata: { name: 'p', finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['b', 'c'] } },
      { metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } },
    ],
    [
      'metadata.finalizers: a finalizer the live list lacks goes first (Kubernetes merge order)',
      POD,
      { metadata: { name: 'p', finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['c'] } },
      { metadata: { name: 'p', finalizers: ['c', 'a', 'b'] } },
    ],
    [
      'Job pod template containers',
      JOB,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'agent', image: 'a:1', env: [{ name: 'X', value: '1' }] }] },
          },
        },
      },
      { spec: { template: { spec: { containers: [{ name: 'agent', env: [{ name: 'Y', value: '2' }] }] } } } },
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'agent',
                  image: 'a:1',
                  env: [
                    { name: 'Y', value: '2' },
                    { name: 'X', value: '1' },
                  ],
                },
              ],
            },
          },
        },
      },
    ],
    [
      'Job status conditions by type',
      JOB,
      { status: { conditions: [{ type: 'Suspended', status: 'True' }] } },
      {
        status: {
          conditions: [
            { type: 'Complete', status: 'True' },
            { type: 'Suspended', status: 'False' },
          ],
        },
      },
      {
        status: {
          conditions: [
            { type: 'Complete', status: 'True' },
            { type: 'Suspended', status: 'False' },
          ],
        },
      },
    ],
    [
      'CronJob spec.jobTemplate.spec.template containers',
      CRONJOB,
      {
        spec: {
          schedule: '* * * * *',
          jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } },
        },
      },
      {
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'y' }] } } } } },
      },
      {
        spec: {
          schedule: '* * * * *',
          jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'y' }] } } } },
        },
      },
    ],
    ...(['StatefulSet', 'DaemonSet', 'ReplicaSet'] as const).map(
      (kind): Case => [
        `${kind} pod template containers`,
        { group: 'apps', kind },
        { spec: { template: { spec: { containers: [{ name: 'a', image: 'x', args: ['1'] }] } } } },
        { spec: { template: { spec: { containers: [{ name: 'a', args: ['2'] }] } } } },
        { spec: { template: { spec: { containers: [{ name: 'a', image: 'x', args: ['2'] }] } } } },
      ],
    ),
    [
      'Service ports by port',
      SERVICE,
      {
        spec: {
          ports: [
            { port: 80, targetPort: 8080, name: 'http' },
            { port: 443, name: 'https' },
          ],
        },
      },
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      {
        spec: {
          ports: [
            { port: 80, targetPort: 9090, name: 'http' },
            { port: 443, name: 'https' },
          ],
        },
      },
    ],
    [
      'an unlisted built-in kind (ConfigMap): maps merge, null deletes',
      { group: '', kind: 'ConfigMap' },
      { data: { a: '1', b: '2' }, metadata: { name: 'c', labels: { x: 'y' } } },
      { data: { b: null, c: '3' }, metadata: { labels: { z: 'w' } } },
      { data: { a: '1', c: '3' }, metadata: { name: 'c', labels: { x: 'y', z: 'w' } } },
    ],
  ];

  it.each(cases)('%s', (_name, kind, target, patch, expected) => {
    expect(applyStrategicMergePatch(target, patch, kind)).toEqual(expected);
  });
});

describe('applyStrategicMergePatch: directives', () => {
  const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));
  const pod = (...names: string[]) => podWith({ containers: containers(...names) });
  const containersOf = (out: unknown) =>
    (out as { spec: { containers: Array<{ name: string }> } }).spec.containers.map((c) => c.name);

  it.each([
    [
      '$patch: delete removes the item with that merge key',
      pod('a', 'b', 'c'),
      [{ name: 'b', $patch: 'delete' }],
      ['a', 'c'],
    ],
    [
      '$patch: replace makes the rest of the patch list the whole list',
      pod('a', 'b'),
      [{ name: 'c', image: 'c:1' }, { $patch: 'replace' }],
      ['c'],
    ],
    [
      'a changed item stays in place and a new one goes before the live items after it',
      pod('a', 'b', 'c'),
      [{ name: 'b', image: 'b:2' }, { name: 'd' }],
      ['a', 'b', 'd', 'c'],
    ],
    ['a patch that only deletes', pod('a'), [{ name: 'a', $patch: 'delete' }], []],
  ])('%s', (_name, target, patchContainers, expectedNames) => {
    const out = applyStrategicMergePatch(target, { spec: { containers: patchContainers } }, POD);
    expect(containersOf(out)).toEqual(expectedNames);
  });

  it('$patch: replace on an object replaces it wholesale', () => {
    const target = podWith({ containers: containers('a'), tolerations: [{ key: 'k' }], nodeName: 'n' });
    const out = applyStrategicMergePatch(
      target,
      { spec: { $patch: 'replace', containers: containers('z') } },
      POD,
    );
    expect(out).toEqual(podWith({ containers: containers('z') }));
  });

  it('$patch: delete on an object empties it', () => {
    const target = { metadata: { name: 'p', labels: { a: '1', b: '2' } } };
    expect(applyStrategicMergePatch(target, { metadata: { labels: { $patch: 'delete' } } }, POD)).toEqual({
      metadata: { name: 'p', labels: {} },
    });
  });

  it('a top-level $patch: replace replaces the whole object', () => {
    expect(applyStrategicMergePatch(pod('a'), { $patch: 'replace', metadata: { name: 'q' } }, POD)).toEqual({
      metadata: { name: 'q' },
    });
  });

  it('$deleteFromPrimitiveList removes finalizers', () => {
    const target = { metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } };
    const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'x'] } };
    expect(applyStrategicMergePatch(target, patch, POD)).toEqual({
      metadata: { name: 'p', finalizers: ['a', 'c'] },
    });
  });

  it('$deleteFromPrimitiveList and additions in the same patch', () => {
    const target = { metadata: { finalizers: ['a', 'b'] } };
    const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } };
    expect(applyStrategicMergePatch(target, patch, POD)).toEqual({ metadata: { finalizers: ['c', 'b'] } });
  });

  it('$deleteFromPrimitiveList on a missing list is a no-op', () => {
    const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } };
    expect(applyStrategicMergePatch({ metadata: { name: 'p' } }, patch, POD)).toEqual({
      metadata: { name: 'p' },
    });
  });

  it.each([
    [
      'appends in the order the directive gives (strategic-merge-patch.md)',
      pod('a', 'b', 'c'),
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
          containers: [{ name: 'd', image: 'd:1' }],
        },
      },
      ['a', 'b', 'c', 'd'],
    ],
    [
      'reorders without changing content',
      pod('a', 'b', 'c'),
      { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } },
      ['c', 'a', 'b'],
    ],
    [
      'keeps server-only items after the ordered ones they followed',
      pod('a', 'b', 'x'),
      { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
      ['b', 'a', 'x'],
    ],
  ])('$setElementOrder %s', (_name, target, patch, expectedNames) => {
    expect(containersOf(applyStrategicMergePatch(target, patch, POD))).toEqual(expectedNames);
  });

  it('$setElementOrder on a primitive list', () => {
    const target = { metadata: { finalizers: ['a', 'b', 'c'] } };
    const patch = { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c', 'd'], finalizers: ['d'] } };
    expect(applyStrategicMergePatch(target, patch, POD)).toEqual({
      metadata: { finalizers: ['a', 'b', 'c', 'd'] },
    });
  });

  it('$setElementOrder on a replaced list is dropped', () => {
    const target = podWith({ tolerations: [{ key: 'a' }] });
    const patch = { spec: { '$setElementOrder/tolerations': [{ key: 'b' }], tolerations: [{ key: 'b' }] } };
    expect(applyStrategicMergePatch(target, patch, POD)).toEqual(podWith({ tolerations: [{ key: 'b' }] }));
  });

  it('$retainKeys (strategic-merge-patch.md) clears keys that are not listed', () => {
    const target = podWith({ union: { foo: 'a', other: 'b' } });
    const patch = { spec: { union: { $retainKeys: ['another', 'bar'], another: 'd', bar: 'c' } } };
    expect(applyStrategicMergePatch(target, patch, POD)).toEqual(
      podWith({ union: { another: 'd', bar: 'c' } }),
    );
  });

  it('strips directives from values that have nothing to merge with', () => {
    const patch = {
      spec: {
        volumes: [{ name: 'gone', $patch: 'delete' }, { name: 'w', emptyDir: {} }, { $patch: 'replace' }],
        nested: { $retainKeys: ['a'], a: 1, '$setElementOrder/x': [], drop: null },
      },
    };
    expect(applyStrategicMergePatch(podWith({}), patch, POD)).toEqual(
      podWith({ volumes: [{ name: 'w', emptyDir: {} }], nested: { a: 1 } }),
    );
  });

  it('takes the patch value when the types differ', () => {
    expect(applyStrategicMergePatch({ spec: { a: 'text' } }, { spec: { a: { b: 1 } } }, POD)).toEqual({
      spec: { a: { b: 1 } },
    });
  });
});

describe('applyStrategicMergePatch: errors', () => {
  it.each([
    [
      'an item without its merge key',
      { spec: { containers: [{ image: 'x' }] } },
      'map: {"image":"x"} does not contain declared merge key: name',
      422,
    ],
    [
      '$patch: merge inside a list',
      { spec: { containers: [{ name: 'a', $patch: 'merge' }] } },
      'merging lists cannot yet be specified in the patch',
      422,
    ],
    [
      'an unknown $patch in an object',
      { spec: { $patch: 'frobnicate' } },
      'unknown patch type: "frobnicate" in map: {"$patch":"frobnicate"}',
      422,
    ],
    [
      'an unknown $patch in a list',
      { spec: { containers: [{ name: 'a', $patch: 'frobnicate' }] } },
      'unknown patch type: "frobnicate" in map: {"name":"a","$patch":"frobnicate"}',
      422,
    ],
    [
      'a $retainKeys that is not a list',
      { spec: { $retainKeys: 'a' } },
      'invalid patch format of retainKeys',
      400,
    ],
    [
      'a key missing from $retainKeys',
      { spec: { $retainKeys: ['a'], b: 1 } },
      'invalid patch format of retainKeys',
      400,
    ],
    [
      'a patch list out of $setElementOrder order',
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
          containers: [{ name: 'b' }, { name: 'a' }],
        },
      },
      'The order in patch list:\n[{"name":"b"},{"name":"a"}]\n doesn\'t match $setElementOrder list:\n[{"name":"a"},{"name":"b"}]',
      400,
    ],
    ['lists of lists', { metadata: { finalizers: [['a']] } }, 'lists of lists are not supported', 422],
    [
      'mixed element types',
      { metadata: { finalizers: [{ a: 1 }] } },
      'list element types are not identical: [["x"],[{"a":1}]]',
      422,
    ],
  ])('rejects %s', (_name, patch, message, code) => {
    const target = {
      metadata: { name: 'p', finalizers: ['x'] },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
    };
    let caught: unknown;
    try {
      applyStrategicMergePatch(target, patch, POD);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchError);
    expect((caught as PatchError).message).toBe(message);
    expect((caught as PatchError).code).toBe(code);
  });

  it('rejects a patch that is not an object with 400', () => {
    let caught: unknown;
    try {
      applyStrategicMergePatch({}, [1], POD);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PatchError);
    expect((caught as PatchError).code).toBe(400);
  });
});

describe('applyStrategicMergePatch: custom resources and purity', () => {
  it('falls back to JSON merge patch for kinds without Go types', () => {
    const task = { spec: { items: [{ name: 'a', v: 1 }], keep: true } };
    const patch = { spec: { items: [{ name: 'b' }], keep: null } };
    expect(applyStrategicMergePatch(task, patch, { group: 'kelos.dev', kind: 'Task' })).toEqual({
      spec: { items: [{ name: 'b' }] },
    });
  });

  it.each([
    ['', 'Pod', true],
    ['apps', 'Deployment', true],
    ['batch', 'Job', true],
    ['coordination.k8s.io', 'Lease', true],
    ['rbac.authorization.k8s.io', 'Role', true],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', true],
    ['autoscaling', 'Scale', true],
    ['kelos.dev', 'Task', false],
    ['stable.example.com', 'CronTab', false],
  ])('supportsStrategicMergePatch(%j, %s) is %s', (group, kind, expected) => {
    expect(supportsStrategicMergePatch({ group, kind })).toBe(expected);
  });

  it('never mutates or aliases its inputs', () => {
    const target = patchDemo();
    const patch = {
      metadata: { labels: { a: 'b' } },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'new', env: [{ name: 'E' }] },
              { name: 'patch-demo-ctr', $patch: 'delete' },
            ],
          },
        },
      },
    };
    const snapshot = structuredClone({ target, patch });
    const out = applyStrategicMergePatch(target, patch, DEPLOYMENT) as ReturnType<typeof patchDemo> & {
      spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string }> }> } } };
    };
    expect({ target, patch }).toEqual(snapshot);
    expect(out.spec.template.spec.containers).toEqual([{ name: 'new', env: [{ name: 'E' }] }]);
    const env = out.spec.template.spec.containers[0]?.env?.[0];
    if (env) env.name = 'mutated';
    out.spec.selector.matchLabels.app = 'mutated';
    expect({ target, patch }).toEqual(snapshot);
  });
});
