import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_TYPES } from '@kelos/shared/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHostAgentRoots } from '../src/dev/host-agents.js';
import { devImageMap } from '../src/dev/image-map.js';
import { isAlive } from '../src/dev/state.js';
import { type CliResult, Sandbox, spawnAsync } from './cli-harness.js';

const CHECKOUT = join(import.meta.dirname, '../../..');

describe('the dev image map', () => {
  const { images } = devImageMap({ checkout: '/src/kelos', node: '/usr/bin/node', emptyRoot: '/d/empty' });

  it('runs the controller and the spawner from the checkout, without servers on host ports', () => {
    expect(images['ghcr.io/kelos-dev/kelos-controller']).toEqual({
      root: '/d/empty',
      command: [
        '/usr/bin/node',
        '/src/kelos/packages/controller/dist/bundle/kelos-controller.mjs',
        '--metrics-bind-address=0',
        '--health-probe-bind-address=0',
      ],
      hostPaths: ['/src/kelos'],
    });
    expect(images['ghcr.io/kelos-dev/kelos-spawner']?.command).toEqual([
      '/usr/bin/node',
      '/src/kelos/packages/controller/dist/bundle/kelos-spawner.mjs',
      '--metrics-bind-address=0',
    ]);
  });

  it('runs the fake agent for every bundled agent image and for the fake image', () => {
    const fake = {
      root: '/src/kelos/agents/fake/rootfs',
      env: { KELOS_CAPTURE_JS: '/src/kelos/packages/controller/dist/bundle/kelos-capture.mjs' },
      workingDir: '/workspace',
      hostPaths: ['/src/kelos'],
    };
    for (const type of ['claude-code', 'codex', 'gemini', 'opencode', 'cursor', 'fake']) {
      expect(images[`ghcr.io/kelos-dev/${type}`], type).toEqual(fake);
    }
    // The init containers' images use the host's git and node.
    expect(images['alpine/git']).toEqual({ root: '/d/empty', command: ['git'] });
    expect(images.node).toEqual({ root: '/d/empty', command: ['node'] });
  });

  it('with host agents, runs each bundled image from its root with the host PATH and a writable HOME', () => {
    const roots = {
      'claude-code': '/d/cc',
      codex: '/d/cx',
      gemini: '/d/g',
      opencode: '/d/o',
      cursor: '/d/cu',
    };
    const map = devImageMap({
      checkout: '/src/kelos',
      node: '/usr/bin/node',
      emptyRoot: '/d/empty',
      hostAgents: { roots, path: '/home/u/.local/bin:/tmp/tools/bin:/usr/bin' },
    });
    expect(map.images['ghcr.io/kelos-dev/codex']).toEqual({
      root: '/d/cx',
      env: {
        KELOS_CAPTURE_JS: '/src/kelos/packages/controller/dist/bundle/kelos-capture.mjs',
        PATH: '/home/u/.local/bin:/tmp/tools/bin:/usr/bin',
        HOME: '/tmp',
      },
      workingDir: '/workspace',
      hostPaths: ['/src/kelos', '/tmp/tools/bin'],
    });
    expect(map.images['ghcr.io/kelos-dev/fake']?.root).toBe('/src/kelos/agents/fake/rootfs');
  });

  it('shows a Node that lives under /tmp inside the sandboxes', () => {
    const map = devImageMap({ checkout: '/tmp/k', node: '/tmp/node-v20/bin/node', emptyRoot: '/e' });
    expect(map.images['ghcr.io/kelos-dev/kelos-controller']?.hostPaths).toEqual([
      '/tmp/k',
      '/tmp/node-v20/bin',
    ]);
  });
});

