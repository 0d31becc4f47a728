import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, BatchV1Api, CoreV1Api, Log, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../src/index.js';
import { eventually } from './helpers/apiserver.js';
import {
  kubectl,
  processesWith,
  sleep,
  startTestDevCluster,
  type TestDevCluster,
} from './helpers/devcluster.js';

const NS = 'default';
/** The CronJob test moves the controllers' clock forward by changing this. */
let clockOffsetMs = 0;
let t: TestDevCluster;
let apps: AppsV1Api;
let batch: BatchV1Api;
let core: CoreV1Api;

const IN_CLUSTER_SCRIPT = `#!/bin/sh
exec node --input-type=module -e '
const k8s = await import(process.env.CLIENT_NODE);
const kc = new k8s.KubeConfig();
kc.loadFromCluster();
const ns = (await import("node:fs")).readFileSync("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8");
const pods = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: ns });
console.log("server " + kc.getCurrentCluster().server);
console.log("pods in " + ns + ": " + pods.items.map((p) => p.metadata.name).join(","));
'
`;

beforeAll(async () => {
  t = await startTestDevCluster(
    {
      'example.com/sh:v1': {},
      'example.com/in-cluster': {
        command: ['/app/list-pods.sh'],
        // client-node is loaded from the checkout, which may itself live under the private /tmp.
        hostPaths: [fileURLToPath(new URL('../../../', import.meta.url))],
        files: { 'app/list-pods.sh': IN_CLUSTER_SCRIPT },
      },
    },
    { clock: () => Date.now() + clockOffsetMs },
  );
  apps = t.kc.makeApiClient(AppsV1Api);
  batch = t.kc.makeApiClient(BatchV1Api);
  core = t.kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await t?.stop();
});

const marker = (name: string) => `kelos-test-${name}-${randomBytes(4).toString('hex')}`;

async function podsWith(label: string): Promise<V1Pod[]> {
  return (await core.listNamespacedPod({ namespace: NS, labelSelector: label })).items;
}

const running = (pods: V1Pod[]) =>
  pods.filter((p) => p.status?.phase === 'Running' && p.metadata?.deletionTimestamp === undefined);

