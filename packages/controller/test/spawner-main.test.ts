/**
 * The kelos-spawner command (spec §10.1): its flags, and the built binary running `--one-shot` as the
 * CronJob does, against the dev cluster's API server with a cron TaskSpawner.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cmd/controller-flags.js';
import { parseSpawnerFlags } from '../src/spawner/spawner-flags.js';
import { SpawnerHarness } from './helpers/spawner-harness.js';

const required = ['--taskspawner-name=fixer', '--taskspawner-namespace=team'];

describe('parseSpawnerFlags', () => {
  it('has the documented defaults', () => {
    expect(parseSpawnerFlags(required, {})).toEqual({
      name: 'fixer',
      namespace: 'team',
      github: {},
      oneShot: false,
      metrics: { host: undefined, port: 8080 },
      help: false,
    });
  });

  it('reads every flag, the way the TaskSpawner controller writes them', () => {
    const flags = parseSpawnerFlags(
      [
        '--taskspawner-name',
        'fixer',
        '--taskspawner-namespace=team',
        '--github-owner=acme',
        '--github-repo=app',
        '--github-api-base-url=https://github.example.com/api/v3',
        '--gh-proxy-url=http://ghproxy-app.team:8888',
        '--github-token=flag-token',
        '--one-shot=true',
        '--kubeconfig=/tmp/kc',
        '--context=dev',
        '--metrics-bind-address=0',
        '--log-level=debug',
      ],
      {},
    );
    expect(flags).toEqual({
      name: 'fixer',
      namespace: 'team',
      github: {
        owner: 'acme',
        repo: 'app',
        apiBaseUrl: 'https://github.example.com/api/v3',
        proxyUrl: 'http://ghproxy-app.team:8888',
        token: 'flag-token',
      },
      oneShot: true,
      kubeconfig: '/tmp/kc',
      context: 'dev',
      metrics: false,
      logLevel: 'debug',
      help: false,
    });
  });

  it('takes credentials from the environment when the flags leave them out', () => {
    const env = {
      GITHUB_TOKEN: 'env-token',
      GITHUB_APP_ID: '12',
      GITHUB_APP_INSTALLATION_ID: '34',
      GITHUB_APP_PRIVATE_KEY: 'PEM',
    };
    expect(parseSpawnerFlags(required, env).github).toEqual({
      token: 'env-token',
      app: { appId: '12', installationId: '34', privateKey: 'PEM' },
    });
    expect(parseSpawnerFlags([...required, '--github-token=flag'], env).github.token).toBe('flag');
    // An incomplete App is no App.
    expect(parseSpawnerFlags(required, { GITHUB_APP_ID: '12' }).github).toEqual({});
  });

  it.each([
    [[], '--taskspawner-name and --taskspawner-namespace are required'],
    [['--taskspawner-name=x'], '--taskspawner-name and --taskspawner-namespace are required'],
    [[...required, '--jira-project=ENG'], "Unknown option '--jira-project'"],
    [
      [...required, '--github-api-base-url=github.example.com'],
      '--github-api-base-url: expected an http(s) URL',
    ],
    [[...required, '--metrics-bind-address=8080'], '--metrics-bind-address: expected [host]:port or 0'],
    [[...required, '--log-level=loud'], '--log-level: expected one of'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSpawnerFlags(argv, {})).toThrow(UsageError);
    expect(() => parseSpawnerFlags(argv, {})).toThrow(message);
  });

  it('needs nothing for --help', () => {
    expect(parseSpawnerFlags(['--help'], {}).help).toBe(true);
  });
});

const bundle = fileURLToPath(new URL('../dist/bundle/kelos-spawner.mjs', import.meta.url));
/** The bundle, copied into a directory of its own: it must run without node_modules, as in the image. */
let bin = '';

function runBinary(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, KELOS_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(bundle))('the bundled kelos-spawner binary, as the image runs it', () => {
  const h = new SpawnerHarness();
  const dir = mkdtempSync(join(tmpdir(), 'kelos-spawner-bin-'));
  beforeAll(() => {
    bin = join(dir, 'kelos-spawner.mjs');
    copyFileSync(bundle, bin);
    return h.start();
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--one-shot creates the Tasks of the missed cron ticks, records the cycle and exits 0', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', {
      when: { cron: { schedule: '* * * * *' } },
      taskTemplate: { type: 'codex', credentials: { type: 'none' }, promptTemplate: 'Tick {{.ID}}' },
    });
    const minute = 60_000;
    const start = Date.now();
    const watermark = Math.floor(start / minute) * minute - 3 * minute + 30_000;
    h.setSpawnerStatus(ns, 'nightly', {
      lastDiscoveryTime: new Date(watermark).toISOString().replace('.000Z', 'Z'),
    });

    const result = await runBinary([
      '--taskspawner-name=nightly',
      `--taskspawner-namespace=${ns}`,
      `--kubeconfig=${h.cluster.kubeconfigPath}`,
      '--one-shot',
    ]);
    const end = Date.now();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const ticks: string[] = [];
    for (let t = watermark - 30_000 + minute; t <= end; t += minute) ticks.push(new Date(t).toISOString());
    const id = (iso: string) =>
      `nightly-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
    const names = h.taskNames(ns);
    // Every minute up to the start, maybe one more if the run crossed a minute.
    expect(names.slice(0, 3)).toEqual(ticks.slice(0, 3).map(id));
    expect(names).toEqual(ticks.slice(0, names.length).map(id));
    expect(h.task(ns, names[0] ?? '')?.spec.prompt).toBe(`Tick ${names[0]?.slice('nightly-'.length)}`);

    const status = h.spawnerObject(ns, 'nightly').status;
    expect(status).toMatchObject({ phase: 'Running', totalTasksCreated: names.length });
    expect(Date.parse(status?.lastDiscoveryTime ?? '')).toBeGreaterThanOrEqual(
      Math.floor(start / 1000) * 1000,
    );

    const logs = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; taskspawner?: string });
    expect(logs.map((l) => l.msg)).toContain('cycle finished');
    expect(logs.every((l) => l.taskspawner === `${ns}/nightly`)).toBe(true);
  });

  it('--one-shot exits 1 when the cycle fails', async () => {
    const result = await runBinary([
      '--taskspawner-name=missing',
      '--taskspawner-namespace=default',
      `--kubeconfig=${h.cluster.kubeconfigPath}`,
      '--one-shot',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"msg":"cycle failed"');
  });

  it('exits 2 with one line on a bad flag', async () => {
    const result = await runBinary(['--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("kelos-spawner: Unknown option '--nope'\n");
  });
});
