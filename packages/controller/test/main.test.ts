/**
 * The kelos-controller binary (spec §2): flags, defaults that depend on where it runs, and a start against
 * the dev cluster's API server with leader election, image flags and the metrics/health servers.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1CronJob } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBindAddress, parseControllerFlags, UsageError } from '../src/cmd/controller-flags.js';
import { runMain } from '../src/cmd/main.js';
import { controllerPlacement } from '../src/cmd/run-controller.js';
import type { Manager } from '../src/runtime/manager.js';
import { type RuntimeCluster, silentLogger, startRuntimeCluster, task } from './helpers/runtime-cluster.js';
import { agentContainer, eventually, type JobObject } from './helpers/task-harness.js';

/** kelos-controller as the image ships it (packages/controller/scripts/bundle.mjs). */
const bundle = fileURLToPath(new URL('../dist/bundle/kelos-controller.mjs', import.meta.url));

describe('parseControllerFlags', () => {
  it('has the documented defaults', () => {
    expect(parseControllerFlags([])).toEqual({
      metrics: { host: undefined, port: 8080 },
      health: { host: undefined, port: 8081 },
      workers: 32,
      images: {},
      imagePullPolicies: {},
      help: false,
    });
  });

  it('reads every flag', () => {
    const flags = parseControllerFlags([
      '--kubeconfig=/tmp/kc',
      '--context',
      'dev',
      '--leader-elect',
      '--leader-election-namespace=ops',
      '--metrics-bind-address=127.0.0.1:9090',
      '--health-probe-bind-address=127.0.0.1:9091',
      '--workers=8',
      '--log-level=debug',
      '--version=v1.2.3',
      '--claude-code-image=reg.local/claude',
      '--claude-code-image-pull-policy=Never',
      '--codex-image=reg.local/codex:pinned',
      '--gemini-image=g',
      '--opencode-image=o',
      '--cursor-image=c',
      '--cursor-image-pull-policy=Always',
      '--spawner-image=reg.local/spawner',
      '--spawner-image-pull-policy=IfNotPresent',
      '--spawner-resource-requests=cpu=250m, memory=512Mi',
      '--spawner-resource-limits=memory=1Gi',
      '--github-api-base-url=http://127.0.0.1:1234',
    ]);
    expect(flags).toEqual({
      kubeconfig: '/tmp/kc',
      context: 'dev',
      leaderElect: true,
      leaderElectionNamespace: 'ops',
      metrics: { host: '127.0.0.1', port: 9090 },
      health: { host: '127.0.0.1', port: 9091 },
      workers: 8,
      logLevel: 'debug',
      version: 'v1.2.3',
      images: {
        'claude-code': 'reg.local/claude',
        codex: 'reg.local/codex:pinned',
        gemini: 'g',
        opencode: 'o',
        cursor: 'c',
      },
      imagePullPolicies: { 'claude-code': 'Never', cursor: 'Always' },
      spawnerImage: 'reg.local/spawner',
      spawnerImagePullPolicy: 'IfNotPresent',
      spawnerResources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      githubApiBaseUrl: 'http://127.0.0.1:1234',
      help: false,
    });
  });

  it.each([
    [['--leader-elect=false'], false],
    [['--leader-elect=true'], true],
    [['--no-leader-elect'], false],
    [[], undefined],
  ])('leader election %j -> %s', (argv, expected) => {
    expect(parseControllerFlags(argv).leaderElect).toBe(expected);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['positional'], 'Unexpected argument'],
    [['--workers=0'], '--workers: expected a positive integer, got "0"'],
    [['--log-level=loud'], '--log-level: expected one of'],
    [
      ['--codex-image-pull-policy=Sometimes'],
      '--codex-image-pull-policy: expected one of Always, IfNotPresent, Never',
    ],
    [['--metrics-bind-address=8080'], '--metrics-bind-address: expected [host]:port or 0'],
    [['--github-api-base-url=ftp://x'], '--github-api-base-url: expected an http(s) URL'],
    [
      ['--spawner-resource-requests=cpu'],
      '--spawner-resource-requests: invalid resource entry "cpu": expected name=quantity',
    ],
    [
      ['--spawner-resource-limits=memory=lots'],
      '--spawner-resource-limits: invalid quantity "lots" for memory',
    ],
    [
      ['--metrics-bind-address=10.0.0.1:1', '--health-probe-bind-address=10.0.0.2:2'],
      'must use the same host',
    ],
  ])('refuses %j', (argv, message) => {
    expect(() => parseControllerFlags(argv)).toThrow(UsageError);
    expect(() => parseControllerFlags(argv)).toThrow(message);
  });

  it('parses bind addresses', () => {
    expect(parseBindAddress('x', '0')).toBe(false);
    expect(parseBindAddress('x', ':8080')).toEqual({ host: undefined, port: 8080 });
    expect(parseBindAddress('x', '[::1]:80')).toEqual({ host: '::1', port: 80 });
  });
});

describe('runMain', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: (t: string) => {
          out.stdout += t;
        },
        stderr: (t: string) => {
          out.stderr += t;
        },
      },
    };
  };

  it('exits 2 with one line for a bad flag', async () => {
    const { out, io: streams } = io();
    expect(await runMain(['--nope'], streams)).toBe(2);
    expect(out.stderr).toBe("kelos-controller: Unknown option '--nope'\n");
  });

  it('prints usage for --help', async () => {
    const { out, io: streams } = io();
    expect(await runMain(['--help'], streams)).toBe(0);
    expect(out.stdout).toContain('--leader-election-namespace');
  });
});

