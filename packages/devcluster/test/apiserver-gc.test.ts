import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, eventually, rawRequest, startTestCluster, type TestCluster } from './helpers/apiserver.js';

let c: TestCluster;
let core: CoreV1Api;
const ns = 'default';

beforeAll(async () => {
  c = await startTestCluster();
  core = c.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await c.stop();
});

async function owner(name: string): Promise<V1ConfigMap> {
  return core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name } } });
}

async function dependant(name: string, ...owners: V1ConfigMap[]): Promise<V1ConfigMap> {
  const ownerReferences = owners.map((o) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: o.metadata?.name ?? '',
    uid: o.metadata?.uid ?? '',
  }));
  return core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, ownerReferences } } });
}

const exists = async (name: string) =>
  core.readNamespacedConfigMap({ name, namespace: ns }).then(
    (cm) => cm,
    (err: { code?: number }) => {
      if (err.code === 404) return undefined;
      throw err;
    },
  );

describe('finalizers', () => {
  it('keeps a deleted object until its finalizers are removed', async () => {
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] } },
    });
    const res = await rawRequest(c, `/api/v1/namespaces/${ns}/configmaps/fin`, { method: 'DELETE' });
    expect(res.status).toBe(202);
    const marked = await core.readNamespacedConfigMap({ name: 'fin', namespace: ns });
    expect(marked.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(marked.metadata?.deletionGracePeriodSeconds).toBe(0);
    const addMore = await errorOf(
      core.patchNamespacedConfigMap(
        {
          name: 'fin',
          namespace: ns,
          body: { metadata: { finalizers: ['example.com/hold', 'example.com/other'] } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(addMore.code).toBe(422);
    await core.patchNamespacedConfigMap(
      { name: 'fin', namespace: ns, body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await exists('fin')).toBeUndefined();
  });
});

describe('garbage collection', () => {
  it('deletes dependants in the background', async () => {
    const o = await owner('bg-owner');
    await dependant('bg-dep', o);
    const other = await owner('bg-other');
    await dependant('bg-shared', o, other);
    await core.deleteNamespacedConfigMap({
      name: 'bg-owner',
      namespace: ns,
      propagationPolicy: 'Background',
    });
    await eventually(async () => (await exists('bg-dep')) === undefined);
    // A dependant with an owner left stays.
    expect(await exists('bg-shared')).toBeDefined();
  });

  it('deletes dependants first in the foreground', async () => {
    const o = await owner('fg-owner');
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: {
        metadata: {
          name: 'fg-dep',
          finalizers: ['example.com/slow'],
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'fg-owner',
              uid: o.metadata?.uid ?? '',
              blockOwnerDeletion: true,
            },
          ],
        },
      },
    });
    await core.deleteNamespacedConfigMap({
      name: 'fg-owner',
      namespace: ns,
      body: { propagationPolicy: 'Foreground' },
    });
    const waiting = await exists('fg-owner');
    expect(waiting?.metadata?.finalizers).toContain('foregroundDeletion');
    expect(waiting?.metadata?.deletionTimestamp).toBeDefined();
    expect((await exists('fg-dep'))?.metadata?.deletionTimestamp).toBeDefined();
    await core.patchNamespacedConfigMap(
      { name: 'fg-dep', namespace: ns, body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await exists('fg-dep')).toBeUndefined();
    expect(await exists('fg-owner')).toBeUndefined();
  });

  it('orphans dependants', async () => {
    const o = await owner('or-owner');
    await dependant('or-dep', o);
    await core.deleteNamespacedConfigMap({ name: 'or-owner', namespace: ns, propagationPolicy: 'Orphan' });
    expect(await exists('or-owner')).toBeUndefined();
    const dep = await exists('or-dep');
    expect(dep?.metadata?.ownerReferences).toBeUndefined();
  });

  it('collects a dependant whose owners no longer exist', async () => {
    const ghost = { metadata: { name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' } } as V1ConfigMap;
    await dependant('orphan-at-birth', ghost);
    await eventually(async () => (await exists('orphan-at-birth')) === undefined);
  });

  it('cascades through several levels', async () => {
    const a = await owner('lvl-a');
    const b = await dependant('lvl-b', a);
    await dependant('lvl-c', b);
    await core.deleteNamespacedConfigMap({ name: 'lvl-a', namespace: ns });
    await eventually(async () => (await exists('lvl-c')) === undefined);
  });

  it('checks delete preconditions', async () => {
    await owner('pre');
    const res = await errorOf(
      core.deleteNamespacedConfigMap({
        name: 'pre',
        namespace: ns,
        body: { preconditions: { uid: 'nope' } },
      }),
    );
    expect(res.code).toBe(409);
  });
});

describe('graceful pod deletion', () => {
  it('leaves a scheduled pod to the node when enabled', async () => {
    c.server.setGracefulPodDeletion(true);
    try {
      await core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'g' },
          spec: { nodeName: 'local', containers: [{ name: 'c', image: 'x' }] },
        },
      });
      await core.deleteNamespacedPod({ name: 'g', namespace: ns });
      const p = await core.readNamespacedPod({ name: 'g', namespace: ns });
      expect(p.metadata?.deletionGracePeriodSeconds).toBe(30);
      // The node's status update during termination must not remove it…
      await core.patchNamespacedPodStatus(
        { name: 'g', namespace: ns, body: { status: { phase: 'Succeeded' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect((await core.readNamespacedPod({ name: 'g', namespace: ns })).status?.phase).toBe('Succeeded');
      // …its final delete with grace 0 does.
      await core.deleteNamespacedPod({ name: 'g', namespace: ns, gracePeriodSeconds: 0 });
      expect((await errorOf(core.readNamespacedPod({ name: 'g', namespace: ns }))).code).toBe(404);
    } finally {
      c.server.setGracefulPodDeletion(false);
    }
  });
});
