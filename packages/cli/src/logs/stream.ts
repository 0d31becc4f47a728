import type { LineParser } from './events.js';
import { parserFor } from './parser-for.js';
import { LogRenderer, type LogWriter, type RenderOptions } from './render.js';
import { LineSplitter, type SplitOptions } from './split.js';
import type { Style } from './style.js';

/**
 * `kelos logs` without `--raw`, for a stream of lines: parses each line with the agent type's
 * parser and renders the events.
 */
export async function renderLogStream(
  lines: AsyncIterable<string>,
  agentType: string | undefined,
  style: Style,
  write: LogWriter,
  options?: RenderOptions,
): Promise<void> {
  const parse = parserFor(agentType);
  const renderer = new LogRenderer(style, write, options);
  for await (const line of lines) renderLine(parse, renderer, line);
  renderer.end();
}

/**
 * The same for a byte stream such as a pod log, split chunk by chunk: unlike
 * `renderLogStream(splitLines(source), …)` it pays no promise per line (on short lines that
 * halves the splitting cost).
 */
export async function renderLogBytes(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  agentType: string | undefined,
  style: Style,
  write: LogWriter,
  options: RenderOptions & SplitOptions = {},
): Promise<void> {
  const parse = parserFor(agentType);
  const renderer = new LogRenderer(style, write, options);
  const splitter = new LineSplitter(options);
  for await (const chunk of source) {
    for (const line of splitter.push(chunk)) renderLine(parse, renderer, line);
  }
  const last = splitter.end();
  if (last !== undefined) renderLine(parse, renderer, last);
  renderer.end();
}

function renderLine(parse: LineParser, renderer: LogRenderer, line: string): void {
  for (const event of parse(line)) renderer.render(event);
}
