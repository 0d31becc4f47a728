import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import {
  type DevCluster,
  type DevClusterOptions,
  type ImageConfig,
  startDevCluster,
} from '../../src/index.js';

/** A dev cluster for one test file, with a client-node KubeConfig loaded from the kubeconfig it wrote. */
export interface TestDevCluster {
  cluster: DevCluster;
  kc: KubeConfig;
  kubeconfigPath: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Writes an image map to a temp dir: each image's `files` (paths relative to its root; executable when they
 * start with `#!`) become the image's root, laid over the host's `/` in the sandbox.
 */
export function writeImageMap(
  dir: string,
  images: Record<string, Omit<ImageConfig, 'root'> & { files?: Record<string, string> }>,
): string {
  const map: Record<string, ImageConfig> = {};
  for (const [ref, { files = {}, ...config }] of Object.entries(images)) {
    const root = join(dir, 'images', ref.replace(/[^a-z0-9]+/gi, '_'));
    mkdirSync(root, { recursive: true });
    writeTree(root, files);
    map[ref] = { ...config, root };
  }
  const path = join(dir, 'images.yaml');
  writeFileSync(path, stringify({ images: map }));
  return path;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    if (content.startsWith('#!')) chmodSync(full, 0o755);
  }
}

export async function startTestDevCluster(
  images: Parameters<typeof writeImageMap>[1],
  options: DevClusterOptions = {},
): Promise<TestDevCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kelos-devcluster-test-'));
  const imageMap = writeImageMap(dir, images);
  const cluster = await startDevCluster({
    imageMap,
    // Kubernetes' 10 s would dominate the tests' runtime; the behaviour under test is the same.
    jobBackoff: { baseSeconds: 1 },
    restartBackoff: { initialMs: 200, maxMs: 1000 },
    ...options,
  });
  const kubeconfigPath = join(dir, 'kubeconfig');
  cluster.writeKubeconfig(kubeconfigPath);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    cluster,
    kc,
    kubeconfigPath,
    dir,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function kubectl(kubeconfigPath: string, args: string[], timeoutMs = 15_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      [
        '--kubeconfig',
        kubeconfigPath,
        '--cache-dir',
        join(dirname(kubeconfigPath), 'kubectl-cache'),
        ...args,
      ],
      { timeout: timeoutMs },
      (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

/** PIDs of live processes whose command line contains `marker`: how tests find a pod's processes. */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
