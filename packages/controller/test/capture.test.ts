import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseOutputs, resultsFromOutputs } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { runCapture } from '../src/capture/capture.js';
import { extractorFor } from '../src/capture/extractors.js';
import { JsonNumber, parseJsonObject } from '../src/capture/json.js';
import type { CommandRunner } from '../src/capture/probes.js';
import { LineSplitter } from '../src/capture/stream.js';
import type { Usage } from '../src/capture/usage.js';

/** kelos-capture in process: extractors on recorded streams, the copier, the block. */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'agents');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function usageOf(agentType: string, stream: string): Usage {
  const extractor = extractorFor(agentType);
  if (!extractor) throw new Error(`no extractor for ${agentType}`);
  for (const line of stream.split('\n')) {
    const event = parseJsonObject(line);
    if (event) extractor.add(event);
  }
  return extractor.finish();
}

/** A runner for a directory that is no git work tree and a machine without gh. */
const nothing: CommandRunner = async () => undefined;

async function capture(input: string | Buffer[], env: NodeJS.ProcessEnv, run = nothing) {
  const output = new PassThrough();
  const errors = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const errorChunks: Buffer[] = [];
  errors.on('data', (c: Buffer) => errorChunks.push(c));
  const parts = typeof input === 'string' ? [Buffer.from(input)] : input;
  const code = await runCapture({ input: Readable.from(parts), output, errors, env, run });
  return { code, stdout: Buffer.concat(chunks), stderr: Buffer.concat(errorChunks).toString() };
}

describe('usage extraction on recorded streams', () => {
  it('claude-code: the result line, numbers as written', () => {
    expect(usageOf('claude-code', fixture('claude-code.jsonl'))).toEqual({
      costUsd: '0.10843950',
      inputTokens: '1536',
      outputTokens: '2048',
      response:
        'Fixed the off-by-one in `parse.go` and pushed branch `kelos/fix-parse`.\n\nAll tests pass — «ünïcödé» ✓',
    });
  });

  it('claude-code: an incomplete result is a failure, with its reasons', () => {
    const usage = usageOf('claude-code', fixture('claude-code-incomplete.jsonl'));
    expect(usage.failure).toBe(
      'Claude Code run incomplete (terminal_reason=max_turns, stop_reason=tool_use)',
    );
    expect(usage).toMatchObject({ costUsd: '0.0031', inputTokens: '210', outputTokens: '88' });
    // An empty result text leaves no response; the last assistant message only had a tool call.
    expect(usage.response).toBeUndefined();
  });

  it('claude-code: an error subtype is a failure; without a result text the last assistant text answers', () => {
    const stream = [
      '{"type":"assistant","message":{"content":[{"type":"text","text":"Half"},{"type":"text","text":" done"}]}}',
      '{"type":"result","subtype":"error_max_turns","is_error":true,"total_cost_usd":1e-3}',
    ].join('\n');
    expect(usageOf('claude-code', stream)).toEqual({
      costUsd: '1e-3',
      response: 'Half done',
      failure: 'Claude Code returned an unsuccessful result (subtype=error_max_turns, is_error=true)',
    });
  });

  it('claude-code: the last of several results counts', () => {
    const stream = [
      '{"type":"result","subtype":"error_during_execution","is_error":true}',
      '{"type":"result","subtype":"success","is_error":false,"result":"ok","usage":{"input_tokens":1,"output_tokens":2}}',
    ].join('\n');
    expect(usageOf('claude-code', stream)).toEqual({ inputTokens: '1', outputTokens: '2', response: 'ok' });
  });

  it('codex: token sums over turn.completed, the last agent message', () => {
    expect(usageOf('codex', fixture('codex.jsonl'))).toEqual({
      inputTokens: '55765',
      outputTokens: '532',
      response: 'Fixed `parse.go`; `make test` passes now.',
    });
  });

  it('codex: sums do not lose precision and skip non-integer counts', () => {
    const stream = [
      '{"type":"turn.completed","usage":{"input_tokens":9007199254740993,"output_tokens":1.5}}',
      '{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":2}}',
    ].join('\n');
    expect(usageOf('codex', stream)).toEqual({ inputTokens: '9007199254740994', outputTokens: '2' });
  });

  it('gemini: stats of the result line, the streamed assistant message joined', () => {
    expect(usageOf('gemini', fixture('gemini.jsonl'))).toEqual({
      inputTokens: '18230',
      outputTokens: '1646',
      response: 'Fixed the off-by-one in parse.go; tests pass.',
    });
  });

  it('gemini: a complete (non-delta) message, and snake_case stats', () => {
    const stream = [
      '{"type":"message","role":"assistant","content":"All done.","delta":false}',
      '{"type":"message","role":"user","content":"ignored"}',
      '{"type":"result","status":"success","stats":{"input_tokens":5,"output_tokens":6}}',
    ].join('\n');
    expect(usageOf('gemini', stream)).toEqual({ inputTokens: '5', outputTokens: '6', response: 'All done.' });
  });

  it('opencode: token sums over step_finish, the last text part', () => {
    expect(usageOf('opencode', fixture('opencode.jsonl'))).toEqual({
      inputTokens: '22322',
      outputTokens: '532',
      response: 'Fixed the off-by-one in `parse.go`; the test suite passes.',
    });
  });

  it('opencode: a text event with top-level text', () => {
    expect(usageOf('opencode', '{"type":"text","text":"hi"}')).toEqual({ response: 'hi' });
  });

  it('cursor: camelCase usage and the result text of the last result line', () => {
    expect(usageOf('cursor', fixture('cursor.jsonl'))).toEqual({
      inputTokens: '15230',
      outputTokens: '612',
      response: 'Running the tests first.Fixed the parser; all tests pass.',
    });
  });

  it('has no extractor for an empty or unknown agent type', () => {
    expect(extractorFor(undefined)).toBeUndefined();
    expect(extractorFor('')).toBeUndefined();
    expect(extractorFor('aider')).toBeUndefined();
  });
});

