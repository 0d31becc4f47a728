import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from '../src/runtime/work-queue.js';

/** Takes whatever get() can hand out right now. */
async function drain(q: WorkQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.length > 0) {
    const key = await q.get();
    if (key !== undefined) out.push(key);
  }
  return out;
}

describe('WorkQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands out a key added several times before a worker takes it once, in FIFO order', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await drain(q)).toEqual(['a', 'b']);
  });

  it('never hands a key to two workers: a re-add while processing waits for done()', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    expect(first).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => {
      second = k;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done('a');
    await Promise.resolve();
    expect(second).toBe('a');
    q.done('a');
    expect(q.length).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue();
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
  });

  it('retries with per-key exponential backoff, capped, and forget() resets it', async () => {
    const q = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 40 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = Date.now();
      q.addRateLimited('k');
      const key = q.get();
      await vi.advanceTimersToNextTimerAsync();
      expect(await key).toBe('k');
      delays.push(Date.now() - start);
      q.done('k');
    }
    expect(delays).toEqual([5, 10, 20, 40, 40]);
    expect(q.numRequeues('k')).toBe(5);
    expect(q.numRequeues('other')).toBe(0);
    q.forget('k');
    const start = Date.now();
    q.addRateLimited('k');
    await vi.advanceTimersToNextTimerAsync();
    expect(await q.get()).toBe('k');
    expect(Date.now() - start).toBe(5);
  });

  it('addAfter delays a key, keeps the earliest of several delays and adds at once for 0', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    await vi.advanceTimersByTimeAsync(49);
    expect(q.length).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await drain(q)).toEqual(['a']);
    q.done('a');
    await vi.advanceTimersByTimeAsync(500);
    expect(q.length).toBe(0);
    q.addAfter('b', 0);
    expect(q.length).toBe(1);
  });

  it('shutdown() stops handing out keys and resolves once the in-flight keys are done', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    const inFlight = await q.get();
    expect(inFlight).toBe('a');
    const idle = q.get();
    q.done('a');
    expect(await idle).toBe('b');
    let drained = false;
    const stopping = q.shutdown().then(() => {
      drained = true;
    });
    expect(await q.get()).toBeUndefined();
    q.add('d');
    await vi.advanceTimersByTimeAsync(20);
    expect(q.length).toBe(0);
    expect(drained).toBe(false);
    q.done('b');
    await stopping;
    expect(drained).toBe(true);
  });

  it('releases workers blocked in get() on shutdown', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    await q.shutdown();
    expect(await waiting).toBeUndefined();
    expect(q.isShuttingDown).toBe(true);
  });
});
