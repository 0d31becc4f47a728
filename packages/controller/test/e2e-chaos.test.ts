import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerProcess,
  type E2eCluster,
  eventually,
  FAKE_IMAGE,
  startE2eCluster,
} from './helpers/e2e-cluster.js';

/**
 * The controller binary as its own process, killed with SIGKILL (no graceful shutdown, no Lease release)
 * while it works. State lives only in the API server, so a restarted controller must finish the work
 * without duplicating it.
 */

const LEASE = 'kelos-controller-leader-election';
const countBy = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => Object.assign(acc, { [v]: (acc[v] ?? 0) + 1 }), {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let e2e: E2eCluster;

beforeAll(async () => {
  e2e = await startE2eCluster({ controller: false });
}, 30_000);

afterAll(async () => {
  await e2e?.stop();
});

async function kill9(controller: ControllerProcess): Promise<void> {
  controller.child.kill('SIGKILL');
  await controller.exited;
}

function createTasks(ns: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    // spec.image: the fake runs without the tini shim, whose /usr overlay slows every pod's start.
    e2e.createTask(ns, `t${i}`, { prompt: `Say hello ${i}`, image: FAKE_IMAGE });
  }
}

describe.sequential('controller process under SIGKILL', () => {
  it('finishes 50 Tasks with exactly one Job each across four kill -9 restarts', async () => {
    const ns = e2e.namespace('chaos');
    const total = 50;
    const batch = Math.ceil(total / 4);
    const flags = ['--leader-elect=false', '--log-level=warn'];
    for (let round = 0; round < 4; round++) {
      createTasks(ns, round * batch, Math.min(total, (round + 1) * batch));
      const controller = e2e.spawnController(flags);
      // Random moments: during start-up and cache sync, while creating Jobs, while mirroring pods.
      await sleep(600 + Math.random() * 2400);
      await kill9(controller);
    }
    e2e.spawnController(flags);

    const tasks = await eventually(
      () => {
        const items = e2e.client.list('tasks.kelos.dev', { namespace: ns }).items as {
          metadata: { name: string; uid: string };
          status?: { phase?: string; results?: Record<string, string> };
        }[];
        if (items.length === total && items.every((t) => t.status?.phase === 'Succeeded')) return items;
        // Thrown, not returned: eventually reports the last error, so a timeout says where Tasks stand.
        throw new Error(`phases: ${JSON.stringify(countBy(items.map((t) => t.status?.phase ?? '')))}`);
      },
      60_000,
      'every Task Succeeded',
    );
    const jobs = e2e.jobs(ns);
    expect(jobs).toHaveLength(total);
    const owners = new Map(tasks.map((t) => [t.metadata.name, t.metadata.uid]));
    for (const job of jobs) {
      const name = job.metadata.name ?? '';
      const refs = job.metadata.ownerReferences ?? [];
      expect(refs.filter((r) => r.controller)).toEqual([
        expect.objectContaining({
          kind: 'Task',
          name,
          uid: owners.get(name),
        }),
      ]);
    }
    for (const task of tasks) expect(task.status?.results?.['output-tokens']).toBe('17');
  }, 90_000);

  it('with leader election one of two processes leads; after kill -9 the other takes over', async () => {
    const ns = e2e.namespace('lease');
    const flags = ['--leader-elect=true', `--leader-election-namespace=${ns}`, '--log-level=info'];
    const controllers = [e2e.spawnController(flags), e2e.spawnController(flags)];
    const leaderOf = () =>
      (
        e2e.client.get('leases.coordination.k8s.io', LEASE, ns) as unknown as {
          spec: { holderIdentity?: string };
        }
      ).spec.holderIdentity;
    /** Which process logged winning the Lease with that identity. */
    const processLeading = (identity: string) =>
      controllers.find((c) =>
        c.lines.some((l) => l.includes('became leader') && l.includes(`"identity":"${identity}"`)),
      );

    const first = await eventually(() => leaderOf() || undefined, 20_000, 'a Lease holder');
    const leader = await eventually(() => processLeading(first), 10_000, 'the leader’s log');
    createTasks(ns, 0, 1);
    await eventually(() => e2e.job(ns, 't0'), 20_000, 'a Job for t0');
    // The standby never won: only one process logged leadership.
    expect(controllers.filter((c) => c.lines.some((l) => l.includes('became leader')))).toHaveLength(1);

    await kill9(leader);
    createTasks(ns, 1, 2);
    // The killed leader never released the Lease: the standby waits out its 15 s duration.
    const second = await eventually(
      () => {
        const holder = leaderOf();
        return holder !== first && holder;
      },
      30_000,
      'a new Lease holder',
    );
    const successor = await eventually(() => processLeading(second), 10_000, 'the successor’s log');
    expect(successor).toBe(controllers.find((c) => c !== leader));
    await eventually(() => e2e.job(ns, 't1'), 20_000, 'a Job for t1 from the new leader');
  }, 60_000);
});
