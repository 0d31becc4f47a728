import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseOutputs, resultsFromOutputs } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAPTURE_MAIN } from './fixtures/agents/capture-bin.js';
import { AGENTS_DIR, tempDir } from './fixtures/agents/image.js';
import { createClonedRepo, git } from './fixtures/agents/repo.js';
import { BWRAP, hasBwrap, type Mount, runSandbox, sandboxArgs } from './fixtures/agents/sandbox.js';

/**
 * The fake agent image, run the way the dev cluster runs it: agents/fake/rootfs laid over the
 * host tree, KELOS_CAPTURE_JS from the image map, the Task's volumes mounted.
 */

const ROOTFS = join(AGENTS_DIR, 'fake', 'rootfs');
const b64 = (text: string) => Buffer.from(text).toString('base64');

let root: string;
let origin: string;
let repo: string;
let mounts: Mount[];
beforeEach(() => {
  root = tempDir('fake-agent');
  ({ origin, repo } = createClonedRepo(join(root, 'workspace'), 'kelos/task-1'));
  const secrets = join(root, 'secrets');
  const plugin = join(root, 'plugin');
  mkdirSync(secrets);
  mkdirSync(plugin);
  mounts = [
    { source: repo, target: '/workspace/repo' },
    // The bare origin at the path the clone's remote URL names.
    { source: origin, target: origin },
    // Mount points inside the image's /kelos: they exist in rootfs, so the dev cluster can mount.
    { source: secrets, target: '/kelos/github-token', readOnly: true },
    { source: plugin, target: '/kelos/plugin' },
  ];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/root',
  KELOS_AGENT_TYPE: 'codex',
  KELOS_CAPTURE_JS: CAPTURE_MAIN,
};

/** As the controller starts a bundled image: under tini, the prompt as the only argument. */
async function fake(prompt: string, workspace = true) {
  const result = await runSandbox({
    image: ROOTFS,
    mounts: workspace ? mounts : [],
    argv: ['/usr/bin/tini', '-g', '--', '/kelos_entrypoint.sh', prompt],
    // Without a workspace the controller sets no workingDir: the image's WORKDIR applies.
    cwd: workspace ? '/workspace/repo' : '/workspace',
    env: ENV,
  });
  const stdout = result.stdout.toString();
  return { ...result, stdout, results: resultsFromOutputs(parseOutputs(stdout)) ?? {} };
}

describe.skipIf(!hasBwrap)('fake agent image', () => {
  it('commits the prompt, pushes the branch and ends its Claude-style stream with the block', async () => {
    const prompt = 'Add a note about ünïcode';
    const r = await fake(prompt);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(repo, 'KELOS_FAKE.md'), 'utf8')).toBe(`${prompt}\n`);
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(git(origin, 'rev-parse', 'refs/heads/kelos/task-1')).toBe(head);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>')).toBe('Kelos Fake Agent <fake-agent@kelos.dev>');

    const lines = r.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ type: 'system', subtype: 'init' });
    expect(lines.at(-1)).toBe('---KELOS_OUTPUTS_END---');
    const text = 'Committed the prompt to KELOS_FAKE.md and pushed kelos/task-1.';
    expect(r.results).toEqual({
      branch: 'kelos/task-1',
      commit: head,
      'base-branch': 'main',
      'cost-usd': '0.0125',
      'input-tokens': String(Buffer.byteLength(prompt)),
      'output-tokens': '17',
      response: b64(text),
    });
  });

  it('"skip push" commits without pushing', async () => {
    const r = await fake('Write it down but skip push');
    expect(r.code, r.stderr).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('kelos fake agent: Write it down but skip push');
    expect(() => git(origin, 'rev-parse', '--verify', '-q', 'refs/heads/kelos/task-1')).toThrow();
    expect(r.results.commit).toBe(git(repo, 'rev-parse', 'HEAD'));
  });

  it('"fail" prints an error result, leaves the repository alone and exits 1', async () => {
    const before = git(repo, 'rev-parse', 'HEAD');
    const r = await fake('Please fail now');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"subtype":"error_during_execution","is_error":true');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(r.results).toMatchObject({ commit: before, 'cost-usd': '0.0125', 'output-tokens': '17' });
  });

  it('"20mb" prints a 20 MB line before the result, and capture still reads the result', async () => {
    const r = await fake('Make it 20mb');
    expect(r.code, r.stderr).toBe(0);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(20 * 1024 * 1024);
    expect(r.results).toMatchObject({ 'input-tokens': '12', 'output-tokens': '17', branch: 'kelos/task-1' });
  });

  it('without a workspace it changes nothing and reports usage only', async () => {
    const r = await fake('Just answer', false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.results).toEqual({
      'cost-usd': '0.0125',
      'input-tokens': '11',
      'output-tokens': '17',
      response: b64('No repository at /workspace/repo; nothing to change.'),
    });
  });

  it('"hang" keeps running until killed', async () => {
    const child = spawn(
      BWRAP,
      sandboxArgs({
        image: ROOTFS,
        mounts,
        argv: ['/kelos_entrypoint.sh', 'hang around'],
        cwd: '/workspace/repo',
        env: ENV,
      }),
      { env: ENV },
    );
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Hanging until killed')) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.exitCode).toBeNull();
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await closed;
    expect(out).not.toContain('"type":"result"');
  });
});
