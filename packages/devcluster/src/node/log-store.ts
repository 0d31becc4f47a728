import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Container logs in the CRI log format the kubelet reads (`<RFC3339Nano> <stream> <P|F> <text>`):
 * one file per container attempt, so `previous` is just the file of the attempt before. Lines
 * are cut into records of at most MAX_RECORD bytes tagged P (partial) and reassembled on read,
 * which keeps memory bounded however long a line is.
 */
const MAX_RECORD = 16 * 1024;
const READ_CHUNK = 64 * 1024;

const epochNs = BigInt(Date.now()) * 1_000_000n;
const hrStart = process.hrtime.bigint();

/** Wall-clock time with nanosecond digits, formatted like Go's time.RFC3339Nano (trailing zeros trimmed). */
export function rfc3339Nano(ns: bigint = epochNs + (process.hrtime.bigint() - hrStart)): string {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

export type LogStream = 'stdout' | 'stderr';

/** The log of one container attempt: written by the runtime, read (and followed) by readers. */
export class ContainerLog {
  private fd: number | undefined;
  private readonly partial: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  private version = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  /** Synchronous appends keep records whole and ordered across both streams. */
  write(stream: LogStream, chunk: Buffer): void {
    if (this.fd === undefined) return;
    const records: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.partial[stream].push(chunk.subarray(start, nl));
      records.push(...this.records(stream, Buffer.concat(this.partial[stream]), 'F'));
      this.partial[stream] = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.partial[stream].push(chunk.subarray(start));
    const pending = Buffer.concat(this.partial[stream]);
    if (pending.length >= MAX_RECORD) {
      const whole = pending.length - (pending.length % MAX_RECORD);
      records.push(...this.records(stream, pending.subarray(0, whole), 'P'));
      this.partial[stream] = [pending.subarray(whole)];
    }
    this.append(records);
  }

  /** Flushes unterminated output as a partial record (so no newline is invented) and ends followers. */
  close(): void {
    if (this.fd === undefined) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = Buffer.concat(this.partial[stream]);
      if (rest.length > 0) this.append(this.records(stream, rest, 'P'));
    }
    closeSync(this.fd);
    this.fd = undefined;
    this.notify();
  }

  /** Resolves once the log grew or closed after `version` was observed (or on abort). */
  changedSince(version: number, signal?: AbortSignal): Promise<void> {
    if (version !== this.version || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  get currentVersion(): number {
    return this.version;
  }

  private records(stream: LogStream, line: Buffer, lastTag: 'P' | 'F'): Buffer[] {
    const out: Buffer[] = [];
    let offset = 0;
    do {
      const piece = line.subarray(offset, offset + MAX_RECORD);
      offset += piece.length;
      const tag = offset < line.length ? 'P' : lastTag;
      out.push(Buffer.from(`${rfc3339Nano()} ${stream} ${tag} `), piece, Buffer.from('\n'));
    } while (offset < line.length);
    return out;
  }

  private append(parts: Buffer[]): void {
    if (parts.length === 0 || this.fd === undefined) return;
    writeSync(this.fd, Buffer.concat(parts));
    this.notify();
  }

  private notify(): void {
    this.version++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

interface LogRecord {
  timestamp: string;
  partial: boolean;
  content: Buffer;
}

function parseRecord(line: Buffer): LogRecord | undefined {
  const s1 = line.indexOf(32);
  const s2 = line.indexOf(32, s1 + 1);
  const s3 = line.indexOf(32, s2 + 1);
  if (s1 < 0 || s2 < 0 || s3 < 0) return undefined;
  return {
    timestamp: line.subarray(0, s1).toString(),
    partial: line.subarray(s2 + 1, s3).toString() === 'P',
    content: line.subarray(s3 + 1),
  };
}

/** Yields each complete record line (without '\n') between byte offsets, with its start offset. */
async function* records(path: string, from: number, to = Number.POSITIVE_INFINITY) {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(READ_CHUNK);
    let pending: Buffer = Buffer.alloc(0);
    let pos = from;
    while (pos < to) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, to - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      pending = Buffer.concat([pending, buf.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = pending.indexOf(10); nl !== -1; nl = pending.indexOf(10, start)) {
        yield {
          line: pending.subarray(start, nl),
          offset: pos - pending.length + start,
          end: pos - pending.length + nl + 1,
        };
        start = nl + 1;
      }
      pending = pending.subarray(start);
    }
  } finally {
    await fh.close();
  }
}

/** Byte offset where the last `n` lines of the file start. */
async function tailOffset(path: string, n: number): Promise<number> {
  const { size } = await stat(path);
  if (n <= 0) return size;
  const starts: number[] = [];
  let lineStart = 0;
  for await (const r of records(path, 0, size)) {
    if (r.offset === lineStart) {
      starts.push(lineStart);
      if (starts.length > n) starts.shift();
    }
    if (!parseRecord(r.line)?.partial) lineStart = r.end;
  }
  return starts[0] ?? size;
}

/**
 * Reads a container log the way `kubectl logs` sees it. With `follow`, keeps reading as the log
 * grows until the attempt ends (the log is closed) or `signal` aborts.
 */
export async function* readContainerLog(
  log: ContainerLog,
  opts: LogOptions,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const sinceMs =
    opts.sinceSeconds !== undefined
      ? Date.now() - opts.sinceSeconds * 1000
      : opts.sinceTime
        ? Date.parse(opts.sinceTime)
        : undefined;
  let remaining = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  let pos = opts.tailLines !== undefined ? await tailOffset(log.path, opts.tailLines) : 0;
  let atLineStart = true;
  let skipping = false;
  while (!signal?.aborted && remaining > 0) {
    const version = log.currentVersion;
    const wasClosed = log.closed;
    let out: Buffer[] = [];
    let outLen = 0;
    for await (const r of records(log.path, pos)) {
      pos = r.end;
      const rec = parseRecord(r.line);
      if (!rec) continue;
      if (atLineStart) skipping = sinceMs !== undefined && Date.parse(rec.timestamp) < sinceMs;
      if (!skipping) {
        if (opts.timestamps && atLineStart) out.push(Buffer.from(`${rec.timestamp} `));
        out.push(rec.content);
        if (!rec.partial) out.push(Buffer.from('\n'));
        outLen += rec.content.length + 40;
      }
      atLineStart = !rec.partial;
      if (outLen >= READ_CHUNK) {
        const chunk = limit(Buffer.concat(out), remaining);
        remaining -= chunk.length;
        yield chunk;
        out = [];
        outLen = 0;
        if (remaining <= 0 || signal?.aborted) return;
      }
    }
    if (out.length > 0) {
      const chunk = limit(Buffer.concat(out), remaining);
      remaining -= chunk.length;
      yield chunk;
    }
    if (!opts.follow || wasClosed) return;
    await log.changedSince(version, signal);
  }
}

function limit(buf: Buffer, remaining: number): Buffer {
  return buf.length > remaining ? buf.subarray(0, remaining) : buf;
}
