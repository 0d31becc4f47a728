/**
 * A controller's queue of object keys (`namespace/name`): a key added several times before it is processed
 * is processed once, and a key can be scheduled for later (requeueAfterSeconds, retries after errors).
 *
 * Processing happens on a later macrotask, not in the watch handler that added the key: the burst of watch
 * events one write causes (a Job's pod created, then its status) collapses into one pass.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly later = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(private readonly process: (key: string) => void) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.scheduled ??= setImmediate(() => this.drain());
  }

  /** Adds the key after `ms`; an earlier schedule for the same key wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const at = Date.now() + ms;
    const current = this.later.get(key);
    if (current && current.at <= at) return;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => {
      this.later.delete(key);
      this.add(key);
    }, ms);
    this.later.set(key, { at, timer });
  }

  /** Drops scheduled work for a key whose object is gone. */
  forget(key: string): void {
    const current = this.later.get(key);
    if (current) clearTimeout(current.timer);
    this.later.delete(key);
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    for (const { timer } of this.later.values()) clearTimeout(timer);
    this.later.clear();
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      this.process(key);
    }
  }
}
