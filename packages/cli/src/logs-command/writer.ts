import type { Channel } from '../logs/index.js';

const FLUSH_AT = 64 * 1024;

/**
 * Buffers rendered output, and writes it in order: a switch of channel first flushes what the other
 * channel holds, so stdout and stderr lines interleave as rendered on a terminal. Flushes on the next
 * turn of the event loop, at 64 KiB, and on `flush()`; waits for stdout to drain (backpressure).
 */
export class OrderedWriter {
  private pending = '';
  private channel: Channel = 'stdout';
  private scheduled = false;

  readonly write = (text: string, channel: Channel): void => {
    if (text === '') return;
    if (channel !== this.channel) {
      this.flushNow();
      this.channel = channel;
    }
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flushNow();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flushNow();
      });
    }
  };

  /** Writes raw bytes to stdout, in order with the text before them. */
  writeBytes(chunk: Uint8Array): void {
    this.flushNow();
    this.channel = 'stdout';
    process.stdout.write(chunk);
  }

  flushNow(): void {
    if (this.pending === '') return;
    const stream = this.channel === 'stdout' ? process.stdout : process.stderr;
    stream.write(this.pending);
    this.pending = '';
  }

  /** Flushes, then resolves once stdout has taken it all (so the caller can apply backpressure). */
  async drain(): Promise<void> {
    this.flushNow();
    if (process.stdout.writableNeedDrain) {
      await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    }
  }
}
