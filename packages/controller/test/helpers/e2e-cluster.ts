import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevCluster, type InProcessClient, type KObject, startDevCluster } from '@kelos/devcluster';
import { buildCrd, KIND_ORDER, type Task } from '@kelos/shared';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parseControllerFlags } from '../../src/cmd/controller-flags.js';
import { startController } from '../../src/cmd/run-controller.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { Manager } from '../../src/runtime/manager.js';
import { type GitServer, startGitServer } from './e2e-git.js';
import { eventually as pollUntil } from './runtime-cluster.js';

export const CHECKOUT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The bins as the images ship them (packages/controller/scripts/bundle.mjs). */
export const CONTROLLER_MAIN = join(CHECKOUT, 'packages/controller/dist/bundle/kelos-controller.mjs');
export const SPAWNER_MAIN = join(CHECKOUT, 'packages/controller/dist/bundle/kelos-spawner.mjs');
export const TASKS = 'tasks.kelos.dev';
export const JOBS = 'jobs.batch';
export const WORKSPACES = 'workspaces.kelos.dev';
/** The image a Task names with `spec.image`: the fake without the tini shim, so its pods start faster. */
export const FAKE_IMAGE = 'ghcr.io/kelos-dev/fake';

export interface JobObject extends KObject {
  spec: { template: { spec: { containers: { name: string; args?: string[] }[] } } };
  status?: { active?: number; succeeded?: number; failed?: number };
}

/**
 * The dev cluster's image map for the e2e tests: the fake agent under its own name and the bundled
 * claude-code name (agents/fake/README.md), the git-clone image as the host's git, and the spawner
 * image as the built kelos-spawner on the host's node.
 */
function writeImageMap(dir: string): string {
  const fake = {
    root: join(CHECKOUT, 'agents/fake/rootfs'),
    env: { KELOS_CAPTURE_JS: join(CHECKOUT, 'packages/controller/dist/bundle/kelos-capture.mjs') },
    workingDir: '/workspace',
    // A checkout under /tmp would be hidden by each container's private /tmp.
    hostPaths: [CHECKOUT],
  };
  const empty = join(dir, 'images/empty');
  mkdirSync(empty, { recursive: true });
  // spec.image Tasks run the entrypoint without tini, so their image can leave out the tini shim: a
  // root with /usr/bin makes the node compose /usr/bin entry by entry, thousands of bind mounts per
  // pod, and 50 such sandboxes starting at once contend on the kernel's mount table for a minute.
  const fast = join(dir, 'images/fake');
  cpSync(fake.root, fast, { recursive: true, filter: (src) => src !== join(fake.root, 'usr') });
  const images = {
    [FAKE_IMAGE]: { ...fake, root: fast },
    'ghcr.io/kelos-dev/claude-code': fake,
    // alpine/git's ENTRYPOINT is git; the init scripts that override it are POSIX sh, which the host has.
    'alpine/git:v2.47.2': { root: empty, command: ['git'] },
    // The image's ENTRYPOINT is kelos-spawner; the Deployment or CronJob adds its flags as args. Pods
    // share the host's network, so metrics stay off: two spawners (or a replacement pod starting
    // while its predecessor stops) would both bind :8080.
    'ghcr.io/kelos-dev/kelos-spawner': {
      root: empty,
      command: [process.execPath, SPAWNER_MAIN, '--metrics-bind-address=0'],
      hostPaths: [CHECKOUT],
    },
  };
  const path = join(dir, 'images.yaml');
  // JSON is YAML: no YAML library is a dependency of this package.
  writeFileSync(path, JSON.stringify({ images }, null, 2));
  return path;
}

/** runtime-cluster's `eventually`, polling every 100 ms: checks here list pods and Tasks of a whole cluster. */
export function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what = 'condition',
): Promise<T> {
  return pollUntil(check, timeoutMs, what, 100);
}

export interface ControllerProcess {
  child: ChildProcess;
  /** Its stdout (JSON log lines), as they arrive. */
  lines: string[];
  exited: Promise<void>;
}

export interface E2eOptions {
  /** Run the node (pods really run); false serves the API only. Default true. */
  node?: boolean;
  /** Start the controller in-process right away. Default true. */
  controller?: boolean;
}

export interface E2eCluster {
  readonly dev: DevCluster;
  readonly client: InProcessClient;
  readonly kubeconfigPath: string;
  readonly kc: KubeConfig;
  readonly dir: string;
  readonly git: GitServer;
  /** The in-process controller, when running. */
  controller: Manager | undefined;
  startController(extraFlags?: string[]): Promise<Manager>;
  stopController(): Promise<void>;
  /** The controller binary as a separate process, with flags that keep its servers off. */
  spawnController(extraFlags: string[]): ControllerProcess;
  /** A fresh namespace with the `claude-credentials` Secret every fake Task refers to. */
  namespace(prefix?: string): string;
  create(resource: string, obj: Record<string, unknown>): KObject;
  createTask(namespace: string, name: string, spec: Partial<Task['spec']>): KObject;
  task(namespace: string, name: string): Task | undefined;
  job(namespace: string, name: string): JobObject | undefined;
  jobs(namespace: string): JobObject[];
  /** Waits for `phase`; a different terminal phase fails at once, with the Task's message. */
  waitForTaskPhase(namespace: string, name: string, phase: string, timeoutMs?: number): Promise<Task>;
  /** The `kelos-agent` container log of the Task's pod, through the API as `kubectl logs` reads it. */
  agentLog(namespace: string, taskName: string): Promise<string>;
  stop(): Promise<void>;
}

