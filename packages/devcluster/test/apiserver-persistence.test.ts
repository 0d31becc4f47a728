import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCluster } from './helpers/apiserver.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kelos-apiserver-data-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const crd = {
  metadata: { name: 'notes.example.kelos.dev' },
  spec: {
    group: 'example.kelos.dev',
    scope: 'Namespaced',
    names: { plural: 'notes', kind: 'Note' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('persistence', () => {
  it('restores objects, resourceVersions, tokens and certificates after a restart', async () => {
    const dir = dataDir();
    const first = await startTestCluster({ dataDir: dir });
    const core = first.kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'keep' } } });
    const cm = await core.createNamespacedConfigMap({
      namespace: 'keep',
      body: { metadata: { name: 'c' }, data: { a: '1' } },
    });
    await core.createNamespacedConfigMap({ namespace: 'keep', body: { metadata: { name: 'gone' } } });
    await core.deleteNamespacedConfigMap({ name: 'gone', namespace: 'keep' });
    await first.server.client.create('customresourcedefinitions.apiextensions.k8s.io', crd as never);
    first.server.client.create('notes.example.kelos.dev', {
      apiVersion: 'example.kelos.dev/v1',
      kind: 'Note',
      metadata: { name: 'n', namespace: 'keep' },
      text: 'hi',
    } as never);
    const saToken = first.server.issueToken('system:serviceaccount:keep:default');
    const lastRv = Number((await core.listNamespace()).metadata?.resourceVersion);
    const { adminToken, caCert } = first.server;
    await first.server.stop();

    const second = await startTestCluster({ dataDir: dir });
    try {
      expect(second.server.adminToken).toBe(adminToken);
      expect(second.server.caCert).toBe(caCert);
      const core2 = second.kc.makeApiClient(CoreV1Api);
      const restored = await core2.readNamespacedConfigMap({ name: 'c', namespace: 'keep' });
      expect(restored.metadata?.uid).toBe(cm.metadata?.uid);
      expect(restored.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
      expect(
        (await core2.listNamespacedConfigMap({ namespace: 'keep' })).items.map((x) => x.metadata?.name),
      ).toEqual(['c']);
      const custom = second.kc.makeApiClient(CustomObjectsApi);
      const note = (await custom.getNamespacedCustomObject({
        group: 'example.kelos.dev',
        version: 'v1',
        namespace: 'keep',
        plural: 'notes',
        name: 'n',
      })) as { text: string };
      expect(note.text).toBe('hi');
      const next = await core2.createNamespacedConfigMap({
        namespace: 'keep',
        body: { metadata: { name: 'after' } },
      });
      expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(lastRv);

      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: second.server.url, caData: Buffer.from(caCert).toString('base64') }],
        users: [{ name: 'sa', token: saToken }],
        contexts: [{ name: 'c', cluster: 'c', user: 'sa' }],
        currentContext: 'c',
      });
      expect((await kc.makeApiClient(CoreV1Api).readNamespace({ name: 'keep' })).metadata?.name).toBe('keep');
    } finally {
      await second.stop();
    }
  });

  it('loses no acknowledged write when the process is killed with SIGKILL', async () => {
    const dir = dataDir();
    const kubeconfig = join(dir, 'kubeconfig');
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
    // Run bin.ts from source: vite-node (vitest's own runner) with the workspace's vitest config for aliases.
    const vitestPkg = createRequire(import.meta.url).resolve('vitest/package.json');
    const viteNode = join(
      dirname(createRequire(vitestPkg).resolve('vite-node/package.json')),
      'vite-node.mjs',
    );
    const child: ChildProcess = spawn(
      process.execPath,
      [
        viteNode,
        '--config',
        join(root, 'vitest.config.ts'),
        join(root, 'packages/devcluster/src/bin.ts'),
        '--',
        '--port',
        '0',
        '--data-dir',
        dir,
        '--kubeconfig',
        kubeconfig,
        '--no-node',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        lines.on('line', (l) => {
          if (l.startsWith('ready ')) resolve(l.slice(6));
        });
        child.once('exit', (code) =>
          reject(new Error(`kelos-devcluster exited with ${code} before it was ready`)),
        );
      });
      expect(ready).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      const core = kc.makeApiClient(CoreV1Api);
      const cm = await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'acked' }, data: { v: 'x' } },
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const again = await startTestCluster({ dataDir: dir });
      try {
        const got = await again.kc
          .makeApiClient(CoreV1Api)
          .readNamespacedConfigMap({ name: 'acked', namespace: 'default' });
        expect(got.metadata?.uid).toBe(cm.metadata?.uid);
        expect(got.data).toEqual({ v: 'x' });
      } finally {
        await again.stop();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
