import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseClaudeLine } from '../src/logs/claude.js';
import { parseCodexLine } from '../src/logs/codex.js';
import { formatBytes, LineSplitter, splitLines } from '../src/logs/split.js';

/** The line splitter: chunk boundaries, encodings, and giant lines. */

async function collect(chunks: (Buffer | string)[], options = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of splitLines(Readable.from(chunks), options)) lines.push(line);
  return lines;
}

/** Feeds text in chunks of `size` bytes, as a pod log stream arrives. */
function chunked(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

describe('splitLines', () => {
  it('splits lines and drops the line ends', async () => {
    expect(await collect([Buffer.from('a\nb\n\nc\n')])).toEqual(['a', 'b', '', 'c']);
  });

  it('yields a last line without a newline', async () => {
    expect(await collect([Buffer.from('a\nb')])).toEqual(['a', 'b']);
  });

  it('yields nothing for an empty stream, and no phantom line after a final newline', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect([Buffer.from('a\n')])).toEqual(['a']);
  });

  it('drops the carriage return of CRLF line ends', async () => {
    expect(await collect([Buffer.from('a\r\nb\r\n')])).toEqual(['a', 'b']);
  });

  it('joins lines split across chunks at any byte, including inside UTF-8 characters', async () => {
    const text = '{"text":"«ünïcödé» ✓ 😀"}\nplain line\n{"type":"result"}\n';
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await collect(chunked(text, size))).toEqual([
        '{"text":"«ünïcödé» ✓ 😀"}',
        'plain line',
        '{"type":"result"}',
      ]);
    }
  });

  it('accepts string chunks', async () => {
    expect(await collect(['a\nb', 'c\n'])).toEqual(['a', 'bc']);
  });

  it('keeps a line of exactly the limit whole', async () => {
    const line = `{"t":"${'x'.repeat(94)}"}`;
    expect(await collect([`${line}\n`], { maxLineLength: 102 })).toEqual([line]);
  });
});

