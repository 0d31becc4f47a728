import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUTS_END_MARKER, OUTPUTS_START_MARKER } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../src/logs/events.js';
import { type Channel, formatDuration, LogRenderer, type RenderOptions } from '../src/logs/render.js';
import { splitLines } from '../src/logs/split.js';
import { renderLogStream } from '../src/logs/stream.js';
import { ansiStyle, plainStyle, type Style } from '../src/logs/style.js';

/** The shared renderer: event by event, and golden output of each recorded stream. */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'logs');

interface Captured {
  /** Both channels interleaved, as a terminal shows them. */
  all: string;
  stdout: string;
  stderr: string;
}

function capture(): { out: Captured; write: (text: string, channel: Channel) => void } {
  const out: Captured = { all: '', stdout: '', stderr: '' };
  return {
    out,
    write: (text, channel) => {
      out.all += text;
      out[channel] += text;
    },
  };
}

function render(events: LogEvent[], options?: RenderOptions, style: Style = plainStyle): Captured {
  const { out, write } = capture();
  const renderer = new LogRenderer(style, write, options);
  for (const event of events) renderer.render(event);
  renderer.end();
  return out;
}

describe('golden output of recorded streams', () => {
  const samples: [fixture: string, agentType: string][] = [
    ['claude-code', 'claude-code'],
    ['claude-code-partial', 'claude-code'],
    ['cursor', 'cursor'],
    ['codex', 'codex'],
    ['gemini', 'gemini'],
    ['opencode', 'opencode'],
  ];

  it.each(samples)('%s', async (fixture, agentType) => {
    const { out, write } = capture();
    // Small chunks, so lines also cross chunk boundaries.
    const source = createReadStream(join(FIXTURES, `${fixture}.jsonl`), { highWaterMark: 97 });
    await renderLogStream(splitLines(source), agentType, plainStyle, write);
    for (const [suffix, text] of [
      ['golden.txt', out.all],
      ['stdout.txt', out.stdout],
    ] as const) {
      const path = join(FIXTURES, `${fixture}.${suffix}`);
      // UPDATE_GOLDEN=1 rewrites the files after a deliberate change; review the diff.
      if (process.env.UPDATE_GOLDEN) writeFileSync(path, text);
      expect(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('puts only prose and unparsed lines on stdout', async () => {
    const { out, write } = capture();
    await renderLogStream(
      splitLines(createReadStream(join(FIXTURES, 'claude-code.jsonl'))),
      'claude-code',
      plainStyle,
      write,
    );
    expect(out.stdout).toBe(
      [
        'added 312 packages, and audited 313 packages in 4s',
        "I'll reproduce the failing test first.",
        'Fixed `Parse` to keep empty trailing fields and pushed branch `kelos/fix-parse`.',
        '',
        'All tests pass — «ünïcödé» ✓',
        '',
      ].join('\n'),
    );
    expect(out.stderr).toContain('[result] completed (7 turns, $0.1084)');
  });
});

describe('LogRenderer', () => {
  it('prints the spec §10 strings', () => {
    const out = render([
      { type: 'session', model: 'M', tools: ['Bash'] },
      { type: 'turn', id: 'a' },
      { type: 'tool_call', tag: 'tool', name: 'Bash', summary: 'npm test' },
      { type: 'tool_call', tag: 'tool', name: 'TodoWrite' },
      { type: 'tool_call', tag: 'command', summary: 'make test' },
      { type: 'tool_call', tag: 'web_search' },
      { type: 'usage', usage: { inputTokens: 1, cachedTokens: 2, outputTokens: 3 } },
      { type: 'result', status: 'completed', turns: 3, costUsd: 0.0142, usage: {} },
      { type: 'result', status: 'error', turns: 1, costUsd: 0.001, usage: {} },
      {
        type: 'result',
        status: 'incomplete',
        reasons: 'stop_reason=tool_use',
        turns: 9,
        costUsd: 0.0142,
        usage: {},
      },
      { type: 'result', status: 'completed', usage: { inputTokens: 5, outputTokens: 6 } },
      { type: 'result', status: 'error', usage: {} },
    ]);
    expect(out.stderr).toBe(
      [
        '[init] model=M',
        '',
        '--- Turn 1 ---',
        '[tool] Bash: npm test',
        '[tool] TodoWrite',
        '[command] make test',
        '[web_search]',
        '[usage] input=1 cached=2 output=3',
        '',
        '[result] completed (3 turns, $0.0142)',
        '',
        '[result] error (1 turns, $0.0010)',
        '',
        '[result] incomplete (stop_reason=tool_use) (9 turns, $0.0142)',
        '',
        '[result] completed (input=5, output=6)',
        '',
        '[result] error',
        '',
      ].join('\n'),
    );
  });

  it('numbers turns and counts a message split over several lines once', () => {
    const out = render([
      { type: 'turn', id: 'a' },
      { type: 'turn', id: 'a' },
      { type: 'turn', id: 'b' },
      { type: 'turn' },
      { type: 'turn' },
    ]);
    expect(out.stderr.match(/--- Turn \d ---/g)).toEqual([
      '--- Turn 1 ---',
      '--- Turn 2 ---',
      '--- Turn 3 ---',
      '--- Turn 4 ---',
    ]);
  });

  it('prints an error result text on stdout, and usage not already shown', () => {
    const out = render([
      {
        type: 'result',
        status: 'error',
        text: 'API Error: 529 overloaded',
        turns: 2,
        costUsd: 0,
        usage: { inputTokens: 10, outputTokens: 5, durationMs: 192_000 },
      },
    ]);
    expect(out.stdout).toBe('API Error: 529 overloaded\n');
    expect(out.stderr).toBe(
      '\n[result] error (2 turns, $0.0000)\n[usage] input=10 output=5 duration=3m12s\n',
    );
  });

  it('does not print a completed result text, which the last message already showed', () => {
    expect(render([{ type: 'result', status: 'completed', text: 'Done.', usage: {} }]).stdout).toBe('');
  });

  it('streams deltas on one line and ends it before the next output', () => {
    const out = render([
      { type: 'text', text: 'Let me ', delta: true },
      { type: 'text', text: 'look.', delta: true },
      { type: 'tool_call', tag: 'tool', name: 'Read', summary: 'a.go' },
      { type: 'text', text: 'Done', delta: true },
    ]);
    expect(out.all).toBe('Let me look.\n[tool] Read: a.go\nDone\n');
  });

  it('does not repeat a whole message that was streamed, but prints a different one', () => {
    const out = render([
      { type: 'text', text: 'Hel', delta: true },
      { type: 'text', text: 'lo', delta: true },
      { type: 'text', text: 'Hello', delta: false },
      { type: 'text', text: 'Hello', delta: false },
    ]);
    expect(out.stdout).toBe('Hello\nHello\n');
  });

  it('does not repeat a streamed message when the turn was announced first', () => {
    const out = render([
      { type: 'turn', id: 'm' },
      { type: 'text', text: 'Hi', delta: true },
      { type: 'turn', id: 'm' },
      { type: 'text', text: 'Hi', delta: false },
    ]);
    expect(out.all).toBe('\n--- Turn 1 ---\nHi\n');
  });

  it('streams thinking dimmed on stderr', () => {
    const out = render([
      { type: 'thinking', text: 'Run ', delta: true },
      { type: 'thinking', text: 'tests.', delta: true },
      { type: 'text', text: 'Ok', delta: false },
    ]);
    expect(out.stderr).toBe('[thinking] Run tests.\n');
    expect(out.stdout).toBe('Ok\n');
  });

  it('shows a thinking block indented, without blank lines, and cut', () => {
    const out = render([{ type: 'thinking', text: '**Plan**\n\n1\n2\n3\n\n4\n5', delta: false }], {
      thinkingLines: 3,
    });
    expect(out.stderr).toBe('[thinking]\n  **Plan**\n  1\n  2\n  … (3 more lines)\n');
  });

  it('indents tool results and cuts them by lines and width', () => {
    const out = render(
      [{ type: 'tool_result', ok: true, output: `one\n${'w'.repeat(30)}\nthree\nfour\nfive\n\n` }],
      { toolResultLines: 2, lineWidth: 10 },
    );
    expect(out.stderr).toBe(`  one\n  ${'w'.repeat(10)}…\n  … (3 more lines)\n`);
  });

  it('marks failed tool results', () => {
    const out = render([
      { type: 'tool_result', ok: false, output: 'FAIL', exitCode: 2 },
      { type: 'tool_result', ok: false, output: '' },
      { type: 'tool_result', ok: true, output: '' },
    ]);
    expect(out.stderr).toBe('  FAIL\n  ✗ exit 2\n  ✗ failed\n');
  });

  it('reports what the splitter left out of a giant output', () => {
    const out = render([{ type: 'tool_result', ok: true, output: `${'a\n'.repeat(10)}a… (19.9 MB more)` }]);
    expect(out.stderr).toBe('  a\n  a\n  a\n  a\n  a\n  a\n  … (19.9 MB more)\n');
    const oneLine = render([{ type: 'tool_result', ok: true, output: `${'b'.repeat(300)}… (19.9 MB more)` }]);
    expect(oneLine.stderr).toBe(`  ${'b'.repeat(200)}…\n  … (19.9 MB more)\n`);
  });

  it('prints unparsed lines as they are on stdout', () => {
    expect(render([{ type: 'raw', line: '  npm ERR! code 1' }]).stdout).toBe('  npm ERR! code 1\n');
  });

  it('prints errors, warnings and setup markers', () => {
    const out = render([
      { type: 'error', message: 'boom', level: 'error' },
      { type: 'error', message: 'careful', level: 'warning' },
      { type: 'setup', phase: 'start' },
      { type: 'setup', phase: 'done' },
      { type: 'setup', phase: 'failed', exitCode: 3 },
      { type: 'setup', phase: 'failed' },
    ]);
    expect(out.stderr).toBe(
      [
        '[error] boom',
        '[warning] careful',
        '[setup] running setup command',
        '[setup] setup command done',
        '[setup] setup command failed (exit=3)',
        '[setup] setup command failed',
        '',
      ].join('\n'),
    );
  });

  it('summarises the output block and leaves out the response', () => {
    const out = render([
      { type: 'outputs_start' },
      { type: 'raw', line: 'branch: kelos/x' },
      { type: 'raw', line: '' },
      { type: 'raw', line: '  pr: https://github.com/a/b/pull/1  ' },
      { type: 'raw', line: 'response: SGVsbG8=' },
      { type: 'raw', line: 'odd line' },
      { type: 'outputs_end' },
    ]);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      '\n[outputs]\n  branch: kelos/x\n  pr: https://github.com/a/b/pull/1\n  odd line\n',
    );
  });

  it('prints nothing for an empty output block', () => {
    expect(render([{ type: 'outputs_start' }, { type: 'outputs_end' }]).all).toBe('');
  });

  it('shows an unterminated output block as it was', () => {
    const out = render([{ type: 'outputs_start' }, { type: 'raw', line: 'branch: x' }]);
    expect(out.stdout).toBe(`${OUTPUTS_START_MARKER}\nbranch: x\n`);
  });

  it('treats a START marker followed by many lines as no block', () => {
    const lines: LogEvent[] = Array.from({ length: 250 }, (_, i) => ({ type: 'raw', line: `line ${i}` }));
    const out = render([{ type: 'outputs_start' }, ...lines]);
    expect(out.stdout.split('\n')).toHaveLength(252);
    expect(out.stdout.startsWith(`${OUTPUTS_START_MARKER}\nline 0\n`)).toBe(true);
  });

  it('shows a stray END marker and a repeated START as they were', () => {
    const out = render([
      { type: 'outputs_end' },
      { type: 'outputs_start' },
      { type: 'raw', line: 'branch: old' },
      { type: 'outputs_start' },
      { type: 'raw', line: 'branch: new' },
      { type: 'outputs_end' },
    ]);
    expect(out.stdout).toBe(`${OUTPUTS_END_MARKER}\n${OUTPUTS_START_MARKER}\nbranch: old\n`);
    expect(out.stderr).toBe('\n[outputs]\n  branch: new\n');
  });

  it('colours through the injected style', () => {
    const out = render(
      [
        { type: 'tool_call', tag: 'tool', name: 'Bash', summary: 'ls' },
        { type: 'error', message: 'x', level: 'error' },
        { type: 'result', status: 'completed', turns: 1, usage: {} },
      ],
      {},
      ansiStyle,
    );
    expect(out.stderr).toBe(
      '\u001b[36m[tool] Bash: ls\u001b[39m\n\u001b[31m[error] x\u001b[39m\n\n\u001b[32m[result] completed (1 turns)\u001b[39m\n',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [48_211, '48.2s'],
    [192_000, '3m12s'],
    [3_840_000, '1h4m'],
  ])('%d', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
