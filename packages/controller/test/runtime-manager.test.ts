import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metadataOnly } from '../src/runtime/cache-transforms.js';
import { kinds, resourceKind } from '../src/runtime/kinds.js';
import { Manager, type ManagerLeaderElection } from '../src/runtime/manager.js';
import { metrics } from '../src/runtime/metrics.js';
import {
  configMap,
  eventually,
  type RuntimeCluster,
  silentLogger,
  startRuntimeCluster,
} from './helpers/runtime-cluster.js';

let cluster: RuntimeCluster;
const managers: Manager[] = [];

beforeAll(async () => {
  cluster = await startRuntimeCluster();
  cluster.api.client.create('configmaps', configMap('seed'));
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
});

afterAll(async () => {
  await cluster?.stop();
});

function get(port: number | undefined, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** A manager with one ConfigMap controller that records the keys it reconciles. */
function newManager(options: { lease?: ManagerLeaderElection; onLeaderLost?: () => void } = {}) {
  const reconciled: string[] = [];
  const m = new Manager({
    kubeConfig: cluster.kc,
    logger: silentLogger,
    healthPort: 0,
    metricsPort: 0,
    host: '127.0.0.1',
    ...(options.lease ? { leaderElection: options.lease } : {}),
    ...(options.onLeaderLost ? { onLeaderLost: options.onLeaderLost } : {}),
  });
  const cms = m.informer(kinds.ConfigMap, { namespace: 'default' });
  m.controller({
    name: 'runtime-test-le',
    reconcile: async (req) => {
      reconciled.push(req.key);
    },
  }).for(cms);
  managers.push(m);
  return { m, reconciled };
}

const lease = (name: string, identity: string): ManagerLeaderElection => ({
  namespace: 'default',
  name,
  identity,
  leaseDurationMs: 1000,
  renewDeadlineMs: 600,
  retryPeriodMs: 100,
});

const holder = (name: string) =>
  (
    cluster.api.client.get('leases.coordination.k8s.io', name, 'default') as {
      spec?: { holderIdentity?: string };
    }
  ).spec?.holderIdentity;

describe('Manager probes and metrics', () => {
  it('serves /healthz, /readyz once synced, and /metrics with the Kelos metrics', async () => {
    const { m, reconciled } = newManager();
    await m.start();
    await eventually(() => reconciled.includes('default/seed'));
    expect(await get(m.healthPort, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(m.healthPort, '/readyz')).toEqual({ status: 200, body: 'ok\n' });
    expect((await get(m.healthPort, '/nope')).status).toBe(404);

    metrics.taskCreated.inc({ namespace: 'default', type: 'claude-code' });
    const { status, body } = await get(m.metricsPort, '/metrics');
    expect(status).toBe(200);
    expect(body).toContain('kelos_task_created_total{namespace="default",type="claude-code"} 1');
    expect(body).toContain('workqueue_adds_total{name="runtime-test-le"}');
    expect(body).toContain('workqueue_depth{name="runtime-test-le"} 0');
    for (const name of [
      'kelos_reconcile_errors_total',
      'kelos_task_completed_total',
      'kelos_task_duration_seconds histogram',
      'kelos_task_cost_usd_total',
      'kelos_task_input_tokens_total',
      'kelos_task_output_tokens_total',
      'workqueue_retries_total',
    ])
      expect(body).toContain(`# TYPE ${name}`);
    metrics.taskCostUsd.inc({ namespace: 'default', type: 'codex', spawner: 's', model: 'm' }, 0.5);
    expect((await get(m.metricsPort, '/metrics')).body).toContain(
      'kelos_task_cost_usd_total{namespace="default",type="codex",spawner="s",model="m"} 0.5',
    );
  });

  it('hands controllers asking for the same cache one shared informer', () => {
    const m = new Manager({
      kubeConfig: cluster.kc,
      logger: silentLogger,
      healthPort: false,
      metricsPort: false,
    });
    const all = m.informer(kinds.ConfigMap);
    expect(m.informer(kinds.ConfigMap)).toBe(all);
    const labelled = m.informer(kinds.ConfigMap, { labelSelector: 'app' });
    expect(m.informer(kinds.ConfigMap, { labelSelector: 'app' })).toBe(labelled);
    expect(labelled).not.toBe(all);
    expect(m.informer(kinds.ConfigMap, { namespace: 'default' })).not.toBe(all);
    expect(m.informer(kinds.ConfigMap, { transform: metadataOnly })).not.toBe(all);
    expect(m.informer(kinds.Secret)).not.toBe(all);
  });

  it('is alive but not ready while a cache cannot sync', async () => {
    const m = new Manager({
      kubeConfig: cluster.kc,
      logger: silentLogger,
      healthPort: 0,
      metricsPort: false,
      host: '127.0.0.1',
      cacheSyncTimeoutMs: 300,
    });
    managers.push(m);
    m.informer(resourceKind('example.com', 'v1', 'Missing', 'missings'), { restartDelayMs: 50 });
    await expect(m.start()).rejects.toThrow(/caches not synced after 300 ms: missings/);
    expect((await get(m.healthPort, '/healthz')).status).toBe(200);
    expect(await get(m.healthPort, '/readyz')).toEqual({ status: 503, body: 'caches not synced\n' });
  });
});

describe('Manager leader election', () => {
  it('runs the controllers of exactly one replica; a standby takes over at once when the leader releases', async () => {
    const a = newManager({ lease: lease('le-release', 'a') });
    const b = newManager({ lease: lease('le-release', 'b') });
    await Promise.all([a.m.start(), b.m.start()]);
    const leader = await eventually(() => (a.m.isLeader ? a : b.m.isLeader ? b : undefined));
    const standby = leader === a ? b : a;
    await eventually(() => leader.reconciled.includes('default/seed'));
    await new Promise((r) => setTimeout(r, 300));
    expect(standby.m.isLeader).toBe(false);
    expect(standby.reconciled).toEqual([]);
    // A standby is ready too: its caches are synced.
    expect((await get(standby.m.healthPort, '/readyz')).status).toBe(200);

    const stoppedAt = Date.now();
    await leader.m.stop();
    await eventually(() => standby.m.isLeader, 2000);
    // Released: no need to wait for the 1 s lease to expire.
    expect(Date.now() - stoppedAt).toBeLessThan(950);
    await eventually(() => standby.reconciled.includes('default/seed'));
    expect(holder('le-release')).toBe(standby === a ? 'a' : 'b');
  });

  it('takes over within the lease duration when the leader dies without releasing', async () => {
    const a = newManager({ lease: lease('le-die', 'a') });
    await a.m.start();
    await eventually(() => a.m.isLeader);
    const b = newManager({ lease: lease('le-die', 'b') });
    await b.m.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.m.isLeader).toBe(false);

    // The leader stops renewing and keeps the lease, as a killed process would.
    const diedAt = Date.now();
    await a.m.stop({ releaseLease: false });
    expect(holder('le-die')).toBe('a');
    await eventually(() => b.m.isLeader, 3000);
    const elapsed = Date.now() - diedAt;
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(1000 + 400);
    expect(holder('le-die')).toBe('b');
  });

  it('stops working and reports when another holder takes its lease', async () => {
    let lost = 0;
    const a = newManager({
      lease: lease('le-lost', 'a'),
      onLeaderLost: () => {
        lost++;
      },
    });
    await a.m.start();
    await eventually(() => a.m.isLeader);
    // Someone else writes the lease (e.g. after a network partition): renewals now fail.
    const current = structuredClone(
      cluster.api.client.get('leases.coordination.k8s.io', 'le-lost', 'default'),
    );
    current.spec = { ...(current.spec as object), holderIdentity: 'intruder' };
    cluster.api.client.update('leases.coordination.k8s.io', current);
    await eventually(() => lost === 1, 3000);
    expect(a.m.isLeader).toBe(false);
    cluster.api.client.create('configmaps', configMap('after-loss'));
    await new Promise((r) => setTimeout(r, 200));
    expect(a.reconciled).not.toContain('default/after-loss');
  });
});
