import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/apiserver.js';
import { processesWith, writeImageMap } from './helpers/devcluster.js';

/** The package's bin as installed: the compiled file, not the TypeScript source. */
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let dir: string;
let imageMap: string;

beforeAll(() => {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: build the package first (npx tsc -b packages/devcluster)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'kelos-devcluster-bin-'));
  imageMap = writeImageMap(dir, { 'example.com/sh:v1': {} });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function ready(r: Run): Promise<string> {
  const line = await eventually(() => {
    if (r.child.exitCode !== null) throw new Error(`exited ${r.child.exitCode}: ${r.stderr()}`);
    return /^ready (https:\/\/\S+)\n/.exec(r.stdout())?.[1];
  }, 10_000);
  return line;
}

describe.sequential('kelos-devcluster (dist/bin.js)', () => {
  it('serves, runs a Job, and on SIGTERM exits 0 leaving no pod process behind', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const r = run(['--port', '0', '--kubeconfig', kubeconfig, '--image-map', imageMap]);
    const url = await ready(r);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    expect(kc.getCurrentCluster()?.server).toBe(url);
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);

    await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'hello' },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', 'echo hello'] }],
            },
          },
        },
      },
    });
    await eventually(async () => {
      const job = await batch.readNamespacedJob({ name: 'hello', namespace: 'default' });
      return job.status?.succeeded === 1;
    }, 10_000);

    // A pod still running at shutdown must not outlive the cluster.
    const tag = `kelos-bin-test-${process.pid}-${Date.now()}`;
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'long' },
        spec: {
          containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', 'sleep 600', tag] }],
        },
      },
    });
    await eventually(async () => {
      const pod = await core.readNamespacedPod({ name: 'long', namespace: 'default' });
      return pod.status?.phase === 'Running';
    });
    expect(processesWith(tag).length).toBeGreaterThan(0);

    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toBe(`ready ${url}\n`);
    await eventually(() => processesWith(tag).length === 0, 2000);
  });

  it('rejects an unknown flag with one line and the usage, exit code 2', async () => {
    const r = run(['--bogus']);
    expect(await r.exited).toBe(2);
    const lines = r.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^kelos-devcluster: .*--bogus/);
    expect(lines[1]).toMatch(/^usage: kelos-devcluster /);
    expect(r.stdout()).toBe('');
  });

  it('without bwrap: says how to install it and exits 1, unless --no-node', async () => {
    const noBwrap = { ...process.env, PATH: join(dir, 'empty-path') };
    const r = run(['--port', '0'], noBwrap);
    expect(await r.exited).toBe(1);
    expect(r.stderr()).toMatch(/^kelos-devcluster: .*apt-get install bubblewrap.*\n$/);
    expect(r.stdout()).toBe('');

    const apiOnly = run(['--port', '0', '--no-node'], noBwrap);
    await ready(apiOnly);
    apiOnly.child.kill('SIGINT');
    expect(await apiOnly.exited).toBe(0);
  });
});
