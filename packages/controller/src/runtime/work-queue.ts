import { metrics } from './metrics.js';

export interface WorkQueueOptions {
  /** Label of the workqueue_* metrics; without it the queue records none. */
  name?: string;
  /** First retry delay of a failing key; doubles on each further failure. */
  baseDelayMs?: number;
  /** Ceiling of the per-key retry delay. */
  maxDelayMs?: number;
}

interface Delayed {
  readyAt: number;
  timer: NodeJS.Timeout;
}

/**
 * The work queue of a controller, with client-go's semantics:
 * - a key queued several times before a worker takes it is processed once (de-duplication);
 * - a key is never handed to two workers at once: adding it while it is processed marks it dirty, and it is
 *   queued again only when the worker calls `done`, so the reconcile sees the latest state;
 * - `addRateLimited` retries with a per-key exponential backoff that `forget` resets;
 * - `shutdown` stops handing out work and waits for the keys being processed.
 */
export class WorkQueue {
  readonly name: string | undefined;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name;
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.name !== undefined) metrics.workqueueAdds.inc({ name: this.name });
    // A key being processed goes back to the queue in done(), never to a second worker now.
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** Adds the key once `ms` have passed; of several pending delays for a key the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending) {
      if (pending.readyAt <= readyAt) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { readyAt, timer });
  }

  /** Re-adds a key after its next backoff delay: baseDelayMs · 2^failures, capped at maxDelayMs. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    if (this.name !== undefined) metrics.workqueueRetries.inc({ name: this.name });
    this.addAfter(key, Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs));
  }

  /** Ends the backoff of a key, after it was processed successfully. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, or undefined once the queue shuts down. Pair every key with done(). */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.queue.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops handing out keys (queued and delayed ones are dropped) and resolves once in-flight keys are done. */
  shutdown(): Promise<void> {
    if (!this.shuttingDown) {
      this.shuttingDown = true;
      for (const d of this.delayed.values()) clearTimeout(d.timer);
      this.delayed.clear();
      this.queue.length = 0;
      this.dirty.clear();
      this.recordDepth();
      for (const w of this.waiters.splice(0)) w(undefined);
    }
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private take(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    this.recordDepth();
    return key;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const waiter = this.waiters.shift();
      waiter?.(this.take());
    }
    this.recordDepth();
  }

  private recordDepth(): void {
    if (this.name !== undefined) metrics.workqueueDepth.set({ name: this.name }, this.queue.length);
  }
}
