import type { Writable } from 'node:stream';

/**
 * Lines up to this size are always handed over for parsing. Agent events are small except for
 * the odd tool output or file dump, which can be tens of MB and carry nothing usage needs.
 */
export const PARSE_LIMIT = 1024 * 1024;

/**
 * A longer line is kept for parsing only when its `type` (read from the first bytes) is one the
 * extractor needs, e.g. a Claude result whose `result` text is huge, and only up to this size.
 * So memory stays bounded: at most one line of PARSE_LIMIT, or of NEEDED_LINE_LIMIT when it may
 * hold the final result, plus one read chunk. Larger lines are copied through but not parsed.
 */
export const NEEDED_LINE_LIMIT = 64 * 1024 * 1024;

/** How much of a long line is read to find its top-level `type`. */
const HEAD_BYTES = 4096;

/** The first `"type": "<value>"` in a line's head: agents write `type` as their first key. */
const TYPE_FIELD = /"type"\s*:\s*"([^"\\]*)"/;

export interface LineLimits {
  parseLimit: number;
  neededLineLimit: number;
  /** Whether a line whose head names this top-level type must still be parsed when long. */
  isNeededType(type: string): boolean;
}

/**
 * Splits a byte stream into lines for parsing, without holding any line that is too long to be
 * worth it (see the limits above). Lines are handed over as buffers without the newline.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  /** True once the current line was given up on; its remaining bytes are dropped until `\n`. */
  private skipping = false;

  constructor(
    private readonly limits: LineLimits,
    private readonly onLine: (line: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.append(chunk.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** Hands over a last line that had no newline. */
  end(): void {
    if (this.size > 0 || this.skipping) this.endLine();
  }

  private append(bytes: Buffer): void {
    if (this.skipping || bytes.length === 0) return;
    const before = this.size;
    this.parts.push(bytes);
    this.size += bytes.length;
    const { parseLimit, neededLineLimit } = this.limits;
    // Decide once, when the line first grows past the parse limit; a needed line is dropped only
    // if it outgrows the larger limit too.
    if (before <= parseLimit && this.size > parseLimit && !this.isNeededLine()) this.skip();
    else if (this.size > neededLineLimit) this.skip();
  }

  private isNeededLine(): boolean {
    const head = Buffer.concat(this.parts, Math.min(this.size, HEAD_BYTES)).toString('latin1');
    const type = TYPE_FIELD.exec(head)?.[1];
    return type !== undefined && this.limits.isNeededType(type);
  }

  private skip(): void {
    this.parts = [];
    this.size = 0;
    this.skipping = true;
  }

  private endLine(): void {
    if (!this.skipping && this.size > 0) {
      // Chunks arrive as copies that are not reused, so a one-part line needs no copy.
      const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
      this.onLine(line);
    }
    this.parts = [];
    this.size = 0;
    this.skipping = false;
  }
}

export interface CopyResult {
  /** Bytes read from the input. */
  bytes: number;
}

/**
 * Copies `input` to `output` byte for byte as it arrives (so the log shows the agent live),
 * adding a final newline when the input did not end with one, and feeds the same bytes to
 * `onChunk`. Honours backpressure. If the output fails (e.g. its reader went away), copying stops
 * but the input is still read to its end, so the agent is not killed by SIGPIPE and the stream's
 * usage is still counted.
 */
export async function copyStream(
  input: AsyncIterable<Buffer | string>,
  output: Writable,
  onChunk: (chunk: Buffer) => void,
): Promise<CopyResult> {
  let broken = false;
  const onError = () => {
    broken = true;
  };
  output.on('error', onError);
  let bytes = 0;
  let lastByte = 10;
  const write = async (chunk: Buffer) => {
    if (broken) return;
    if (!output.write(chunk)) await drainedOrFailed(output);
  };
  try {
    for await (const raw of input) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      if (chunk.length === 0) continue;
      bytes += chunk.length;
      lastByte = chunk[chunk.length - 1] as number;
      onChunk(chunk);
      await write(chunk);
    }
    if (lastByte !== 10) await write(Buffer.from('\n'));
  } finally {
    output.off('error', onError);
  }
  return { bytes };
}

/** Resolves on `drain`, or on `error` (which the caller's own listener records). */
function drainedOrFailed(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('error', done);
      resolve();
    };
    output.on('drain', done);
    output.on('error', done);
  });
}
