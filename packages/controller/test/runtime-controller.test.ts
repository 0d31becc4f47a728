import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from '../src/runtime/controller.js';
import { kinds } from '../src/runtime/kinds.js';
import { Manager } from '../src/runtime/manager.js';
import { metrics } from '../src/runtime/metrics.js';
import {
  configMap,
  eventually,
  type RuntimeCluster,
  silentLogger,
  startRuntimeCluster,
  task,
} from './helpers/runtime-cluster.js';

let cluster: RuntimeCluster;
let manager: Manager;
/** Keys reconciled by each controller, in order, with the time of each call. */
const calls: Record<string, { key: string; at: number }[]> = { cm: [], flaky: [], task: [] };
let flakyFailures = 3;
let requeues = 2;
let concurrent = 0;
let maxConcurrent = 0;

const keysOf = (name: string) => (calls[name] ?? []).map((c) => c.key);

async function errorCount(controller: string): Promise<number> {
  const m = await metrics.reconcileErrors.get();
  return m.values.find((v) => v.labels.controller === controller)?.value ?? 0;
}

beforeAll(async () => {
  cluster = await startRuntimeCluster();
  cluster.installCrd('Task');
  cluster.api.client.create('configmaps', configMap('a'));
  cluster.api.client.create('configmaps', configMap('b'));
  manager = new Manager({
    kubeConfig: cluster.kc,
    logger: silentLogger,
    healthPort: false,
    metricsPort: false,
  });
  const configMaps = manager.informer(kinds.ConfigMap, { namespace: 'default' });
  const tasks = manager.informer(kinds.Task, { namespace: 'default' });

  manager
    .controller({
      name: 'runtime-test-cm',
      workers: 4,
      reconcile: async (req: Request) => {
        calls.cm?.push({ key: req.key, at: Date.now() });
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        concurrent--;
        if (req.name === 'requeue' && requeues-- > 0) return { requeueAfterMs: 30 };
      },
    })
    .for(configMaps);

  manager
    .controller({
      name: 'runtime-test-flaky',
      backoffBaseMs: 20,
      reconcile: async (req) => {
        if (req.name !== 'flaky') return;
        calls.flaky?.push({ key: req.key, at: Date.now() });
        if (flakyFailures-- > 0) throw new Error('injected failure');
      },
    })
    .for(configMaps);

  manager
    .controller({
      name: 'runtime-test-task',
      reconcile: async (req) => {
        calls.task?.push({ key: req.key, at: Date.now() });
      },
    })
    .for(tasks)
    .owns(configMaps);

  await manager.start();
});

afterAll(async () => {
  await manager?.stop();
  await cluster?.stop();
});

describe('Controller', () => {
  it('reconciles every existing object once the caches synced', async () => {
    expect(manager.cachesSynced).toBe(true);
    await eventually(() => keysOf('cm').includes('default/a') && keysOf('cm').includes('default/b'));
  });

  it('reconciles again after requeueAfterMs', async () => {
    cluster.api.client.create('configmaps', configMap('requeue'));
    await eventually(() => keysOf('cm').filter((k) => k === 'default/requeue').length === 3);
    const times = (calls.cm ?? []).filter((c) => c.key === 'default/requeue').map((c) => c.at);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(25);
    await new Promise((r) => setTimeout(r, 100));
    expect(keysOf('cm').filter((k) => k === 'default/requeue').length).toBe(3);
  });

  it('reconciles a changed object, never the same key twice at once', async () => {
    for (let i = 0; i < 5; i++) cluster.api.client.create('configmaps', configMap(`burst-${i}`));
    const before = keysOf('cm').filter((k) => k === 'default/a').length;
    const a = structuredClone(cluster.api.client.get('configmaps', 'a', 'default'));
    a.data = { changed: 'yes' };
    cluster.api.client.update('configmaps', a);
    await eventually(() => keysOf('cm').filter((k) => k === 'default/a').length > before);
    await eventually(() => keysOf('cm').includes('default/burst-4'));
    // Four workers run different keys side by side.
    expect(maxConcurrent).toBeGreaterThan(1);
  });

  it('retries a failing reconcile with growing backoff and counts kelos_reconcile_errors_total', async () => {
    cluster.api.client.create('configmaps', configMap('flaky'));
    await eventually(() => (calls.flaky ?? []).length === 4, 5000);
    const at = (calls.flaky ?? []).map((c) => c.at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    // 20 ms, 40 ms, 80 ms (timers fire no earlier than asked).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(await errorCount('runtime-test-flaky')).toBe(3);
    expect(await errorCount('runtime-test-cm')).toBe(0);
  });

  it('reconciles the controlling owner when an owned object changes', async () => {
    const owner = cluster.api.client.create('tasks.kelos.dev', task('owner'));
    await eventually(() => keysOf('task').includes('default/owner'));
    const ownerCalls = () => keysOf('task').filter((k) => k === 'default/owner').length;
    const afterCreate = ownerCalls();
    const ref = {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      name: 'owner',
      uid: owner.metadata.uid ?? '',
    };
    cluster.api.client.create('configmaps', configMap('owned', {}, ref));
    await eventually(() => ownerCalls() === afterCreate + 1);
    const owned = structuredClone(cluster.api.client.get('configmaps', 'owned', 'default'));
    owned.data = { v: '2' };
    cluster.api.client.update('configmaps', owned);
    await eventually(() => ownerCalls() === afterCreate + 2);
    // Only the owner is enqueued: the ConfigMap's own key never reaches the Task controller.
    expect(keysOf('task').every((k) => k === 'default/owner')).toBe(true);

    // A ConfigMap owned by something else (here another ConfigMap) does not enqueue a Task.
    const other = cluster.api.client.get('configmaps', 'a', 'default');
    const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: other.metadata.uid ?? '' };
    cluster.api.client.create('configmaps', configMap('owned-by-cm', {}, cmRef));
    await eventually(() => keysOf('cm').includes('default/owned-by-cm'));
    await new Promise((r) => setTimeout(r, 50));
    expect(ownerCalls()).toBe(afterCreate + 2);
    expect(keysOf('task')).not.toContain('default/a');
  });
});
