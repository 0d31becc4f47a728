import { isConflict } from './kube-client.js';

export interface RetryOptions<T = unknown> {
  /**
   * The object as last seen (from the cache, or a write's response): the first attempt modifies and writes
   * it without reading, as controller-runtime's cached client does; a conflict reads afresh. It is handed
   * to `mutate`, so pass a copy of anything shared (never a cached object itself).
   */
  start?: T;
  /** Writes attempted before the conflict is returned to the caller (client-go's DefaultRetry: 5). */
  attempts?: number;
  /** Pause between attempts. */
  backoffMs?: number;
}

/**
 * Read-modify-write under optimistic concurrency, as client-go's RetryOnConflict: each attempt takes the
 * object (`options.start` first, then fetched afresh), applies `mutate` and writes it; a 409 Conflict
 * (someone wrote in between, or the start was stale) starts over with a fresh read. `mutate` returns false
 * when the object already says what it should, and nothing is written.
 * Returns the written object, or the one read when nothing had to change.
 */
export async function updateStatusWithRetry<T>(
  fetch: () => Promise<T>,
  mutate: (obj: T) => unknown,
  write: (obj: T) => Promise<T>,
  options: RetryOptions<T> = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    const fromStart = attempt === 1 && options.start !== undefined;
    const obj = fromStart ? (options.start as T) : await fetch();
    if (mutate(obj) === false) return obj;
    try {
      return await write(obj);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
    }
    // A stale start only needs a fresh read; a conflict on a fresh read means another writer is busy.
    if (!fromStart) await new Promise((resolve) => setTimeout(resolve, backoffMs));
  }
}
