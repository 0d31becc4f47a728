import {
  CoreV1Api,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCluster, type TestCluster } from './helpers/apiserver.js';

let c: TestCluster;
let core: CoreV1Api;
const HISTORY = 30;

beforeAll(async () => {
  c = await startTestCluster({ watchHistory: HISTORY, bookmarkIntervalMs: 100 });
  core = c.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await c.stop();
});

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  obj: Record<string, unknown>;
}

async function watchConfigMaps(
  ns: string,
  query: Record<string, string | number | boolean>,
): Promise<{ events: Seen[]; done: Promise<unknown>; abort: () => void }> {
  const events: Seen[] = [];
  let finish: (err: unknown) => void = () => {};
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const ctl = await new Watch(c.kc).watch(
    `/api/v1/namespaces/${ns}/configmaps`,
    query,
    (type, obj: { metadata?: { name?: string; resourceVersion?: string } }) =>
      events.push({
        type,
        name: obj.metadata?.name,
        rv: obj.metadata?.resourceVersion,
        obj: obj as Record<string, unknown>,
      }),
    (err) => finish(err ?? 'closed'),
  );
  return { events, done, abort: () => ctl.abort() };
}

const cm = (name: string, labels?: Record<string, string>) => ({ metadata: { name, labels } });
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED events', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w1' } } });
    await core.createNamespacedConfigMap({ namespace: 'w1', body: cm('before') });
    const w = await watchConfigMaps('w1', {});
    await core.createNamespacedConfigMap({ namespace: 'w1', body: cm('a') });
    await core.patchNamespacedConfigMap(
      { name: 'a', namespace: 'w1', body: { data: { k: 'v' } } },
      mergePatch,
    );
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'w1' });
    await eventually(() => w.events.length >= 4);
    w.abort();
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual([
      'ADDED before',
      'ADDED a',
      'MODIFIED a',
      'DELETED a',
    ]);
    const rvs = w.events.slice(1).map((e) => Number(e.rv));
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
  });

  it('resumes from a resourceVersion', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w2' } } });
    const first = await core.createNamespacedConfigMap({ namespace: 'w2', body: cm('one') });
    await core.createNamespacedConfigMap({ namespace: 'w2', body: cm('two') });
    await core.createNamespacedConfigMap({ namespace: 'w2', body: cm('three') });
    const w = await watchConfigMaps('w2', { resourceVersion: first.metadata?.resourceVersion ?? '' });
    await eventually(() => w.events.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    w.abort();
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED two', 'ADDED three']);
  });

  it('answers a too old resourceVersion with an ERROR event carrying 410 Expired', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w3' } } });
    const first = await core.createNamespacedConfigMap({ namespace: 'w3', body: cm('old') });
    for (let i = 0; i < HISTORY + 5; i++) {
      await core.patchNamespacedConfigMap(
        { name: 'old', namespace: 'w3', body: { data: { i: String(i) } } },
        mergePatch,
      );
    }
    const w = await watchConfigMaps('w3', { resourceVersion: first.metadata?.resourceVersion ?? '' });
    await w.done;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]?.type).toBe('ERROR');
    expect(w.events[0]?.obj).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('turns label changes into ADDED/DELETED for a selector, and watches one object by name', async () => {
    await core.createNamespace({ body: { metadata: { name: 'w4' } } });
    const w = await watchConfigMaps('w4', { labelSelector: 'team=a' });
    const byName = await watchConfigMaps('w4', { fieldSelector: 'metadata.name=x' });
    await core.createNamespacedConfigMap({ namespace: 'w4', body: cm('x', { team: 'b' }) });
    await core.createNamespacedConfigMap({ namespace: 'w4', body: cm('y', { team: 'a' }) });
    await core.patchNamespacedConfigMap(
      { name: 'x', namespace: 'w4', body: { metadata: { labels: { team: 'a' } } } },
      mergePatch,
    );
    await core.patchNamespacedConfigMap(
      { name: 'x', namespace: 'w4', body: { metadata: { labels: { team: 'c' } } } },
      mergePatch,
    );
    await eventually(() => w.events.length >= 3 && byName.events.length >= 3);
    w.abort();
    byName.abort();
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED y', 'ADDED x', 'DELETED x']);
    expect(byName.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED x', 'MODIFIED x', 'MODIFIED x']);
  });

  it('sends BOOKMARK events and honours timeoutSeconds', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const w = await watchConfigMaps('default', {
      resourceVersion: list.metadata?.resourceVersion ?? '',
      allowWatchBookmarks: true,
      timeoutSeconds: 1,
    });
    const started = Date.now();
    await w.done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    const bookmark = w.events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.obj).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(bookmark?.rv)).toBeGreaterThanOrEqual(Number(list.metadata?.resourceVersion));
  });
});

describe('informer', () => {
  it('sees adds, updates and deletes', async () => {
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    await core.createNamespacedConfigMap({ namespace: 'inf', body: cm('pre') });
    const informer = makeInformer(c.kc, '/api/v1/namespaces/inf/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'inf' }),
    );
    const log: string[] = [];
    informer.on('add', (o: V1ConfigMap) => log.push(`add ${o.metadata?.name}`));
    informer.on('update', (o: V1ConfigMap) =>
      log.push(`update ${o.metadata?.name} ${JSON.stringify(o.data ?? {})}`),
    );
    informer.on('delete', (o: V1ConfigMap) => log.push(`delete ${o.metadata?.name}`));
    await informer.start();
    await eventually(() => log.includes('add pre'));
    await core.createNamespacedConfigMap({ namespace: 'inf', body: cm('live') });
    await core.patchNamespacedConfigMap(
      { name: 'live', namespace: 'inf', body: { data: { v: '1' } } },
      mergePatch,
    );
    await core.deleteNamespacedConfigMap({ name: 'live', namespace: 'inf' });
    await eventually(() => log.includes('delete live'));
    await informer.stop();
    expect(log).toEqual(['add pre', 'add live', 'update live {"v":"1"}', 'delete live']);
    expect(informer.list('inf').map((o) => o.metadata?.name)).toEqual(['pre']);
  });

  it('delivers in-process watch events in order', async () => {
    const seen: string[] = [];
    const stop = c.server.client.watch('configmaps', { namespace: 'inf' }, (type, obj) =>
      seen.push(`${type} ${obj.metadata.name}`),
    );
    c.server.client.create('configmaps', { metadata: { name: 'ip', namespace: 'inf' } });
    c.server.client.delete('configmaps', 'ip', { namespace: 'inf' });
    await eventually(() => seen.length >= 3);
    stop();
    expect(seen).toEqual(['ADDED pre', 'ADDED ip', 'DELETED ip']);
  });
});