describe('JSON lines', () => {
  it('keeps number text, decodes escapes and refuses what is not one JSON object', () => {
    const event = parseJsonObject(
      ' {"a": -0.50e+2, "s": "x\\u00e9\\n\\"", "n": [1, {"b": null}], "__proto__": true} ',
    );
    expect(event?.a).toEqual(new JsonNumber('-0.50e+2'));
    expect(event?.s).toBe('xé\n"');
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toBe(true);
    for (const bad of [
      '',
      'not json',
      '[1]',
      '"s"',
      '{"a":1',
      '{"a":1} x',
      '{"a":01}',
      '{a:1}',
      '{"a":tru}',
    ]) {
      expect(parseJsonObject(bad), bad).toBeUndefined();
    }
    expect(parseJsonObject(`${'['.repeat(10_000)}`)).toBeUndefined();
  });
});

describe('line splitting limits', () => {
  const split = (chunks: string[], neededTypes: string[]) => {
    const lines: string[] = [];
    const splitter = new LineSplitter(
      { parseLimit: 16, neededLineLimit: 40, isNeededType: (t) => neededTypes.includes(t) },
      (line) => lines.push(line.toString()),
    );
    for (const c of chunks) splitter.push(Buffer.from(c));
    splitter.end();
    return lines;
  };

  it('joins lines across chunks and hands over a last line without newline', () => {
    expect(split(['{"a"', ':1}\n{"b":2}\n\n{"c"', ':3}'], [])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('drops a long line unless its type is needed, and a needed one past the larger limit', () => {
    const long = `{"type":"user","x":"${'y'.repeat(30)}"}`;
    const needed = `{"type":"result","x":"${'y'.repeat(10)}"}`;
    const tooLong = `{"type":"result","x":"${'y'.repeat(40)}"}`;
    expect(split([`${long}\n${needed}\n${tooLong}\n{"ok":1}\n`], ['result'])).toEqual([needed, '{"ok":1}']);
    // The same, arriving a few bytes at a time.
    const text = `${long}\n${needed}\n${tooLong}\n{"ok":1}`;
    const pieces = text.match(/.{1,7}/gs) ?? [];
    expect(split(pieces, ['result'])).toEqual([needed, '{"ok":1}']);
  });
});

describe('runCapture', () => {
  const claude = { KELOS_AGENT_TYPE: 'claude-code' };
  const claudeResponse =
    'Fixed the off-by-one in `parse.go` and pushed branch `kelos/fix-parse`.\n\nAll tests pass — «ünïcödé» ✓';

  it('copies the stream byte for byte, then the block', async () => {
    const bytes = Buffer.from(fixture('claude-code.jsonl'));
    // Cut inside a multi-byte character: bytes are copied, not decoded strings.
    const cut = bytes.indexOf(Buffer.from('ü')) + 1;
    const { code, stdout } = await capture([bytes.subarray(0, cut), bytes.subarray(cut)], claude);
    expect(code).toBe(0);
    expect(stdout.subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(stdout.subarray(bytes.length).toString()).toBe(
      [
        '---KELOS_OUTPUTS_START---',
        'cost-usd: 0.10843950',
        'input-tokens: 1536',
        'output-tokens: 2048',
        `response: ${b64(claudeResponse)}`,
        '---KELOS_OUTPUTS_END---',
        '',
      ].join('\n'),
    );
  });

  it('adds a trailing newline when the stream lacks one, before the block', async () => {
    const { stdout } = await capture('plain text, no newline', {});
    expect(stdout.toString()).toBe(
      'plain text, no newline\n---KELOS_OUTPUTS_START---\n---KELOS_OUTPUTS_END---\n',
    );
  });

  it('prints nothing at all for an empty stream', async () => {
    const { code, stdout } = await capture('', claude);
    expect(code).toBe(0);
    expect(stdout.length).toBe(0);
  });

  it('passes malformed and non-JSON lines through and still finds the result', async () => {
    const stream = `garbage\n{"type":"result",\n\u0000\x01{}\n${fixture('claude-code.jsonl')}{"type":`;
    const { code, stdout } = await capture(stream, claude);
    expect(code).toBe(0);
    const text = stdout.toString();
    expect(text.startsWith(`${stream}\n---KELOS_OUTPUTS_START---`)).toBe(true);
    expect(resultsFromOutputs(parseOutputs(text))).toEqual({
      'cost-usd': '0.10843950',
      'input-tokens': '1536',
      'output-tokens': '2048',
      response: b64(claudeResponse),
    });
  });

  it('exits 1 for an incomplete Claude result, still printing the block', async () => {
    const { code, stdout, stderr } = await capture(fixture('claude-code-incomplete.jsonl'), claude);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'kelos-capture: Claude Code run incomplete (terminal_reason=max_turns, stop_reason=tool_use)\n',
    );
    expect(parseOutputs(stdout.toString())).toEqual([
      'cost-usd: 0.0031',
      'input-tokens: 210',
      'output-tokens: 88',
    ]);
  });

  it('does not fail other agents, or a Claude stream without any result', async () => {
    expect(
      (await capture(fixture('claude-code-incomplete.jsonl'), { KELOS_AGENT_TYPE: 'cursor' })).code,
    ).toBe(0);
    expect((await capture('{"type":"system"}\n', claude)).code).toBe(0);
  });

  it('orders git, gh and usage facts as the spec lists them; KELOS_BASE_BRANCH wins', async () => {
    const answers: Record<string, string> = {
      'git rev-parse --is-inside-work-tree': 'true',
      'git branch --show-current': 'kelos/fix',
      'git rev-parse HEAD': 'a'.repeat(40),
      'git symbolic-ref refs/remotes/origin/HEAD': 'refs/remotes/origin/main',
      'gh pr list --head kelos/fix --json url': '[{"url":"https://github.com/o/r/pull/7"}]',
      'gh pr list --head kelos/fix --json url --repo up/r':
        '[{"url":"https://github.com/up/r/pull/1"},{"url":"https://github.com/up/r/pull/2"}]',
    };
    const run: CommandRunner = async (cmd, args) => answers[[cmd, ...args].join(' ')];
    const env = { KELOS_AGENT_TYPE: 'codex', KELOS_UPSTREAM_REPO: 'up/r' };
    const { stdout } = await capture(fixture('codex.jsonl'), env, run);
    expect(parseOutputs(stdout.toString())).toEqual([
      'branch: kelos/fix',
      'pr: https://github.com/o/r/pull/7',
      'pr: https://github.com/up/r/pull/1',
      'pr: https://github.com/up/r/pull/2',
      `commit: ${'a'.repeat(40)}`,
      'base-branch: main',
      'input-tokens: 55765',
      'output-tokens: 532',
      `response: ${b64('Fixed `parse.go`; `make test` passes now.')}`,
    ]);
    const withBase = await capture('x\n', { KELOS_BASE_BRANCH: 'release-1' }, run);
    expect(parseOutputs(withBase.stdout.toString())).toContain('base-branch: release-1');
  });

  it('lists no PRs when gh answers with something unexpected, and none on a detached HEAD', async () => {
    const answers: Record<string, string> = {
      'git rev-parse --is-inside-work-tree': 'true',
      'git branch --show-current': 'b',
      'gh pr list --head b --json url': 'not json',
    };
    const run: CommandRunner = async (cmd, args) => answers[[cmd, ...args].join(' ')];
    expect(parseOutputs((await capture('x\n', {}, run)).stdout.toString())).toEqual(['branch: b']);
    delete answers['git branch --show-current'];
    answers['git rev-parse HEAD'] = 'c'.repeat(40);
    expect(parseOutputs((await capture('x\n', {}, run)).stdout.toString())).toEqual([
      `commit: ${'c'.repeat(40)}`,
    ]);
  });
});
