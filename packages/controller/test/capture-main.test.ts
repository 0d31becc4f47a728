import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputs } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandRunner } from '../src/capture/probes.js';
import { CAPTURE_MAIN, runProcess } from './fixtures/agents/capture-bin.js';
import { createClonedRepo, git } from './fixtures/agents/repo.js';

/** The bundled kelos-capture as a process: real git, a fake gh, large input. */

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kelos-capture-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A `gh` that prints a canned answer for `pr list` and records its arguments. */
function fakeGh(answer: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'gh');
  writeFileSync(
    script,
    `#!/bin/bash\nprintf '%s\\n' "$*" >>${JSON.stringify(join(root, 'gh-calls'))}\nprintf '%s' ${JSON.stringify(answer)}\n`,
  );
  chmodSync(script, 0o755);
  return bin;
}

const RESULT =
  '{"type":"result","subtype":"success","is_error":false,"result":"ok","total_cost_usd":0.25,"usage":{"input_tokens":3,"output_tokens":4}}\n';

describe('kelos-capture (the bundle)', () => {
  it('reports branch, PRs, commit and base branch of the work tree', async () => {
    const { repo } = createClonedRepo(root, 'kelos/task-1');
    const head = git(repo, 'rev-parse', 'HEAD');
    const bin = fakeGh('[{"url":"https://github.com/acme/app/pull/42"}]');
    const result = await runProcess('node', [CAPTURE_MAIN], {
      cwd: repo,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        KELOS_AGENT_TYPE: 'claude-code',
        KELOS_UPSTREAM_REPO: 'up/app',
      },
      input: [Buffer.from(RESULT)],
    });
    expect(result.code, result.stderr).toBe(0);
    expect(parseOutputs(result.stdout.toString())).toEqual([
      'branch: kelos/task-1',
      'pr: https://github.com/acme/app/pull/42',
      'pr: https://github.com/acme/app/pull/42',
      `commit: ${head}`,
      'base-branch: main',
      'cost-usd: 0.25',
      'input-tokens: 3',
      'output-tokens: 4',
      `response: ${Buffer.from('ok').toString('base64')}`,
    ]);
  });

  it('lists no PRs without gh, and reports no git facts outside a work tree', async () => {
    const { repo } = createClonedRepo(root, 'b');
    const env = { PATH: '/usr/bin:/bin', KELOS_AGENT_TYPE: 'claude-code' };
    const inRepo = await runProcess('node', [CAPTURE_MAIN], { cwd: repo, env, input: [Buffer.from('x\n')] });
    expect(parseOutputs(inRepo.stdout.toString())).toEqual([
      'branch: b',
      `commit: ${git(repo, 'rev-parse', 'HEAD')}`,
      'base-branch: main',
    ]);
    const outside = join(root, 'plain');
    mkdirSync(outside);
    const result = await runProcess('node', [CAPTURE_MAIN], {
      cwd: outside,
      env: { ...env, GIT_CEILING_DIRECTORIES: root, KELOS_BASE_BRANCH: 'dev' },
      input: [Buffer.from('x\n')],
    });
    expect(parseOutputs(result.stdout.toString())).toEqual(['base-branch: dev']);
  });

  it('passes a 20 MB line through with bounded memory and still reads the result', async () => {
    const huge = Buffer.alloc(20 * 1024 * 1024 + 7, 'a');
    Buffer.from('{"type":"user","message":{"content":"').copy(huge);
    Buffer.from('"}}\n').copy(huge, huge.length - 4);
    const run = (pieces: Buffer[]) =>
      runProcess(
        'node',
        [
          '--max-old-space-size=64',
          '--import',
          'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+process.resourceUsage().maxRSS+"\\n"))',
          CAPTURE_MAIN,
        ],
        { cwd: root, env: { PATH: process.env.PATH, KELOS_AGENT_TYPE: 'claude-code' }, input: pieces },
      );
    const maxRssKb = (stderr: string) => Number(/maxrss=(\d+)/.exec(stderr)?.[1]);

    const small = await run([Buffer.from(RESULT)]);
    // 1 MiB pieces: the line arrives the way a pipe delivers it, never whole.
    const pieces: Buffer[] = [];
    for (let i = 0; i < huge.length; i += 1024 * 1024) pieces.push(huge.subarray(i, i + 1024 * 1024));
    const big = await run([...pieces, Buffer.from(RESULT)]);

    expect(big.code, big.stderr).toBe(0);
    expect(big.stdout.subarray(0, huge.length).equals(huge)).toBe(true);
    expect(parseOutputs(big.stdout.subarray(huge.length).toString())).toEqual([
      'cost-usd: 0.25',
      'input-tokens: 3',
      'output-tokens: 4',
      `response: ${Buffer.from('ok').toString('base64')}`,
    ]);
    // Holding the line (20 MB of buffers, then 20+ MB as a string) adds about 60 MB.
    expect(maxRssKb(big.stderr) - maxRssKb(small.stderr)).toBeLessThan(35 * 1024);
  });

  it('gives up on a command after its timeout', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'slow'), '#!/bin/bash\nsleep 5\necho late\n');
    chmodSync(join(bin, 'slow'), 0o755);
    const started = Date.now();
    expect(await commandRunner(root, 200)(join(bin, 'slow'), [])).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await commandRunner(root)('no-such-command-kelos', [])).toBeUndefined();
  });
});
