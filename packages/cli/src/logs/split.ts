import { StringDecoder } from 'node:string_decoder';

export interface SplitOptions {
  /**
   * A line longer than this many UTF-16 code units (≈ bytes for ASCII) is compacted while it
   * streams in instead of being held whole; see `Compactor`. Default 1 MiB.
   */
  maxLineLength?: number;
  /**
   * In a compacted line, each JSON string keeps at most this many code units, followed by
   * `… (19.9 MB more)`; a compacted line that is not JSON keeps this much of its start. Default 16 KiB.
   * Keys and `type` values are strings too, so this must exceed the longest of those.
   */
  maxStringLength?: number;
}

const DEFAULT_MAX_LINE = 1024 * 1024;
const DEFAULT_MAX_STRING = 16 * 1024;

/**
 * Splits a byte stream (a Node Readable or any iterable of chunks) into lines without their
 * line ends. Each chunk is decoded once and lines are sliced from it, so normal lines cost no
 * copies; a line spanning chunks is joined once at its end, never by repeated concatenation.
 * Whatever the stream holds, memory stays bounded: one chunk plus one line, which is at most
 * `maxLineLength`, or about four times that once compacted.
 */
export async function* splitLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: SplitOptions = {},
): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(options);
  for await (const chunk of source) {
    for (const line of splitter.push(chunk)) yield line;
  }
  const last = splitter.end();
  if (last !== undefined) yield last;
}

/** The synchronous core of `splitLines`, for callers that own their read loop. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineLength: number;
  private readonly maxStringLength: number;
  /** The start of the current line, as slices of earlier chunks. */
  private parts: string[] = [];
  private length = 0;
  /** Set once the current line outgrew `maxLineLength`. */
  private compactor: Compactor | undefined;

  constructor(options: SplitOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE;
    this.maxStringLength = options.maxStringLength ?? DEFAULT_MAX_STRING;
  }

  /** The lines a chunk completes. */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (this.length === 0 && !this.compactor && nl - start <= this.maxLineLength) {
        lines.push(withoutCr(text.slice(start, nl)));
      } else {
        this.append(text, start, nl);
        lines.push(this.take());
      }
      start = nl + 1;
    }
    if (start < text.length) this.append(text, start, text.length);
    return lines;
  }

  /** The last line when the stream did not end with a newline. */
  end(): string | undefined {
    const rest = this.decoder.end();
    if (rest) this.append(rest, 0, rest.length);
    return this.length > 0 || this.compactor ? this.take() : undefined;
  }

  private append(text: string, start: number, end: number): void {
    if (this.compactor) {
      this.compactor.feed(text, start, end);
      return;
    }
    this.parts.push(text.slice(start, end));
    this.length += end - start;
    if (this.length > this.maxLineLength) {
      this.compactor = new Compactor(this.maxStringLength, this.maxLineLength * 4);
      for (const part of this.parts) this.compactor.feed(part, 0, part.length);
      this.parts = [];
    }
  }

  private take(): string {
    const line = this.compactor
      ? this.compactor.finish()
      : this.parts.length === 1
        ? (this.parts[0] as string)
        : this.parts.join('');
    this.parts = [];
    this.length = 0;
    this.compactor = undefined;
    return withoutCr(line);
  }
}

function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

/**
 * Shrinks a giant line as it streams in, keeping it valid JSON: every string longer than
 * `maxString` keeps its start and ends in `… (19.9 MB more)`, while the structure around the
 * strings stays intact. A 20 MB tool output or final `result` text therefore still parses into
 * its event, with cost and tokens, while memory holds only the kept parts. (Giant lines are one
 * giant string in practice; a line whose structure alone outgrows `maxOutput` keeps its start
 * only and is shown raw.) A line that is not JSON keeps its first `maxString` code units.
 */
class Compactor {
  /** Flat copies of the kept text: slices would pin the 64 KB chunks they came from. */
  private blocks: string[] = [];
  private pending: string[] = [];
  private outLength = 0;
  private mode: 'start' | 'json' | 'text' | 'overflow' = 'start';
  private inString = false;
  /** Past the current string's limit: skipping to its closing quote. */
  private skipping = false;
  /** Code units kept of the current string. */
  private kept = 0;
  /** Escape state in a kept string: 0 none, -1 after a backslash, n hex digits of `\uXXXX` left. */
  private escape = 0;
  /** Backslashes ending the skipped text so far; their parity decides whether a quote is escaped. */
  private backslashes = 0;
  private skippedBytes = 0;

  constructor(
    private readonly maxString: number,
    private readonly maxOutput: number,
  ) {}

