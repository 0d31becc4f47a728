import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { BatchV1Api, CoreV1Api, Log, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../src/index.js';
import { eventually } from './helpers/apiserver.js';
import { kubectl, startTestDevCluster, type TestDevCluster, writeTree } from './helpers/devcluster.js';

const NS = 'default';
let t: TestDevCluster;
let batch: BatchV1Api;
let core: CoreV1Api;
let remote: string;

beforeAll(async () => {
  // A bare repository on the host; the sandbox's /tmp is private, so pods get it through a hostPath volume.
  remote = mkdtempSync(join(tmpdir(), 'kelos-devcluster-remote-'));
  const work = join(remote, 'work');
  execFileSync('git', ['init', '--bare', '-q', join(remote, 'repo.git')]);
  writeTree(work, { README: 'hello from the repo\n' });
  const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
  git('push', '-q', join(remote, 'repo.git'), 'HEAD:refs/heads/main');

  t = await startTestDevCluster({
    'example.com/git:v1': {},
    'example.com/sh:v1': {},
    'ghcr.io/kelos-dev/reader': {
      command: ['/app/read.sh'],
      files: { 'app/read.sh': '#!/bin/sh\necho "repo says: $(cat /workspace/repo/README)"\n' },
    },
  });
  batch = t.kc.makeApiClient(BatchV1Api);
  core = t.kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await t?.stop();
  rmSync(remote, { recursive: true, force: true });
});

function shJob(name: string, script: string, spec: Partial<NonNullable<V1Job['spec']>> = {}): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 2,
          containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', script] }],
        },
      },
      ...spec,
    },
  };
}

const condition = (job: V1Job, type: string) => job.status?.conditions?.find((c) => c.type === type);

async function jobPods(name: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({
    namespace: NS,
    labelSelector: `batch.kubernetes.io/job-name=${name}`,
  });
  return list.items;
}

async function waitForJob(name: string, type: 'Complete' | 'Failed', timeoutMs = 10_000): Promise<V1Job> {
  return eventually(async () => {
    const job = await batch.readNamespacedJob({ name, namespace: NS });
    return condition(job, type)?.status === 'True' ? job : undefined;
  }, timeoutMs);
}

async function readLog(pod: string, container: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  // client-node 1.4 never calls log()'s `done`: the piped stream ending is the signal.
  await new Log(t.kc).log(NS, pod, container, out, {});
  await ended;
  return Buffer.concat(chunks).toString('utf8');
}

