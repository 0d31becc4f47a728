import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../src/logs/render.js';
import { splitLines } from '../src/logs/split.js';
import { renderLogBytes, renderLogStream } from '../src/logs/stream.js';
import { plainStyle } from '../src/logs/style.js';

/** The pieces together: bytes in, rendered text out, and memory that stays flat. */

setFlagsFromString('--expose-gc');
/** A fresh context sees the flag; tests cannot pass --expose-gc to the worker themselves. */
const gc = runInNewContext('gc') as () => void;

const MB = 1024 * 1024;

function capture(): { text: () => string; write: (text: string, channel: Channel) => void } {
  const parts: string[] = [];
  return { text: () => parts.join(''), write: (text) => parts.push(text) };
}

const claudeLines = [
  '{"type":"system","subtype":"init","model":"claude-sonnet-4-5","tools":["Bash"]}',
  '{"type":"assistant","message":{"id":"m1","content":[{"type":"text","text":"Running tests."}]}}',
  '{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","name":"Bash","input":{"command":"npm test"}}]}}',
  '{"type":"user","message":{"content":[{"type":"tool_result","content":"1 failing","is_error":true}]}}',
  '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"total_cost_usd":0.0123,"usage":{"input_tokens":10,"output_tokens":20}}',
  '---KELOS_OUTPUTS_START---',
  'branch: kelos/x',
  '---KELOS_OUTPUTS_END---',
];

const expected = [
  '[init] model=claude-sonnet-4-5',
  '',
  '--- Turn 1 ---',
  'Running tests.',
  '[tool] Bash: npm test',
  '  1 failing',
  '  ✗ failed',
  '',
  '[result] completed (1 turns, $0.0123)',
  '[usage] input=10 output=20',
  '',
  '[outputs]',
  '  branch: kelos/x',
  '',
].join('\n');

describe('renderLogStream and renderLogBytes', () => {
  it('render a byte stream split at awkward places the same way', async () => {
    const bytes = Buffer.from(`${claudeLines.join('\r\n')}`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 13) }, (_, i) =>
      bytes.subarray(i * 13, i * 13 + 13),
    );
    const viaLines = capture();
    await renderLogStream(splitLines(Readable.from(chunks)), 'claude-code', plainStyle, viaLines.write);
    const viaBytes = capture();
    await renderLogBytes(Readable.from(chunks), 'cursor', plainStyle, viaBytes.write);
    expect(viaLines.text()).toBe(expected);
    expect(viaBytes.text()).toBe(expected);
  });

  it('pass the split options through', async () => {
    const out = capture();
    const big = JSON.stringify({
      type: 'user',
      message: { content: [{ type: 'tool_result', content: 'x'.repeat(5000) }] },
    });
    await renderLogBytes([Buffer.from(big)], 'claude-code', plainStyle, out.write, {
      maxLineLength: 1000,
      maxStringLength: 16,
      lineWidth: 12,
    });
    expect(out.text()).toBe('  xxxxxxxxxxxx…\n  … (4.9 KB more)\n');
  });

  it('uses the parser of the agent type', async () => {
    const out = capture();
    await renderLogStream(
      (async function* () {
        yield '{"type":"turn.started"}';
        yield '{"type":"item.completed","item":{"type":"agent_message","text":"Hi"}}';
      })(),
      'codex',
      plainStyle,
      out.write,
    );
    expect(out.text()).toBe('\n--- Turn 1 ---\nHi\n');
  });

  it('keep memory flat over a 100 MB stream with a 20 MB line in it', async () => {
    const block = Buffer.from(`${Array.from({ length: 2000 }, (_, i) => claudeLines[i % 5]).join('\n')}\n`);
    const giant = Buffer.from(
      `${JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: 'g'.repeat(20 * MB) }] } })}\n`,
    );
    const samples: number[] = [];
    const measure = () => {
      gc();
      samples.push(process.memoryUsage().heapUsed);
    };
    let bytes = 0;
    async function* source() {
      let next = 0;
      while (bytes < 100 * MB) {
        const data = bytes > 40 * MB && bytes < 40 * MB + block.length ? giant : block;
        for (let at = 0; at < data.length; at += 64 * 1024) yield data.subarray(at, at + 64 * 1024);
        bytes += data.length;
        if (bytes >= next) {
          measure();
          next += 10 * MB;
        }
      }
    }
    measure();
    let written = 0;
    await renderLogBytes(source(), 'claude-code', plainStyle, (text) => {
      written += text.length;
    });
    measure();
    expect(bytes).toBeGreaterThanOrEqual(100 * MB);
    expect(written).toBeGreaterThan(0);
    const baseline = samples[0] as number;
    const growth = Math.max(...samples) - baseline;
    // Whole 20 MB lines or an accumulating stream would show as tens of MB here.
    expect(growth).toBeLessThan(8 * MB);
  });
});
