// Throughput and memory of `kelos logs` rendering: a generated 100 MB claude-code stream (normal
// lines plus a few large tool outputs and one 20 MB line) is split, parsed and rendered to a
// sink that discards the text. Target: at least 100 MB/s with flat memory.
// Run after `tsc -b packages/cli`: node bench/logs.bench.mjs (or node bench/run.mjs logs)
import { plainStyle, renderLogBytes, renderLogStream, splitLines } from '../packages/cli/dist/logs/index.js';

const TOTAL = 100 * 1024 * 1024;
const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

const session = '5f2c9a7e-3b1d-4c8e-9f60-2a7d1e4b8c91';
const line = (value) => `${JSON.stringify(value)}\n`;
const assistant = (i, content) =>
  line({
    type: 'assistant',
    message: {
      model: 'claude-sonnet-4-5-20250929',
      id: `msg_${i}`,
      type: 'message',
      role: 'assistant',
      content,
      stop_reason: null,
      usage: {
        input_tokens: 4,
        cache_creation_input_tokens: 310,
        cache_read_input_tokens: 5120,
        output_tokens: 90,
      },
    },
    parent_tool_use_id: null,
    session_id: session,
    uuid: `1a2b3c4d-0000-4000-8000-${String(i).padStart(12, '0')}`,
  });
const toolResult = (i, content) =>
  line({
    type: 'user',
    message: {
      role: 'user',
      content: [{ tool_use_id: `toolu_${i}`, type: 'tool_result', content, is_error: i % 7 === 0 }],
    },
    parent_tool_use_id: null,
    session_id: session,
    uuid: `6a7b8c9d-0000-4000-8000-${String(i).padStart(12, '0')}`,
  });

/** One model turn as Claude writes it: prose, a tool call, its result. Varied by `i`. */
function turn(i) {
  const output =
    i % 50 === 0
      ? 'ok  \tgithub.com/acme/widgets/internal/parse\t0.011s\n'.repeat(1500) // ~70 KB, a big test log
      : `--- FAIL: TestParse${i} (0.00s)\n    parse_test.go:${i % 300}: got "a", want "b"\nFAIL\n`.repeat(
          1 + (i % 12),
        );
  return (
    assistant(i, [
      { type: 'text', text: `Step ${i}: I'll run the parser tests again after changing parse.go.` },
    ]) +
    assistant(i, [
      {
        type: 'tool_use',
        id: `toolu_${i}`,
        name: i % 3 === 0 ? 'Read' : 'Bash',
        input:
          i % 3 === 0
            ? { file_path: `/workspace/repo/internal/parse/file${i}.go` }
            : { command: `go test ./internal/... -run TestParse${i}`, description: 'Run tests' },
      },
    ]) +
    toolResult(i, output)
  );
}

/** About 8 MB of turns, ending at a line end, cycled through to make up the stream. */
const BLOCK = Buffer.from(Array.from({ length: 3000 }, (_, i) => turn(i)).join(''));
// Built from bytes rather than a 20 MB JS string, so setting up leaves no heap high-water mark
// that would hide the renderer's own RSS growth.
const GIANT = Buffer.concat([
  Buffer.from(
    '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_big","type":"tool_result","content":"',
  ),
  Buffer.alloc(20 * MB, 'x'),
  Buffer.from('"}]}}\n'),
]);
const TAIL = Buffer.from(
  `${line({
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: 48211,
    num_turns: 7,
    result: 'Done.',
    total_cost_usd: 0.1084395,
    usage: { input_tokens: 1536, output_tokens: 412 },
  })}---KELOS_OUTPUTS_START---\nbranch: kelos/bench\ncost-usd: 0.1084395\n---KELOS_OUTPUTS_END---\n`,
);

/** 64 KB slices of a buffer, as a pod log stream delivers them. */
function* slices(buffer) {
  for (let at = 0; at < buffer.length; at += CHUNK) yield buffer.subarray(at, at + CHUNK);
}

/** The stream: blocks of turns, the giant line after the fifth, the result and the output block. */
async function* stream() {
  let turns = 0;
  let round = 0;
  const room = TOTAL - GIANT.length - TAIL.length;
  while (turns < room) {
    // The last block is cut at a line end so that the result line stays a line of its own.
    const block =
      turns + BLOCK.length <= room ? BLOCK : BLOCK.subarray(0, BLOCK.lastIndexOf(10, room - turns) + 1);
    if (block.length === 0) break;
    yield* slices(block);
    turns += block.length;
    if (++round === 5) yield* slices(GIANT);
  }
  yield TAIL;
  stream.bytes = turns + GIANT.length + TAIL.length;
}

/** Renders the stream once through `render` and prints throughput and memory growth. */
async function measure(label, render) {
  let peakRss = 0;
  let peakHeap = 0;
  let writes = 0;
  let stderrBytes = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  const sink = (text, channel) => {
    if (channel === 'stderr') stderrBytes += text.length;
    if ((++writes & 4095) === 0) sample();
  };
  globalThis.gc?.();
  const { rss: baseRss, heapUsed: baseHeap } = process.memoryUsage();
  peakRss = baseRss;
  peakHeap = baseHeap;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await render(sink);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time as well as wall time: the machine the bench runs on may be shared.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  sample();
  const mb = stream.bytes / MB;
  console.log(
    `${label}, ${mb.toFixed(0)} MB claude-code stream: ${(mb / seconds).toFixed(0)} MB/s wall (${seconds.toFixed(2)} s), ` +
      `${(mb / cpuSeconds).toFixed(0)} MB/s per CPU second (GC threads included); ` +
      `${writes} writes, ${(stderrBytes / MB).toFixed(1)} MB to stderr; ` +
      `peak growth: RSS ${((peakRss - baseRss) / MB).toFixed(1)} MB (from ${(baseRss / MB).toFixed(0)} MB), heap ${((peakHeap - baseHeap) / MB).toFixed(1)} MB`,
  );
}

await measure('renderLogBytes(stream)', (sink) => renderLogBytes(stream(), 'claude-code', plainStyle, sink));
await measure('renderLogStream(splitLines(stream))', (sink) =>
  renderLogStream(splitLines(stream()), 'claude-code', plainStyle, sink),
);