const TERMINAL = ['Succeeded', 'Failed'];

/**
 * A dev cluster with the fake agent image, the Kelos CRDs, a git server and (by default) the real
 * controller in-process, talking to the API server over HTTPS through the kubeconfig it wrote.
 */
export async function startE2eCluster(options: E2eOptions = {}): Promise<E2eCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kelos-e2e-'));
  const dev = await startDevCluster({
    imageMap: writeImageMap(dir),
    node: options.node ?? true,
    // Kubernetes' 10 s pod backoff would only slow the failure scenarios down.
    jobBackoff: { baseSeconds: 1 },
  });
  const { client } = dev;
  for (const kind of KIND_ORDER) {
    client.create('customresourcedefinitions.apiextensions.k8s.io', buildCrd(kind) as unknown as KObject);
  }
  const kubeconfigPath = join(dir, 'kubeconfig');
  dev.writeKubeconfig(kubeconfigPath);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const git = await startGitServer(dir);
  const core = kc.makeApiClient(CoreV1Api);
  const children = new Set<ChildProcess>();
  let namespaces = 0;

  const get = <T>(resource: string, namespace: string, name: string): T | undefined => {
    try {
      return client.get(resource, name, namespace) as T;
    } catch {
      return undefined;
    }
  };
  const baseFlags = (extra: string[]) => [
    '--kubeconfig',
    kubeconfigPath,
    '--metrics-bind-address=0',
    '--health-probe-bind-address=0',
    ...extra,
  ];

  const e2e: E2eCluster = {
    dev,
    client,
    kubeconfigPath,
    kc,
    dir,
    git,
    controller: undefined,
    async startController(extraFlags = []) {
      const flags = parseControllerFlags(baseFlags(['--leader-elect=false', ...extraFlags]));
      e2e.controller = await startController(flags, { logger: createLogger({ level: 'silent' }) });
      return e2e.controller;
    },
    async stopController() {
      await e2e.controller?.stop();
      e2e.controller = undefined;
    },
    spawnController(extraFlags) {
      const child = spawn(process.execPath, [CONTROLLER_MAIN, ...baseFlags(extraFlags)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines: string[] = [];
      let partial = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts);
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      children.add(child);
      void exited.then(() => children.delete(child));
      return { child, lines, exited };
    },
    namespace(prefix = 'e2e') {
      const name = `${prefix}-${++namespaces}`;
      client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject);
      e2e.create('secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'claude-credentials', namespace: name },
        stringData: { CLAUDE_CODE_OAUTH_TOKEN: 'fake-token' },
      });
      return name;
    },
    create(resource, obj) {
      return client.create(resource, obj as KObject);
    },
    createTask(namespace, name, spec) {
      return e2e.create(TASKS, {
        apiVersion: 'kelos.dev/v1alpha1',
        kind: 'Task',
        metadata: { name, namespace },
        spec: {
          type: 'claude-code',
          prompt: 'Say hello.',
          credentials: { type: 'oauth', secretRef: { name: 'claude-credentials' } },
          ...spec,
        },
      });
    },
    task: (namespace, name) => get<Task>(TASKS, namespace, name),
    job: (namespace, name) => get<JobObject>(JOBS, namespace, name),
    jobs: (namespace) => client.list(JOBS, { namespace }).items as JobObject[],
    async waitForTaskPhase(namespace, name, phase, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = e2e.task(namespace, name);
        const current = task?.status?.phase ?? '';
        if (task && current === phase) return task;
        // A different terminal phase is final: fail now, with the Task's own message.
        if (TERMINAL.includes(current) || Date.now() > deadline) {
          throw new Error(
            `Task ${namespace}/${name}: wanted ${phase}, is "${current}" (${task?.status?.message ?? 'no message'})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async agentLog(namespace, taskName) {
      const pod = e2e.task(namespace, taskName)?.status?.podName;
      if (!pod) throw new Error(`Task ${namespace}/${taskName} has no pod`);
      return core.readNamespacedPodLog({ name: pod, namespace, container: 'kelos-agent' });
    },
    async stop() {
      for (const child of children) child.kill('SIGKILL');
      await e2e.stopController();
      await git.stop();
      await dev.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.controller ?? true) await e2e.startController();
  return e2e;
}
