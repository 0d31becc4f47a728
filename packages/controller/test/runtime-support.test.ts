import { Writable } from 'node:stream';
import { CONTEXT_NAME } from '@kelos/devcluster';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeJsonClient } from '../src/runtime/json-client.js';
import {
  apiErrorCode,
  getJson,
  isAlreadyExists,
  isNotFound,
  loadKubeConfig,
} from '../src/runtime/kube-client.js';
import { createLogger } from '../src/runtime/logger.js';
import { updateStatusWithRetry } from '../src/runtime/status.js';
import { type RuntimeCluster, startRuntimeCluster, task } from './helpers/runtime-cluster.js';

interface TaskObj {
  metadata: { name: string; resourceVersion?: string };
  status?: { phase?: string; message?: string };
}

let cluster: RuntimeCluster;
let custom: CustomObjectsApi;
const ref = { group: 'kelos.dev', version: 'v1alpha1', namespace: 'default', plural: 'tasks' };

beforeAll(async () => {
  cluster = await startRuntimeCluster();
  cluster.installCrd('Task');
  custom = cluster.kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('updateStatusWithRetry', () => {
  it('re-reads and writes again when the first write conflicts', async () => {
    cluster.api.client.create('tasks.kelos.dev', task('conflicted'));
    let fetches = 0;
    const written = await updateStatusWithRetry(
      async () => {
        const obj = (await custom.getNamespacedCustomObject({ ...ref, name: 'conflicted' })) as TaskObj;
        // Another writer updates the status right after our first read, so that write is stale.
        if (fetches++ === 0) {
          const other = structuredClone(cluster.api.client.get('tasks.kelos.dev', 'conflicted', 'default'));
          other.status = { phase: 'Pending', message: 'other writer' };
          cluster.api.client.updateStatus('tasks.kelos.dev', other);
        }
        return obj;
      },
      (obj) => {
        obj.status = { ...obj.status, phase: 'Running' };
      },
      async (obj) =>
        (await custom.replaceNamespacedCustomObjectStatus({
          ...ref,
          name: 'conflicted',
          body: obj,
        })) as TaskObj,
    );
    expect(fetches).toBe(2);
    expect(written.status).toEqual({ phase: 'Running', message: 'other writer' });
  });

  it('writes on top of a given start without reading; a stale start reads afresh', async () => {
    cluster.api.client.create('tasks.kelos.dev', task('started'));
    const seen = structuredClone(cluster.api.client.get('tasks.kelos.dev', 'started', 'default')) as TaskObj;
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      return (await custom.getNamespacedCustomObject({ ...ref, name: 'started' })) as TaskObj;
    };
    const write = async (obj: TaskObj) =>
      (await custom.replaceNamespacedCustomObjectStatus({ ...ref, name: 'started', body: obj })) as TaskObj;
    const setPhase = (phase: string) => (obj: TaskObj) => {
      obj.status = { ...obj.status, phase };
    };
    const first = await updateStatusWithRetry(fetch, setPhase('Pending'), write, { start: seen });
    expect(fetches).toBe(0);
    expect(first.status?.phase).toBe('Pending');
    // `seen` is now stale: its write conflicts, and the retry starts from a fresh read.
    const second = await updateStatusWithRetry(fetch, setPhase('Running'), write, {
      start: { ...seen, status: {} },
    });
    expect(fetches).toBe(1);
    expect(second.status?.phase).toBe('Running');
    expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
  });

  it('writes nothing when mutate returns false, and gives up after the attempts', async () => {
    let writes = 0;
    const obj = { metadata: { name: 'x' } };
    expect(
      await updateStatusWithRetry(
        async () => obj,
        () => false,
        async (o) => {
          writes++;
          return o;
        },
      ),
    ).toBe(obj);
    expect(writes).toBe(0);
    const conflict = Object.assign(new Error('conflict'), { code: 409 });
    await expect(
      updateStatusWithRetry(
        async () => obj,
        () => true,
        async () => {
          writes++;
          throw conflict;
        },
        { attempts: 3, backoffMs: 1 },
      ),
    ).rejects.toBe(conflict);
    expect(writes).toBe(3);
    const other = Object.assign(new Error('forbidden'), { code: 403 });
    await expect(
      updateStatusWithRetry(
        async () => obj,
        () => true,
        async () => {
          throw other;
        },
      ),
    ).rejects.toBe(other);
  });
});

describe('kube-client', () => {
  it('loads a kubeconfig file and reads wire JSON with ApiException errors', async () => {
    const kc = loadKubeConfig({ kubeconfig: cluster.kubeconfigPath, context: CONTEXT_NAME });
    expect(kc.getCurrentContext()).toBe(CONTEXT_NAME);
    expect(kc.getCurrentCluster()?.server).toBe(cluster.api.url);
    expect(() => loadKubeConfig({ kubeconfig: cluster.kubeconfigPath, context: 'nope' })).toThrow();
    const list = await getJson<{ items: { metadata: { creationTimestamp: unknown } }[] }>(
      cluster.kc,
      '/api/v1/namespaces',
    );
    expect(typeof list.items[0]?.metadata.creationTimestamp).toBe('string');
    const missing = await getJson(cluster.kc, '/api/v1/namespaces/default/configmaps/none').catch((e) => e);
    expect(apiErrorCode(missing)).toBe(404);
    expect(isNotFound(missing)).toBe(true);
    cluster.api.client.create('tasks.kelos.dev', task('dup'));
    const dup = await custom
      .createNamespacedCustomObject({ ...ref, body: task('dup') })
      .catch((e: unknown) => e);
    expect(isAlreadyExists(dup)).toBe(true);
  });

  it('KubeJsonClient sends and answers wire JSON, failing with ApiException like the typed clients', async () => {
    const json = new KubeJsonClient(cluster.kc);
    const path = '/api/v1/namespaces/default/configmaps';
    const created = await json.create<{ metadata: { name: string; creationTimestamp: unknown } }>(path, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'via-json' },
      data: { k: 'v' },
    });
    expect(created.metadata.name).toBe('via-json');
    expect(typeof created.metadata.creationTimestamp).toBe('string');
    const patched = await json.patch<{ data: Record<string, string> }>(
      `${path}/via-json`,
      [{ op: 'replace', path: '/data/k', value: 'w' }],
      'application/json-patch+json',
    );
    expect(patched.data).toEqual({ k: 'w' });
    const again = await json.create(path, { metadata: { name: 'via-json' } }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiException);
    expect(isAlreadyExists(again)).toBe(true);
    await json.delete(`${path}/via-json`);
    expect(isNotFound(await json.get(`${path}/via-json`).catch((e: unknown) => e))).toBe(true);
  });
});

describe('logger', () => {
  it('writes JSON with controller/key fields and never Secret data', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ level: 'info', destination })
      .child({ controller: 'task' })
      .child({ key: 'ns/t' });
    const secret = {
      kind: 'Secret',
      metadata: { name: 's' },
      data: { token: 'c2VjcmV0' },
      stringData: { a: 'b' },
    };
    log.info({ secret }, 'read secret');
    log.debug('hidden at info');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ controller: 'task', key: 'ns/t', msg: 'read secret' });
    expect(lines[0]).not.toContain('c2VjcmV0');
    expect(lines[0]).not.toContain('"a":"b"');
  });
});