describe('the host agent roots', () => {
  it('hold each bundled entrypoint with every script it sources from /kelos', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelos-host-agents-'));
    try {
      const roots = writeHostAgentRoots(CHECKOUT, dir);
      for (const type of AGENT_TYPES) {
        const entrypoint = readFileSync(join(roots[type], 'kelos_entrypoint.sh'), 'utf8');
        expect(entrypoint).toBe(readFileSync(join(CHECKOUT, 'agents', type, 'kelos_entrypoint.sh'), 'utf8'));
        const sourced = [...entrypoint.matchAll(/^\. \/kelos\/(\S+)/gm)].map((m) => m[1] ?? '');
        expect(sourced, type).toContain('setup-command.sh');
        for (const script of sourced) {
          expect(readFileSync(join(roots[type], 'kelos', script), 'utf8'), `${type}: ${script}`).toBe(
            readFileSync(join(CHECKOUT, 'agents', script), 'utf8'),
          );
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kelos dev up and down', () => {
  let sandbox: Sandbox;
  let dir: string;
  const dev = (...args: string[]) => sandbox.run(['dev', ...args, '--data-dir', dir]);
  const kubeconfig = () => join(dir, 'kubeconfig');
  const state = () =>
    JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { pid: number; url: string };
  const kubectl = (...args: string[]): Promise<CliResult> =>
    spawnAsync('kubectl', ['--kubeconfig', kubeconfig(), ...args], { env: sandbox.env() });

  beforeAll(() => {
    sandbox = new Sandbox();
    dir = sandbox.path('dev');
  });

  afterAll(async () => {
    // Whatever a failed test left running.
    if (existsSync(join(dir, 'state.json'))) await dev('down', '--timeout', '5s');
    sandbox.remove();
  });

  it('starts the cluster in the background, writes its kubeconfig and says how to use it', async () => {
    const r = await dev('up');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { pid, url } = state();
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(isAlive(pid)).toBe(true);
    expect(r.stdout).toContain(`Dev cluster running at ${url} (pid ${pid}), data in ${dir}`);
    expect(r.stdout).toContain(`export KUBECONFIG=${kubeconfig()}`);
    expect(r.stdout).toContain('kelos install');
    expect(r.stdout).toContain('Every agent image runs the fake agent');
    expect(r.stdout).toContain(`kelos dev down --data-dir ${dir}`);
    const images = JSON.parse(readFileSync(join(dir, 'images.json'), 'utf8'));
    expect(images.images['ghcr.io/kelos-dev/kelos-controller'].command[1]).toBe(
      join(CHECKOUT, 'packages/controller/dist/bundle/kelos-controller.mjs'),
    );
  });

  it('a second up finds it running, and leaves it alone', async () => {
    const before = state();
    const r = await dev('up');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Dev cluster already running at ${before.url} (pid ${before.pid})`);
    expect(state()).toEqual(before);
  });

  it('serves kubectl and kelos through the kubeconfig it wrote', async () => {
    const nodes = await kubectl('get', 'nodes', '-o', 'name');
    expect(nodes).toMatchObject({ code: 0, stdout: 'node/kelos-dev\n' });
    const env = { KUBECONFIG: kubeconfig() };
    const install = await sandbox.run(['install', '--no-wait'], { env });
    expect(install.code, install.stderr).toBe(0);
    const created = await sandbox.run(['run', '-p', 'x', '--credential-type', 'none', '--name', 'kept'], {
      env,
    });
    expect(created).toMatchObject({ code: 0, stdout: 'task/kept created\n' });
    const tasks = await sandbox.run(['get', 'tasks', '-o', 'name'], { env });
    expect(tasks).toMatchObject({ code: 0, stdout: 'task/kept\n' });
  });

  it('down stops it and every process; a second down says it is not running', async () => {
    const { pid } = state();
    const r = await dev('down');
    expect(r).toMatchObject({ code: 0, stdout: `Dev cluster stopped (pid ${pid})\n` });
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(await dev('down')).toMatchObject({ code: 0, stdout: 'Dev cluster is not running\n' });
  });

  it('two ups at once start one cluster: the second waits for the first and finds it running', async () => {
    const [a, b] = await Promise.all([dev('up'), dev('up')]);
    expect([a.code, b.code], `${a.stderr}${b.stderr}`).toEqual([0, 0]);
    const { pid, url } = state();
    const outputs = [a.stdout, b.stdout];
    expect(outputs.filter((o) => o.includes(`Dev cluster running at ${url} (pid ${pid})`))).toHaveLength(1);
    expect(
      outputs.filter((o) => o.includes(`Dev cluster already running at ${url} (pid ${pid})`)),
    ).toHaveLength(1);
    // The only dev cluster process on this data directory is the one in state.json.
    const clusters = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
          return cmdline.includes('devcluster') && cmdline.includes(join(dir, 'cluster'));
        } catch {
          return false;
        }
      });
    expect(clusters).toEqual([String(pid)]);
    expect(existsSync(join(dir, 'up.lock'))).toBe(false);
    expect((await dev('down')).code).toBe(0);
  });

  it('up again keeps the objects; --reset starts empty; a dead cluster’s state is cleaned up', async () => {
    const env = { KUBECONFIG: kubeconfig() };
    expect((await dev('up')).code).toBe(0);
    expect(await sandbox.run(['get', 'tasks', '-o', 'name'], { env })).toMatchObject({
      stdout: 'task/kept\n',
    });
    expect((await dev('down')).code).toBe(0);

    // A state file whose process is gone (a crash, a reboot) does not block the next up.
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ pid: 2 ** 22 + 1, url: 'https://x', kubeconfig: '' }),
    );
    const reset = await dev('up', '--reset');
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Dev cluster running at');
    const crds = await kubectl('get', 'crd', '-o', 'name');
    expect(crds).toMatchObject({ code: 0, stdout: '' });
    const purged = await dev('down', '--purge');
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain(`Removed ${dir}`);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a cluster that cannot start with its own message, and leaves nothing running', async () => {
    // No bwrap on PATH: the dev cluster's node refuses to start.
    const r = await sandbox.run(['dev', 'up', '--data-dir', sandbox.path('no-bwrap')], {
      env: { PATH: sandbox.path('empty-bin') },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: the dev cluster exited with code 1 before serving:');
    expect(r.stderr).toContain('bwrap not found: install the Debian package "bubblewrap"');
    expect(r.stderr).toContain(`Its log is ${sandbox.path('no-bwrap', 'devcluster.log')}.`);
    expect(existsSync(sandbox.path('no-bwrap', 'state.json'))).toBe(false);
  });

  it('reports a wrong port and a missing subcommand as usage errors', async () => {
    const bad = await dev('up', '--port', 'http');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: invalid port "http": must be 0 (any free port) to 65535');
    const none = await sandbox.run(['dev']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Error: must specify up or down');
  });
});

describe('kelos dev up --host-agents', () => {
  let sandbox: Sandbox;

  beforeAll(() => {
    sandbox = new Sandbox();
  });

  afterAll(async () => {
    await sandbox.run(['dev', 'down', '--purge', '--data-dir', sandbox.path('dev')]);
    sandbox.remove();
  });

  it('runs a claude-code Task with the claude CLI found on PATH, through the real entrypoint', async () => {
    // A stand-in for the claude CLI: Claude's stream-json, its own arguments in the result, and a
    // write to $HOME as the real CLI does.
    sandbox.write(
      'agent-bin/claude',
      `#!/bin/sh
mkdir -p "$HOME/.claude" && echo ok > "$HOME/.claude/probe" || exit 3
echo '{"type":"system","subtype":"init","model":"stub-claude","session_id":"s1"}'
printf '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"stub claude: %s","total_cost_usd":0.5,"usage":{"input_tokens":3,"output_tokens":4}}\\n' "$*"
`,
    );
    chmodSync(sandbox.path('agent-bin/claude'), 0o755);
    const env = {
      PATH: `${sandbox.path('agent-bin')}:${process.env.PATH}`,
      KUBECONFIG: sandbox.path('dev', 'kubeconfig'),
    };
    const up = await sandbox.run(['dev', 'up', '--host-agents', '--data-dir', sandbox.path('dev')], { env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('Agent images run their own entrypoints (agents/<type>/)');
    expect((await sandbox.run(['install'], { env })).code).toBe(0);
    const run = await sandbox.run(
      [
        'run',
        '--type',
        'claude-code',
        '--credential-type',
        'none',
        '-p',
        'Say hello',
        '--name',
        'real',
        '-w',
      ],
      { env },
    );
    expect(run.stdout).toContain('task/real Succeeded');
    const task = JSON.parse((await sandbox.run(['get', 'task', 'real', '-o', 'json'], { env })).stdout);
    expect(task.status.results).toMatchObject({
      'cost-usd': '0.5',
      'input-tokens': '3',
      'output-tokens': '4',
    });
    const logs = await sandbox.run(['logs', 'real', '--raw'], { env });
    expect(logs.stdout).toContain(
      'stub claude: --dangerously-skip-permissions --output-format stream-json --verbose -p Say hello',
    );
  }, 120_000);
});