describe('giant lines', () => {
  const options = { maxLineLength: 1024, maxStringLength: 16 };

  it('keeps a giant JSON line valid, with every long string cut and sized', async () => {
    const line = JSON.stringify({
      type: 'user',
      a: 'x'.repeat(3000),
      b: 'short',
      c: ['y'.repeat(2000)],
      n: 5,
    });
    const [out] = await collect(chunked(`${line}\n`, 100), options);
    expect(JSON.parse(out as string)).toEqual({
      type: 'user',
      a: `${'x'.repeat(16)}… (2.9 KB more)`,
      b: 'short',
      c: [`${'y'.repeat(16)}… (1.9 KB more)`],
      n: 5,
    });
  });

  it('never cuts inside an escape, a surrogate pair or at an escaped quote', async () => {
    for (const filler of [
      '\\'.repeat(1500),
      '"'.repeat(1500),
      '\n'.repeat(1500),
      'é😀'.repeat(700),
      '\u0001'.repeat(900),
    ]) {
      for (const pad of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) {
        const value = { type: 'x', s: pad + filler, after: 'kept' };
        const line = JSON.stringify(value);
        for (const size of [7, 1000, 100_000]) {
          const [out] = await collect(chunked(`${line}\n`, size), options);
          const parsed = JSON.parse(out as string);
          expect(parsed.after).toBe('kept');
          expect(parsed.s).toMatch(/… \(\d+(\.\d)? [KM]?B more\)$/);
          expect((value.s as string).startsWith(parsed.s.replace(/… \(.*\)$/, ''))).toBe(true);
        }
      }
    }
  });

  it('counts the bytes left out exactly', async () => {
    const line = JSON.stringify({ type: 'x', s: 'é'.repeat(2000) });
    const [out] = await collect([`${line}\n`], { maxLineLength: 1024, maxStringLength: 1000 });
    // 1000 of 2000 two-byte characters are left: 2000 bytes.
    expect(JSON.parse(out as string).s).toBe(`${'é'.repeat(1000)}… (2.0 KB more)`);
  });

  it('shows the start of a giant line that is not JSON', async () => {
    const lines = await collect(chunked(`${'z'.repeat(5000)}\nnext\n`, 300), options);
    expect(lines).toEqual([`${'z'.repeat(16)}… (4.9 KB more)`, 'next']);
  });

  it('keeps only the start of a giant line whose structure alone is too big', async () => {
    const line = JSON.stringify({ type: 'x', list: Array.from({ length: 3000 }, (_, i) => i) });
    const [out] = await collect([`${line}\n`], { maxLineLength: 100, maxStringLength: 16 });
    expect(out?.length).toBeLessThan(1000);
    expect(out).toMatch(/… \(\d+(\.\d)? KB more\)$/);
    expect(parseClaudeLine(out as string)[0]?.type).toBe('raw');
  });

  it('ends a giant line that has no newline and stops inside a string', async () => {
    const [out] = await collect([`{"type":"x","s":"${'q'.repeat(5000)}`], options);
    expect(out).toBe(`{"type":"x","s":"${'q'.repeat(16)}… (4.9 KB more)`);
  });

  it('recovers after a giant line: the next lines are whole', async () => {
    const giant = JSON.stringify({ type: 'x', s: 'g'.repeat(10_000) });
    expect((await collect(chunked(`${giant}\n{"a":1}\nb\n`, 333), options)).slice(1)).toEqual([
      '{"a":1}',
      'b',
    ]);
  });

  it('a 20 MB Claude tool result and result line still parse, with the size left out shown', async () => {
    const big = 'log line\n'.repeat((20 * 1024 * 1024) / 9);
    const toolResult = JSON.stringify({
      type: 'user',
      message: { content: [{ type: 'tool_result', tool_use_id: 't', content: big, is_error: false }] },
    });
    const result = JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: false,
      num_turns: 3,
      result: big,
      total_cost_usd: 0.5,
      usage: { input_tokens: 10, output_tokens: 20 },
    });
    const lines = await collect(chunked(`${toolResult}\n${result}\n`, 64 * 1024));
    expect(lines).toHaveLength(2);
    const [tool] = parseClaudeLine(lines[0] as string);
    expect(tool).toMatchObject({ type: 'tool_result', ok: true });
    expect(tool?.type === 'tool_result' && tool.output).toMatch(/^log line\n[\s\S]*… \(22\.\d MB more\)$/);
    expect(tool?.type === 'tool_result' && tool.output.length).toBeLessThan(17 * 1024);
    const [final] = parseClaudeLine(lines[1] as string);
    expect(final).toMatchObject({
      type: 'result',
      status: 'completed',
      turns: 3,
      costUsd: 0.5,
      usage: { inputTokens: 10, outputTokens: 20 },
    });
  });

  it('a 20 MB Codex command output still parses', async () => {
    const line = JSON.stringify({
      type: 'item.completed',
      item: {
        id: 'i',
        type: 'command_execution',
        aggregated_output: 'z'.repeat(20 * 1024 * 1024),
        exit_code: 1,
      },
    });
    const [out] = await collect(chunked(`${line}\n`, 64 * 1024));
    expect(parseCodexLine(out as string)).toEqual([
      { type: 'tool_result', ok: false, output: `${'z'.repeat(16 * 1024)}… (20.0 MB more)`, exitCode: 1 },
    ]);
  });
});

describe('LineSplitter', () => {
  it('hands over complete lines per chunk and the rest at the end', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('a\nb'))).toEqual(['a']);
    expect(splitter.push(Buffer.from('c\nd'))).toEqual(['bc']);
    expect(splitter.end()).toBe('d');
    expect(splitter.end()).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [20 * 1024 * 1024 - 16 * 1024, '20.0 MB'],
    [19.9 * 1024 * 1024, '19.9 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('%d', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