/** Follows a container's log from now on into a string. */
async function followLog(pod: string): Promise<{ text: () => string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await new Log(t.kc).log(NS, pod, 'main', out, { follow: true });
  return { text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The last state of a pod the in-process watch saw, including the one it had when it was removed. */
function lastStateOf(name: string): { get: () => KObject | undefined; stop: () => void } {
  let last: KObject | undefined;
  const stop = t.cluster.client.watch(
    'pods',
    { namespace: NS, fieldSelector: `metadata.name=${name}` },
    (_e, o) => {
      last = o;
    },
  );
  return { get: () => last, stop };
}

describe.sequential('dev cluster: node and workload controllers', () => {
  it('registers a Ready Node that kubectl lists', async () => {
    const out = await kubectl(t.kubeconfigPath, ['get', 'nodes', '-o', 'name']);
    expect(out.stdout.trim()).toBe('node/kelos-dev');
    const node = await core.readNode({ name: 'kelos-dev' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('stops a deleted pod with SIGTERM, then SIGKILL after the grace period, leaving no process', async () => {
    const tag = marker('stubborn');
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'stubborn' },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'main',
              image: 'example.com/sh:v1',
              // Ignores SIGTERM (the trap only reports it), so only SIGKILL ends it.
              command: ['sh', '-c', 'trap "echo got TERM" TERM; echo up; while :; do sleep 0.1; done', tag],
            },
          ],
        },
      },
    });
    await eventually(async () => {
      const pod = await core.readNamespacedPod({ name: 'stubborn', namespace: NS });
      return pod.status?.phase === 'Running';
    });
    expect(processesWith(tag).length).toBeGreaterThan(0);
    const log = await followLog('stubborn');
    // Its trap is set once it said "up"; a SIGTERM before that would simply end it.
    await eventually(() => log.text().includes('up'));
    const last = lastStateOf('stubborn');

    const deletedAt = Date.now();
    await core.deleteNamespacedPod({ name: 'stubborn', namespace: NS });
    // Marked first: the node has the grace period to stop it.
    const marked = await core.readNamespacedPod({ name: 'stubborn', namespace: NS });
    expect(marked.metadata?.deletionTimestamp).toBeDefined();
    expect(marked.metadata?.deletionGracePeriodSeconds).toBe(1);
    await eventually(() => isGone('stubborn'), 10_000);
    const took = Date.now() - deletedAt;
    last.stop();

    expect(took).toBeGreaterThanOrEqual(900);
    expect(processesWith(tag)).toEqual([]);
    expect(log.text()).toContain('got TERM');
    const status = last.get()?.status as V1Pod['status'];
    expect(status?.phase).toBe('Failed');
    expect(status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
    const events = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=stubborn',
    });
    expect(events.items.map((e) => e.reason)).toContain('Killing');
  });

  it('reads its own namespace through in-cluster config from inside a pod', async () => {
    const clientNode = createRequire(import.meta.url).resolve('@kubernetes/client-node');
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'in-cluster' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'main',
              image: 'example.com/in-cluster',
              env: [{ name: 'CLIENT_NODE', value: clientNode }],
            },
          ],
        },
      },
    });
    const pod = await eventually(async () => {
      const p = await core.readNamespacedPod({ name: 'in-cluster', namespace: NS });
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
    }, 15_000);
    const logs = await kubectl(t.kubeconfigPath, ['logs', 'in-cluster']);
    expect(pod.status?.phase, logs.stdout).toBe('Succeeded');
    expect(logs.stdout).toContain(`server https://127.0.0.1:${t.cluster.port}`);
    expect(logs.stdout).toMatch(/pods in default: .*\bin-cluster\b/);
  });

  it('runs a Deployment: keeps 2 replicas, restarts exited containers, replaces deleted pods, scales to 0', async () => {
    const tag = marker('web');
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'main',
                  image: 'example.com/sh:v1',
                  command: ['sh', '-c', 'while :; do sleep 1; done', tag],
                },
              ],
            },
          },
        },
      },
    });
    const initial = await eventually(async () => {
      const pods = running(await podsWith('app=web'));
      return pods.length === 2 ? pods : undefined;
    }, 10_000);
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
      return d.status?.readyReplicas === 2 && d.status.availableReplicas === 2;
    });

    // A container that exits is restarted in place (restartPolicy Always).
    const [victim, other] = initial as [V1Pod, V1Pod];
    // Running is reported once bwrap is spawned; the shell inside may still be starting.
    const shells = await eventually(() => {
      const pids = processesWith(tag).filter((pid) => isShell(pid));
      return pids.length === 2 ? pids : undefined;
    });
    process.kill(shells[0] as number, 'SIGKILL');
    await eventually(async () => {
      const pods = await podsWith('app=web');
      return (
        pods.some((p) => p.status?.containerStatuses?.[0]?.restartCount === 1) && running(pods).length === 2
      );
    }, 10_000);

    // A deleted pod is replaced by a new one.
    await core.deleteNamespacedPod({ name: victim.metadata?.name ?? '', namespace: NS });
    await eventually(async () => {
      const names = running(await podsWith('app=web')).map((p) => p.metadata?.name);
      return (
        names.length === 2 && !names.includes(victim.metadata?.name) && names.includes(other.metadata?.name)
      );
    }, 10_000);

    const scaled = await kubectl(t.kubeconfigPath, ['scale', 'deployment/web', '--replicas=0']);
    expect(scaled.stderr).toBe('');
    await eventually(async () => (await podsWith('app=web')).length === 0, 10_000);
    await eventually(() => processesWith(tag).length === 0);
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
    expect(d.status?.replicas ?? 0).toBe(0);
  });

  it('creates the Job of a CronJob when its schedule comes due', async () => {
    await batch.createNamespacedCronJob({
      namespace: NS,
      body: {
        metadata: { name: 'tick' },
        spec: {
          schedule: '* * * * *',
          startingDeadlineSeconds: 300,
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'Never',
                  containers: [
                    { name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', 'echo tick'] },
                  ],
                },
              },
            },
          },
        },
      },
    });
    await sleep(200);
    expect(
      (await batch.listNamespacedJob({ namespace: NS })).items.map((j) => j.metadata?.name),
    ).not.toContainEqual(expect.stringMatching(/^tick-/));

    // A minute later (by the controllers' clock) the schedule has fired.
    clockOffsetMs = 61_000;
    t.cluster.resync();
    const job = await eventually(async () => {
      const jobs = (await batch.listNamespacedJob({ namespace: NS })).items;
      const j = jobs.find((x) => x.metadata?.name?.startsWith('tick-'));
      return j?.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 10_000);
    const scheduledMinute = Number(job.metadata?.name?.slice('tick-'.length));
    expect(scheduledMinute).toBe(Math.floor((Date.now() + clockOffsetMs) / 60_000));
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'CronJob',
      name: 'tick',
      controller: true,
    });
    const cronJob = await eventually(async () => {
      const cj = await batch.readNamespacedCronJob({ name: 'tick', namespace: NS });
      return cj.status?.lastSuccessfulTime ? cj : undefined;
    });
    expect(cronJob.status?.lastScheduleTime?.getTime()).toBe(scheduledMinute * 60_000);
    expect(cronJob.status?.active ?? []).toEqual([]);
  });
});

function isGone(name: string): boolean {
  try {
    t.cluster.client.get('pods', name, NS);
    return false;
  } catch {
    return true;
  }
}

/** The container's shell itself, not the bwrap processes around it (their argv contains the marker too). */
function isShell(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === 'sh';
  } catch {
    return false;
  }
}
