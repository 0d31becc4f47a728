/**
 * The long-running spawner (spec §10.2) against the API server: which changes wake the taskspawner-loop,
 * the requeue after the poll interval, and /metrics.
 */
import { request } from 'node:http';
import type { WorkItemSource } from '@kelos/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Manager } from '../src/runtime/manager.js';
import type { SpawnerIntegrations } from '../src/spawner/integrations.js';
import { startSpawnerLoop } from '../src/spawner/run-spawner.js';
import { parseSpawnerFlags } from '../src/spawner/spawner-flags.js';
import { eventually, silentLogger } from './helpers/runtime-cluster.js';
import { FakeSource, issueItem, SpawnerHarness, TASKS } from './helpers/spawner-harness.js';
import { settle } from './helpers/task-harness.js';

const h = new SpawnerHarness();
let manager: Manager | undefined;
beforeAll(() => h.start());
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
});
afterAll(() => h.stop());

async function startLoop(ns: string, name: string, source: WorkItemSource): Promise<Manager> {
  const integrations: SpawnerIntegrations = { source: () => source, issueComments: () => undefined };
  const flags = parseSpawnerFlags([
    `--taskspawner-name=${name}`,
    `--taskspawner-namespace=${ns}`,
    `--kubeconfig=${h.cluster.kubeconfigPath}`,
    '--metrics-bind-address=127.0.0.1:0',
  ]);
  manager = await startSpawnerLoop(flags, { integrations, logger: silentLogger });
  return manager;
}

const get = (port: number | undefined, path: string) =>
  new Promise<string>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });

describe('taskspawner-loop', () => {
  it('runs a cycle at start, on spec changes and on Task phase changes or deletions, not on status writes', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    const source = new FakeSource();
    source.items = [issueItem(1)];
    const mgr = await startLoop(ns, 'fixer', source);

    await eventually(() => h.task(ns, 'fixer-1'));
    await eventually(() => h.spawnerObject(ns, 'fixer').status?.phase === 'Running');
    await settle();
    expect(source.discoveries).toBe(1);

    // Status-only writes (its own, the controller's) and Task metadata edits wake nothing.
    h.setSpawnerStatus(ns, 'fixer', { ...h.spawnerObject(ns, 'fixer').status, message: 'edited' });
    const task = structuredClone(h.task(ns, 'fixer-1'));
    if (!task) throw new Error('no task');
    task.metadata.annotations = { ...task.metadata.annotations, note: 'x' };
    h.client.update(TASKS, task as never);
    await settle();
    expect(source.discoveries).toBe(1);

    // A Task changing phase does.
    source.items = [issueItem(1), issueItem(2)];
    h.setTaskStatus(ns, 'fixer-1', { phase: 'Pending' });
    await eventually(() => h.task(ns, 'fixer-2'));
    expect(source.discoveries).toBe(2);

    // A spec change (new generation) does.
    source.items = [issueItem(1), issueItem(2), issueItem(3)];
    h.updateSpawnerSpec(ns, 'fixer', (spec) => {
      spec.maxConcurrency = 10;
    });
    await eventually(() => h.task(ns, 'fixer-3'));
    expect(source.discoveries).toBe(3);

    // A deleted Task does, and is created again since its item is still there.
    const uid = h.task(ns, 'fixer-2')?.metadata.uid;
    h.client.delete(TASKS, 'fixer-2', { namespace: ns });
    await eventually(() => {
      const again = h.task(ns, 'fixer-2');
      return again && again.metadata.uid !== uid;
    });
    expect(source.discoveries).toBe(4);

    const metrics = await get(mgr.metricsPort, '/metrics');
    expect(metrics).toMatch(/^kelos_spawner_discovery_total [1-9]/m);
    expect(metrics).toMatch(/^kelos_spawner_tasks_created_total [1-9]/m);
    expect(metrics).toContain('kelos_spawner_discovery_duration_seconds_count');
    expect(metrics).toContain('workqueue_adds_total{name="taskspawner-loop"}');
  });

  it('polls again after the poll interval (integer seconds)', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'poller', { pollInterval: '1' });
    const source = new FakeSource();
    await startLoop(ns, 'poller', source);
    await eventually(() => source.discoveries >= 3, 5000);
  });

  it('retries a failing cycle with backoff, then polls normally', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'flaky');
    const source = new FakeSource();
    source.failWith = new Error('rate limited');
    source.items = [issueItem(9)];
    await startLoop(ns, 'flaky', source);
    await eventually(() => source.discoveries >= 3);
    expect(h.spawnerObject(ns, 'flaky').status?.phase).toBe('Failed');
    source.failWith = undefined;
    await eventually(() => h.task(ns, 'flaky-9'));
    await eventually(() => h.spawnerObject(ns, 'flaky').status?.phase === 'Running');
  });

  it('waits quietly while its TaskSpawner does not exist, and starts when it appears', async () => {
    const ns = h.namespace();
    const source = new FakeSource();
    source.items = [issueItem(4)];
    await startLoop(ns, 'later', source);
    await settle();
    expect(source.discoveries).toBe(0);
    h.createSpawner(ns, 'later');
    await eventually(() => h.task(ns, 'later-4'));
  });
});
