import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/dev/state.js';
import { assertBundled, Sandbox } from './cli-harness.js';

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

interface DemoRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// A HOME of its own: the demo must not need (or touch) anything of the user's.
const sandbox = new Sandbox();
afterAll(() => sandbox.remove());

/** The demo as `pnpm demo` runs it after building, in its own process group as a terminal would. */
function startDemo(args: string[] = [], env: Record<string, string> = {}): DemoRun {
  assertBundled();
  const child = spawn(process.execPath, [DEMO, ...args], {
    detached: true,
    env: sandbox.env({ NO_COLOR: '1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The dev cluster's pid and directory, from `kelos dev up`'s first line. */
function devCluster(output: string): { pid: number; dir: string } {
  const match = /Dev cluster running at \S+ \(pid (\d+)\), data in (\S+)/.exec(output);
  if (!match) throw new Error(`no dev cluster in the demo's output:\n${output}`);
  return { pid: Number(match[1]), dir: match[2] as string };
}

describe('the demo (scripts/demo.mjs)', () => {
  it('runs a Task with the fake agent end to end, prints its branch, commit and cost, and cleans up', async () => {
    const demo = startDemo();
    const code = await demo.exited;
    const output = demo.output();
    expect(code, output).toBe(0);
    for (const step of [
      '==> kelos dev up',
      '==> kelos install',
      'Kelos installed successfully',
      'workspace/demo created',
      '==> kelos run --type claude-code',
      '==> kelos logs demo-',
      'Committed the prompt to KELOS_FAKE.md and pushed kelos/demo-',
      'phase:  Succeeded',
      'Dev cluster stopped',
      'Demo finished.',
    ]) {
      expect(output, step).toContain(step);
    }
    expect(output.match(/task\/demo-\w+ Succeeded/g), 'the final phase, once').toHaveLength(1);
    expect(output).toMatch(/^cost: {3}\$0\.0125 \(\d+ input, 17 output tokens\)$/m);
    const branch = /^branch: (kelos\/demo-\w+)$/m.exec(output)?.[1];
    const commit = /^commit: ([0-9a-f]{40})$/m.exec(output)?.[1];
    expect(branch).toBeDefined();
    expect(commit).toBeDefined();
    // The pushed commit, read back from the served repository.
    expect(output).toContain(`${commit?.slice(0, 7)} Kelos Fake Agent: kelos fake agent: Make hello.sh`);
    const { pid, dir } = devCluster(output);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  }, 180_000);

  it('stops the dev cluster and removes its files on Ctrl-C', async () => {
    const demo = startDemo();
    for (let i = 0; i < 600 && !demo.output().includes('==> kelos install'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { pid, dir } = devCluster(demo.output());
    expect(isAlive(pid)).toBe(true);
    // What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
    process.kill(-(demo.child.pid as number), 'SIGINT');
    expect(await demo.exited).toBe(130);
    expect(demo.output()).toContain('SIGINT: cleaning up');
    expect(demo.output()).not.toContain('demo failed');
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);

  it('runs the claude CLI of the PATH with --host-agents, with the credential from the environment', async () => {
    // A stand-in for claude: checks its credential, commits and pushes as the prompt asks, and reports
    // in Claude's stream-json.
    sandbox.write(
      'agent-bin/claude',
      `#!/bin/sh
[ "$ANTHROPIC_API_KEY" = demo-key ] || { echo 'no credential' >&2; exit 4; }
cd /workspace/repo && echo '# greeted' >> hello.sh || exit 5
git -c user.name=Stub -c user.email=stub@kelos.dev commit -qam "stub claude: $*" || exit 6
git push -q origin "HEAD:refs/heads/$(git branch --show-current)" || exit 7
echo '{"type":"system","subtype":"init","model":"stub-claude","session_id":"s1"}'
echo '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"done","total_cost_usd":0.25,"usage":{"input_tokens":5,"output_tokens":6}}'
`,
    );
    chmodSync(sandbox.path('agent-bin/claude'), 0o755);
    const missing = startDemo(['--host-agents']);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('set CLAUDE_CODE_OAUTH_TOKEN');

    const demo = startDemo(['--host-agents'], {
      PATH: `${sandbox.path('agent-bin')}:${process.env.PATH}`,
      ANTHROPIC_API_KEY: 'demo-key',
    });
    const code = await demo.exited;
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toContain('Agent images run their own entrypoints');
    expect(output).toContain('cost:   $0.25 (5 input, 6 output tokens)');
    expect(output).toMatch(
      /^[0-9a-f]{7} Stub: stub claude: --dangerously-skip-permissions .* -p Make hello.sh greet the user by name, then commit and push the branch$/m,
    );
    expect(output).not.toContain('demo-key');
  }, 180_000);
});