  feed(text: string, start: number, end: number): void {
    let i = start;
    if (this.mode === 'start') {
      while (i < end && text.charCodeAt(i) <= 0x20) i++;
      if (i === end) return;
      this.mode = text.charCodeAt(i) === 0x7b /* { */ ? 'json' : 'text';
      i = start;
    }
    if (this.mode !== 'json') {
      const room = this.mode === 'text' ? Math.max(0, this.maxString - this.outLength) : 0;
      const keep = Math.min(end, i + room);
      this.emit(text, i, keep);
      if (keep < end) {
        this.skippedBytes += byteLength(text, keep, end);
        this.mode = 'overflow';
      }
      return;
    }
    while (i < end) {
      if (this.outLength > this.maxOutput) {
        this.mode = 'overflow';
        // From here on the count is of the rest of the line (it continues an unfinished string's).
        if (!this.skipping) this.skippedBytes = 0;
        this.skippedBytes += byteLength(text, i, end);
        return;
      }
      if (!this.inString) i = this.structure(text, i, end);
      else if (!this.skipping) i = this.keepString(text, i, end);
      else i = this.skipString(text, i, end);
    }
  }

  finish(): string {
    if (this.mode === 'overflow' || this.skipping) this.push(`… (${formatBytes(this.skippedBytes)} more)`);
    this.flush();
    return this.blocks.join('');
  }

  /** Copies text outside strings up to and including the next opening quote. */
  private structure(text: string, i: number, end: number): number {
    const quote = text.indexOf('"', i);
    // Stop once the output is full, so a line of numbers cannot grow it unbounded.
    const room = i + this.maxOutput - this.outLength + 1;
    if (quote === -1 || quote >= end || quote >= room) {
      const stop = Math.min(end, room);
      this.emit(text, i, stop);
      return stop;
    }
    this.emit(text, i, quote + 1);
    this.inString = true;
    this.kept = 0;
    this.escape = 0;
    return quote + 1;
  }

  /** Copies string content until the closing quote, or until the limit at a safe cut. */
  private keepString(text: string, i: number, end: number): number {
    let j = i;
    for (; j < end; j++) {
      const c = text.charCodeAt(j);
      if (this.escape === 0) {
        if (c === 0x22 /* " */) {
          this.emit(text, i, j + 1);
          this.inString = false;
          return j + 1;
        }
        // Cut only outside an escape and not before a low surrogate, so the kept text decodes.
        if (this.kept >= this.maxString && (c < 0xdc00 || c > 0xdfff)) {
          this.emit(text, i, j);
          this.skipping = true;
          this.backslashes = 0;
          this.skippedBytes = 0;
          return j;
        }
        if (c === 0x5c /* \ */) this.escape = -1;
      } else if (this.escape === -1) {
        this.escape = c === 0x75 /* u */ ? 4 : 0;
      } else {
        this.escape--;
      }
      this.kept++;
    }
    this.emit(text, i, end);
    return end;
  }

  /** Counts string content up to the closing quote: the next quote after an even backslash run. */
  private skipString(text: string, i: number, end: number): number {
    for (
      let quote = text.indexOf('"', i);
      quote !== -1 && quote < end;
      quote = text.indexOf('"', quote + 1)
    ) {
      let run = 0;
      let k = quote - 1;
      while (k >= i && text.charCodeAt(k) === 0x5c) {
        run++;
        k--;
      }
      if (k < i) run += this.backslashes;
      if (run % 2 === 0) {
        this.skippedBytes += byteLength(text, i, quote);
        this.push(`… (${formatBytes(this.skippedBytes)} more)"`);
        this.skipping = false;
        this.inString = false;
        return quote + 1;
      }
    }
    this.skippedBytes += byteLength(text, i, end);
    let run = 0;
    let k = end - 1;
    while (k >= i && text.charCodeAt(k) === 0x5c) {
      run++;
      k--;
    }
    this.backslashes = k < i ? this.backslashes + run : run;
    return end;
  }

  private emit(text: string, start: number, end: number): void {
    if (end > start) this.push(text.slice(start, end));
  }

  private push(part: string): void {
    this.pending.push(part);
    this.outLength += part.length;
    if (this.pending.length >= 256) this.flush();
  }

  /** Joining copies the slices into one flat string, which lets their chunks be freed. */
  private flush(): void {
    if (this.pending.length > 0) this.blocks.push(this.pending.join(''));
    this.pending = [];
  }
}

/** How a compacted string or line ends; the renderer finds it to report what was left out. */
export const OMITTED_SUFFIX = /… \((\d+(?:\.\d)? [KMG]?B) more\)$/;

function byteLength(text: string, start: number, end: number): number {
  return Buffer.byteLength(text.slice(start, end), 'utf8');
}

/** `512 B`, `12.5 KB`, `19.9 MB`, `1.2 GB` (binary units, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
