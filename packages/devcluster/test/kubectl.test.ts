import { execFile, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCluster, type TestCluster } from './helpers/apiserver.js';

const kubectlFound = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!kubectlFound) console.warn('kubectl.test.ts: skipped, no kubectl on PATH');

let c: TestCluster;

function kubectl(args: string[], stdin?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', c.kubeconfigPath, '--cache-dir', join(c.dir, 'cache'), ...args],
      { timeout: 15_000 },
      (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.kelos.dev
spec:
  group: example.kelos.dev
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, minimum: 1}
`;

const manifest = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: kt
  labels: {app: demo}
data:
  key: "${value}"
---
apiVersion: example.kelos.dev/v1
kind: Gadget
metadata:
  name: g1
  namespace: kt
spec:
  size: 2
`;

describe.skipIf(!kubectlFound)('kubectl', () => {
  beforeAll(async () => {
    c = await startTestCluster();
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('creates a namespace and applies manifests idempotently', async () => {
    expect(await ok(['create', 'namespace', 'kt'])).toContain('namespace/kt created');
    const crdFile = join(c.dir, 'crd.yaml');
    writeFileSync(crdFile, crd);
    expect(await ok(['apply', '-f', crdFile])).toContain(
      'customresourcedefinition.apiextensions.k8s.io/gadgets.example.kelos.dev created',
    );
    const file = join(c.dir, 'app.yaml');
    writeFileSync(file, manifest('one'));
    const created = await ok(['apply', '-f', file]);
    expect(created).toContain('configmap/app-config created');
    expect(created).toContain('gadget.example.kelos.dev/g1 created');
    const again = await ok(['apply', '-f', file]);
    expect(again).toContain('configmap/app-config unchanged');
    expect(again).toContain('gadget.example.kelos.dev/g1 unchanged');
    writeFileSync(file, manifest('two'));
    expect(await ok(['apply', '-f', file])).toContain('configmap/app-config configured');
    const invalid = await kubectl(
      ['apply', '-f', '-'],
      manifest('x').replace('size: 2', 'size: 0').split('---')[1],
    );
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('spec.size');
  });

  it('gets objects as YAML and as tables with printer columns', async () => {
    const yaml = await ok(['get', 'configmap', 'app-config', '-n', 'kt', '-o', 'yaml']);
    expect(yaml).toContain('key: two');
    expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration');
    const table = await ok(['get', 'gadgets', '-n', 'kt']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+SIZE/);
    expect(table).toMatch(/g1\s+2/);
    const short = await ok(['get', 'gd', '-n', 'kt', '-o', 'name']);
    expect(short.trim()).toBe('gadget.example.kelos.dev/g1');
    expect(await ok(['get', 'pods', '-A'])).toBe('');
  });

  it('labels, describes and deletes', async () => {
    expect(await ok(['label', 'configmap', 'app-config', '-n', 'kt', 'tier=backend'])).toContain(
      'configmap/app-config labeled',
    );
    expect(await ok(['get', 'cm', '-n', 'kt', '-l', 'tier=backend', '-o', 'name'])).toBe(
      'configmap/app-config\n',
    );
    const described = await ok(['describe', 'configmap', 'app-config', '-n', 'kt']);
    expect(described).toMatch(/Name:\s+app-config/);
    expect(described).toMatch(/tier=backend/);
    expect(await ok(['delete', 'configmap', 'app-config', '-n', 'kt'])).toContain(
      'configmap "app-config" deleted',
    );
    const missing = await kubectl(['get', 'configmap', 'app-config', '-n', 'kt']);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "app-config" not found');
  });

  it('watches with get -w', async () => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      c.kubeconfigPath,
      '--cache-dir',
      join(c.dir, 'cache'),
      'get',
      'configmaps',
      '-n',
      'kt',
      '-w',
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await eventually(
        () => out.includes('kube-root') || out.includes('NAME') || out.length > 0 || undefined,
        5000,
      ).catch(() => undefined);
      await ok(['create', 'configmap', 'watched', '-n', 'kt', '--from-literal=a=b']);
      await eventually(() => out.includes('watched'), 10_000);
    } finally {
      child.kill();
    }
    expect(out).toMatch(/watched\s+1\s+/);
  });
});
