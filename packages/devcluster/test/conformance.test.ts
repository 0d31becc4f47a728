import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, eventually } from './helpers/apiserver.js';
import { startTestDevCluster, type TestDevCluster } from './helpers/devcluster.js';

/**
 * Behaviour the dev cluster shares with Kubernetes, checked the same way on both: against the dev cluster by
 * default, and against a real cluster when KELOS_TEST_KUBECONFIG names its kubeconfig (current context).
 * Everything happens in a fresh namespace, deleted at the end.
 */
const realKubeconfig = process.env.KELOS_TEST_KUBECONFIG;
const IMAGE = realKubeconfig ? 'busybox:1.36' : 'example.com/busybox:1.36';
/** A real cluster pulls the image first. */
const JOB_TIMEOUT_MS = realKubeconfig ? 180_000 : 15_000;

let dev: TestDevCluster | undefined;
let kc: KubeConfig;
let core: CoreV1Api;
let batch: BatchV1Api;
const ns = `kelos-conformance-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  if (realKubeconfig) {
    kc = new KubeConfig();
    kc.loadFromFile(realKubeconfig);
  } else {
    // busybox's applets are on the host: the mapped image adds nothing to it.
    dev = await startTestDevCluster({ [IMAGE]: {} });
    kc = dev.kc;
  }
  core = kc.makeApiClient(CoreV1Api);
  batch = kc.makeApiClient(BatchV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  // The namespace's default ServiceAccount comes from a controller, shortly after the namespace.
  await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace: ns }), 30_000);
}, 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  await dev?.stop();
});

function configMap(name: string, data: Record<string, string>): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'conformance' } }, data };
}

describe.sequential(`conformance (${realKubeconfig ? `real cluster: ${realKubeconfig}` : 'dev cluster'})`, () => {
  it('creates, gets, lists, patches and deletes ConfigMaps', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: ns,
      body: configMap('one', { a: '1' }),
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeTruthy();
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('two', { b: '2' }) });
    expect(
      (await errorOf(core.createNamespacedConfigMap({ namespace: ns, body: configMap('one', {}) }))).code,
    ).toBe(409);

    const got = await core.readNamespacedConfigMap({ name: 'one', namespace: ns });
    expect(got.data).toEqual({ a: '1' });
    expect(got.metadata?.uid).toBe(created.metadata?.uid);

    const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'suite=conformance' });
    expect(list.items.map((c) => c.metadata?.name)).toEqual(['one', 'two']);
    expect(list.metadata?.resourceVersion).toBeTruthy();

    const patched = await core.patchNamespacedConfigMap(
      { name: 'one', namespace: ns, body: { data: { a: '10', c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ a: '10', c: '3' });
    expect(Number(patched.metadata?.resourceVersion)).not.toBe(Number(created.metadata?.resourceVersion));

    // An update based on a stale resourceVersion loses.
    const stale = { ...got, data: { a: 'stale' } };
    const conflict = await errorOf(
      core.replaceNamespacedConfigMap({ name: 'one', namespace: ns, body: stale }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');

    await core.deleteNamespacedConfigMap({ name: 'one', namespace: ns });
    await core.deleteNamespacedConfigMap({ name: 'two', namespace: ns });
    const gone = await errorOf(core.readNamespacedConfigMap({ name: 'one', namespace: ns }));
    expect(gone.code).toBe(404);
    expect(gone.body.reason).toBe('NotFound');
  });

  it('watches ConfigMaps from a resourceVersion: ADDED, MODIFIED, DELETED in order', async () => {
    const start = await core.listNamespacedConfigMap({ namespace: ns });
    const events: { type: string; name: string; value: string | undefined }[] = [];
    const abort = await new Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { resourceVersion: start.metadata?.resourceVersion, labelSelector: 'suite=conformance' },
      (type, obj: V1ConfigMap) => events.push({ type, name: obj.metadata?.name ?? '', value: obj.data?.k }),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('watched', { k: 'v1' }) });
      await core.patchNamespacedConfigMap(
        { name: 'watched', namespace: ns, body: { data: { k: 'v2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: ns });
      await eventually(() => events.length >= 3, 10_000);
    } finally {
      abort.abort();
    }
    expect(events).toEqual([
      { type: 'ADDED', name: 'watched', value: 'v1' },
      { type: 'MODIFIED', name: 'watched', value: 'v2' },
      { type: 'DELETED', name: 'watched', value: 'v2' },
    ]);
  });

  it(
    'runs a Job to completion and serves its pod log',
    async () => {
      await batch.createNamespacedJob({
        namespace: ns,
        body: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'hello' },
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  { name: 'main', image: IMAGE, command: ['sh', '-c', 'echo "hello from $HOSTNAME"'] },
                ],
              },
            },
          },
        },
      });
      const job = await eventually(async () => {
        const j = await batch.readNamespacedJob({ name: 'hello', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')
          ? j
          : undefined;
      }, JOB_TIMEOUT_MS);
      expect(job.status?.succeeded).toBe(1);
      expect(job.status?.failed).toBeUndefined();
      expect(job.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(job.metadata?.uid);

      const pods = await core.listNamespacedPod({
        namespace: ns,
        labelSelector: 'batch.kubernetes.io/job-name=hello',
      });
      expect(pods.items).toHaveLength(1);
      const pod = pods.items[0];
      const podName = pod?.metadata?.name ?? '';
      expect(pod?.status?.phase).toBe('Succeeded');
      expect(pod?.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'Job',
        name: 'hello',
        controller: true,
      });
      expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
        exitCode: 0,
        reason: 'Completed',
      });

      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise((resolve) => out.on('end', resolve));
      await new Log(kc).log(ns, podName, 'main', out, {});
      await ended;
      expect(Buffer.concat(chunks).toString('utf8')).toBe(`hello from ${podName}\n`);
    },
    JOB_TIMEOUT_MS + 10_000,
  );
});