describe('controllerPlacement', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelos-sa-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('outside a cluster: no leader election unless asked, lease in kelos-system', () => {
    expect(controllerPlacement(parseControllerFlags([]), join(dir, 'absent'))).toEqual({
      inCluster: false,
      leaderElect: false,
      leaseNamespace: 'kelos-system',
    });
  });

  it('in a pod: in-cluster config, leader election in the pod namespace', () => {
    writeFileSync(join(dir, 'token'), 'token');
    writeFileSync(join(dir, 'namespace'), 'kelos-system-2\n');
    expect(controllerPlacement(parseControllerFlags([]), dir)).toEqual({
      inCluster: true,
      leaderElect: true,
      leaseNamespace: 'kelos-system-2',
    });
    // An explicit kubeconfig wins over the service account.
    expect(controllerPlacement(parseControllerFlags(['--kubeconfig=/x']), dir)).toMatchObject({
      inCluster: false,
      leaderElect: false,
    });
  });
});

describe('startController against an API server', () => {
  let cluster: RuntimeCluster;
  let manager: Manager | undefined;

  beforeAll(async () => {
    cluster = await startRuntimeCluster();
    for (const kind of ['Task', 'Workspace', 'AgentConfig', 'TaskSpawner'] as const) cluster.installCrd(kind);
  });
  afterAll(async () => {
    await manager?.stop();
    await cluster.stop();
  });

  const get = (port: number | undefined, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });

  it('leads through the Lease, builds Jobs and spawners with the image flags, serves metrics and probes', async () => {
    const result = await runMain(
      [
        `--kubeconfig=${cluster.kubeconfigPath}`,
        '--leader-elect',
        '--leader-election-namespace=default',
        '--metrics-bind-address=127.0.0.1:0',
        '--health-probe-bind-address=127.0.0.1:0',
        '--version=v9',
        '--claude-code-image=registry.local/claude',
        '--claude-code-image-pull-policy=Never',
        '--spawner-image=registry.local/spawner',
        '--spawner-image-pull-policy=Never',
        '--spawner-resource-limits=cpu=1,memory=256Mi',
      ],
      { stdout: () => {}, stderr: () => {}, logger: silentLogger, serviceAccountDir: '/nonexistent' },
    );
    if (typeof result === 'number') throw new Error(`exited ${result}`);
    manager = result;

    await eventually(() => manager?.isLeader);
    const lease = cluster.api.client.get(
      'leases.coordination.k8s.io',
      'kelos-controller-leader-election',
      'default',
    ) as {
      spec?: { holderIdentity?: string };
    };
    expect(lease.spec?.holderIdentity).toBeTruthy();

    cluster.api.client.create('tasks.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'via-main', namespace: 'default' },
      spec: { type: 'claude-code', prompt: 'hi', credentials: { type: 'none' } },
    });
    const job = await eventually(() => {
      try {
        return cluster.api.client.get('jobs.batch', 'via-main', 'default') as JobObject;
      } catch {
        return undefined;
      }
    });
    const agent = agentContainer(job) as ReturnType<typeof agentContainer> & { imagePullPolicy?: string };
    expect(agent.image).toBe('registry.local/claude:v9');
    expect(agent.imagePullPolicy).toBe('Never');

    cluster.api.client.create('taskspawners.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: {
        when: { cron: { schedule: '0 3 * * *' } },
        taskTemplate: { type: 'claude-code', credentials: { type: 'none' } },
      },
    });
    const cronJob = await eventually(() => {
      try {
        return cluster.api.client.get('cronjobs.batch', 'nightly', 'default') as unknown as V1CronJob;
      } catch {
        return undefined;
      }
    });
    expect(cronJob.spec?.jobTemplate.spec?.template.spec?.containers[0]).toMatchObject({
      image: 'registry.local/spawner:v9',
      imagePullPolicy: 'Never',
      resources: { limits: { cpu: '1', memory: '256Mi' } },
    });

    expect((await get(manager.healthPort, '/readyz')).status).toBe(200);
    const metrics = await get(manager.metricsPort, '/metrics');
    expect(metrics.body).toContain('kelos_task_created_total{namespace="default",type="claude-code"} 1');
  });
});

describe.skipIf(!existsSync(bundle))('the bundled kelos-controller, run from a directory of its own', () => {
  let cluster: RuntimeCluster;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    cluster = await startRuntimeCluster();
    for (const kind of ['Task', 'Workspace', 'AgentConfig', 'TaskSpawner'] as const) cluster.installCrd(kind);
    // As in the image: the bundle alone, no node_modules anywhere above it.
    dir = mkdtempSync(join(tmpdir(), 'kelos-controller-image-'));
    copyFileSync(bundle, join(dir, 'kelos-controller.mjs'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its usage, and exits 2 on an unknown flag', () => {
    const bin = join(dir, 'kelos-controller.mjs');
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--leader-election-namespace');
    const result = spawnSync(process.execPath, [bin, '--unknown-flag'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("kelos-controller: Unknown option '--unknown-flag'\n");
  });

  it('reconciles a Task into its Job and phase Pending', async () => {
    child = spawn(
      process.execPath,
      [
        join(dir, 'kelos-controller.mjs'),
        `--kubeconfig=${cluster.kubeconfigPath}`,
        '--leader-elect=false',
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    cluster.api.client.create('tasks.kelos.dev', task('from-the-bundle'));
    // A process start and its caches' sync first: a generous limit for a loaded machine.
    const job = await eventually(
      () => cluster.api.client.get('jobs.batch', 'from-the-bundle', 'default'),
      20_000,
      'the Job',
    );
    expect(agentContainer(job as JobObject).args).toEqual(['Say hello.']);
    await eventually(() => {
      const t = cluster.api.client.get('tasks.kelos.dev', 'from-the-bundle', 'default') as {
        status?: { phase?: string };
      };
      return t.status?.phase === 'Pending';
    });
  });
});
