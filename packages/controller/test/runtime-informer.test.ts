import { afterEach, describe, expect, it } from 'vitest';
import { metadataOnly } from '../src/runtime/cache-transforms.js';
import { Informer } from '../src/runtime/informer.js';
import { type KubeObject, kinds } from '../src/runtime/kinds.js';
import {
  configMap,
  eventually,
  type RuntimeCluster,
  silentLogger,
  startRuntimeCluster,
  task,
} from './helpers/runtime-cluster.js';

let cluster: RuntimeCluster | undefined;
let informer: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  await informer?.stop();
  await cluster?.stop();
  informer = undefined;
  cluster = undefined;
});

function record<T extends KubeObject>(inf: Informer<T>): string[] {
  const events: string[] = [];
  for (const e of ['add', 'update', 'delete'] as const)
    inf.on(e, (o) => events.push(`${e}:${o.metadata?.name}`));
  return events;
}

describe('Informer', () => {
  it('lists, then follows add/update/delete in its cache and handlers', async () => {
    const c = await startRuntimeCluster();
    cluster = c;
    c.api.client.create('configmaps', configMap('before', { v: '1' }));
    const inf = new Informer(c.kc, kinds.ConfigMap, { namespace: 'default', logger: silentLogger });
    informer = inf;
    const events = record(inf);
    expect(inf.hasSynced()).toBe(false);
    await inf.start();
    await inf.waitForSync();
    expect(inf.hasSynced()).toBe(true);
    expect(inf.get('default', 'before')?.data).toEqual({ v: '1' });
    // Wire form: timestamps stay the strings the server sent.
    expect(typeof inf.get('default', 'before')?.metadata?.creationTimestamp).toBe('string');

    c.api.client.create('configmaps', {
      ...configMap('labelled'),
      metadata: { name: 'labelled', namespace: 'default', labels: { app: 'x' } },
    });
    const updated = structuredClone(c.api.client.get('configmaps', 'before', 'default'));
    updated.data = { v: '2' };
    c.api.client.update('configmaps', updated);
    c.api.client.delete('configmaps', 'labelled', { namespace: 'default' });
    await eventually(() => events.includes('delete:labelled'));
    expect(events).toEqual(['add:before', 'add:labelled', 'update:before', 'delete:labelled']);
    expect(inf.get('default', 'before')?.data).toEqual({ v: '2' });
    expect(inf.get('default', 'labelled')).toBeUndefined();
    expect(inf.list('default').map((o) => o.metadata?.name)).toEqual(['before']);
    expect(inf.list('other')).toEqual([]);
  });

  it('filters the cache by labels and watches custom resources cluster-wide', async () => {
    const c = await startRuntimeCluster();
    cluster = c;
    c.installCrd('Task');
    c.api.client.create('tasks.kelos.dev', {
      ...task('t1'),
      metadata: { name: 't1', namespace: 'default', labels: { team: 'a' } },
    });
    c.api.client.create('tasks.kelos.dev', task('t2'));
    const inf = new Informer(c.kc, kinds.Task, { logger: silentLogger });
    informer = inf;
    await inf.start();
    await inf.waitForSync();
    expect(inf.get('default', 't1')?.spec.type).toBe('claude-code');
    expect(inf.list(undefined, { team: 'a' }).map((t) => t.metadata.name)).toEqual(['t1']);
    expect(inf.list().length).toBe(2);
  });

  it('keeps what its transform leaves of listed and watched objects; by default all but managedFields', async () => {
    const c = await startRuntimeCluster();
    cluster = c;
    // A field manager makes the server record managedFields, as kubectl's writes do.
    const write = { fieldManager: 'kubectl' };
    c.api.client.create('configmaps', configMap('listed', { v: '1' }), write);
    const plain = new Informer(c.kc, kinds.ConfigMap, { namespace: 'default', logger: silentLogger });
    const slim = new Informer(c.kc, kinds.ConfigMap, {
      namespace: 'default',
      logger: silentLogger,
      transform: metadataOnly,
    });
    informer = { stop: () => Promise.all([plain.stop(), slim.stop()]).then(() => undefined) };
    const slimEvents = record(slim);
    await Promise.all([plain.start(), slim.start()]);
    await Promise.all([plain.waitForSync(), slim.waitForSync()]);
    c.api.client.create('configmaps', configMap('watched', { v: '1' }), write);
    await eventually(() => plain.get('default', 'watched') && slim.get('default', 'watched'));

    expect(c.api.client.get('configmaps', 'watched', 'default').metadata.managedFields).toBeDefined();
    for (const name of ['listed', 'watched']) {
      expect(plain.get('default', name)?.data).toEqual({ v: '1' });
      expect(plain.get('default', name)?.metadata).not.toHaveProperty('managedFields');
      const kept = slim.get('default', name);
      expect(kept).not.toHaveProperty('data');
      expect(kept?.metadata).not.toHaveProperty('managedFields');
      expect(kept?.metadata?.name).toBe(name);
      expect(kept?.metadata?.resourceVersion).toBeDefined();
    }
    // Handlers see the transformed object too.
    c.api.client.delete('configmaps', 'watched', { namespace: 'default' });
    await eventually(() => slimEvents.includes('delete:watched'));
    expect(slimEvents).toEqual(['add:listed', 'add:watched', 'delete:watched']);
  });

  it('restarts its watch after the API server goes away and relists on 410 Gone', async () => {
    // A one-event history: anything written while the informer is away expires its resourceVersion.
    const c = await startRuntimeCluster({ watchHistory: 1 });
    cluster = c;
    for (const n of ['keep', 'change', 'remove']) c.api.client.create('configmaps', configMap(n, { v: '1' }));
    const inf = new Informer(c.kc, kinds.ConfigMap, {
      namespace: 'default',
      logger: silentLogger,
      restartDelayMs: 20,
    });
    informer = inf;
    const events = record(inf);
    await inf.start();
    await inf.waitForSync();
    expect(inf.list().length).toBe(3);

    await c.restart((api) => {
      api.client.create('configmaps', configMap('added', { v: '1' }));
      const changed = structuredClone(api.client.get('configmaps', 'change', 'default'));
      changed.data = { v: '2' };
      api.client.update('configmaps', changed);
      api.client.delete('configmaps', 'remove', { namespace: 'default' });
    });
    await eventually(() => events.includes('delete:remove') && events.includes('update:change'), 10_000);
    expect(events).toContain('add:added');
    expect(
      inf
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['added', 'change', 'keep']);
    expect(inf.get('default', 'change')?.data).toEqual({ v: '2' });

    // And the restarted watch follows new changes again.
    c.api.client.create('configmaps', configMap('later'));
    await eventually(() => inf.get('default', 'later'));
  });

  it('keeps retrying until the API server answers, then syncs', async () => {
    const c = await startRuntimeCluster();
    cluster = c;
    const port = c.api.port;
    await c.api.stop();
    const inf = new Informer(c.kc, kinds.ConfigMap, {
      logger: silentLogger,
      restartDelayMs: 20,
      maxRestartDelayMs: 100,
    });
    informer = inf;
    await inf.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(inf.hasSynced()).toBe(false);
    await c.restart((api) => {
      api.client.create('configmaps', configMap('late'));
      expect(api.port).toBe(port);
    });
    await inf.waitForSync();
    await eventually(() => inf.get('default', 'late'));
  });
});