describe.sequential('dev cluster: Jobs', () => {
  it('clones a repository in an init container, runs a mapped image on it, and serves the logs', async () => {
    await batch.createNamespacedJob({
      namespace: NS,
      body: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'clone-and-read' },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              volumes: [
                { name: 'workspace', emptyDir: {} },
                { name: 'remote', hostPath: { path: remote, type: 'Directory' } },
              ],
              initContainers: [
                {
                  name: 'git-clone',
                  image: 'example.com/git:v1',
                  command: ['git', 'clone', '-q', '-b', 'main', '/remote/repo.git', '/workspace/repo'],
                  volumeMounts: [
                    { name: 'workspace', mountPath: '/workspace' },
                    { name: 'remote', mountPath: '/remote', readOnly: true },
                  ],
                },
              ],
              containers: [
                {
                  name: 'main',
                  image: 'ghcr.io/kelos-dev/reader:v1',
                  volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }],
                },
              ],
            },
          },
        },
      },
    });
    const job = await waitForJob('clone-and-read', 'Complete');
    expect(job.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0 });
    expect(job.status?.failed).toBeUndefined();
    expect(job.status?.active).toBeUndefined();
    expect(job.status?.completionTime).toBeInstanceOf(Date);
    expect(condition(job, 'SuccessCriteriaMet')?.status).toBe('True');

    const pods = await jobPods('clone-and-read');
    expect(pods).toHaveLength(1);
    const pod = pods[0] as V1Pod;
    expect(pod.spec?.nodeName).toBe('kelos-dev');
    expect(pod.status?.phase).toBe('Succeeded');
    // Counted, so the Job controller released its tracking finalizer.
    expect(pod.metadata?.finalizers ?? []).toEqual([]);
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);

    const podName = pod.metadata?.name ?? '';
    expect(await readLog(podName, 'main')).toBe('repo says: hello from the repo\n');
    const byJob = await kubectl(t.kubeconfigPath, ['logs', 'job/clone-and-read']);
    expect(byJob.stdout).toBe('repo says: hello from the repo\n');
    const byPod = await kubectl(t.kubeconfigPath, ['logs', podName, '-c', 'main']);
    expect(byPod.stdout).toBe('repo says: hello from the repo\n');

    const events = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: `involvedObject.name=${podName}`,
    });
    const reasons = events.items.map((e) => e.reason);
    for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) expect(reasons).toContain(r);
    const jobEvents = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=clone-and-read,involvedObject.kind=Job',
    });
    expect(jobEvents.items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['SuccessfulCreate', 'Completed']),
    );
  });

  it('streams `kubectl logs -f` of a running pod until the container exits', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'talker' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'main',
              image: 'example.com/sh:v1',
              command: ['sh', '-c', 'echo one; sleep 1; echo two; sleep 0.5; echo three'],
            },
          ],
        },
      },
    });
    await eventually(async () => {
      const pod = await core.readNamespacedPod({ name: 'talker', namespace: NS });
      return pod.status?.phase === 'Running';
    });
    const started = Date.now();
    const child = spawn('kubectl', ['--kubeconfig', t.kubeconfigPath, 'logs', '-f', 'talker']);
    const seen: { at: number; text: string }[] = [];
    child.stdout.on('data', (d: Buffer) => seen.push({ at: Date.now() - started, text: d.toString() }));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const exitedAt = Date.now() - started;
    expect(code).toBe(0);
    expect(seen.map((s) => s.text).join('')).toBe('one\ntwo\nthree\n');
    // The first line came while the container was still running, not at the end.
    expect(seen[0]?.text).toContain('one');
    expect(exitedAt - (seen[0]?.at ?? exitedAt)).toBeGreaterThan(700);
    const pod = await core.readNamespacedPod({ name: 'talker', namespace: NS });
    expect(pod.status?.phase).toBe('Succeeded');
  });

  it('fails a Job at once when its podFailurePolicy says FailJob for the exit code', async () => {
    await batch.createNamespacedJob({
      namespace: NS,
      body: shJob('fails-fast', 'echo failing; exit 3', {
        backoffLimit: 1,
        podFailurePolicy: {
          rules: [
            { action: 'Count', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
            { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0] } },
          ],
        },
      }),
    });
    const job = await waitForJob('fails-fast', 'Failed');
    const failed = condition(job, 'Failed');
    expect(failed?.reason).toBe('PodFailurePolicy');
    expect(failed?.message).toMatch(
      /^Container main for pod default\/fails-fast-\w+ failed with exit code 3/,
    );
    expect(job.status?.failed).toBe(1);
    expect(job.status?.succeeded).toBeUndefined();
    expect(await jobPods('fails-fast')).toHaveLength(1);
  });

  it('counts the deletion of a running pod as a disruption and retries it', async () => {
    // Runs ~3 s, so the first attempt is deleted while running and the retry completes.
    const script = 'i=0; while [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; echo finished';
    await batch.createNamespacedJob({
      namespace: NS,
      body: shJob('disrupted', script, {
        backoffLimit: 1,
        podFailurePolicy: {
          rules: [
            { action: 'Count', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
            { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0] } },
          ],
        },
      }),
    });
    const first = await eventually(async () => {
      const [pod] = await jobPods('disrupted');
      return pod?.status?.phase === 'Running' ? pod : undefined;
    });
    const firstName = first.metadata?.name ?? '';
    let lastSeen: KObject | undefined;
    const stopWatch = t.cluster.client.watch(
      'pods',
      { namespace: NS, fieldSelector: `metadata.name=${firstName}` },
      (_type, obj) => {
        lastSeen = obj;
      },
    );
    await core.deleteNamespacedPod({ name: firstName, namespace: NS });

    const job = await waitForJob('disrupted', 'Complete', 15_000);
    expect(job.status).toMatchObject({ succeeded: 1, failed: 1 });
    expect(condition(job, 'Failed')).toBeUndefined();
    const pods = await jobPods('disrupted');
    // The deleted pod is gone once counted; its replacement ran to completion.
    expect(pods.map((p) => p.metadata?.name)).not.toContain(firstName);
    expect(pods).toHaveLength(1);
    expect(await readLog(pods[0]?.metadata?.name ?? '', 'main')).toBe('finished\n');
    stopWatch();
    // Its last state: stopped by the node, marked as a disruption, Failed.
    const status = lastSeen?.status as V1Pod['status'];
    expect(status?.phase).toBe('Failed');
    expect(status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'TerminationByKubelet',
    });
  });
  it('deletes a finished Job after ttlSecondsAfterFinished, and its pods with it', async () => {
    await batch.createNamespacedJob({
      namespace: NS,
      body: shJob('short-lived', 'echo bye', { ttlSecondsAfterFinished: 0 }),
    });
    await eventually(async () => {
      const jobs = await batch.listNamespacedJob({
        namespace: NS,
        fieldSelector: 'metadata.name=short-lived',
      });
      return jobs.items.length === 0;
    }, 10_000);
    await eventually(async () => (await jobPods('short-lived')).length === 0);
  });

  it('reports an image missing from the image map as ErrImagePull with a Failed event', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'unmapped' },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'example.com/nowhere:v1' }] },
      },
    });
    const waiting = await eventually(async () => {
      const pod = await core.readNamespacedPod({ name: 'unmapped', namespace: NS });
      return pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull'
        ? pod.status.containerStatuses[0].state.waiting
        : undefined;
    });
    expect(waiting.message).toContain('example.com/nowhere:v1');
    expect(waiting.message).toContain('image map');
    const events = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=unmapped',
    });
    expect(events.items.find((e) => e.reason === 'Failed')?.type).toBe('Warning');
    await core.deleteNamespacedPod({ name: 'unmapped', namespace: NS });
  });
});
