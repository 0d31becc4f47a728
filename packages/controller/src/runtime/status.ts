import { isConflict } from './kube-client.js';

export interface RetryOptions {
  /** Writes attempted before the conflict is returned to the caller (client-go's DefaultRetry: 5). */
  attempts?: number;
  /** Pause between attempts. */
  backoffMs?: number;
}

/**
 * Read-modify-write under optimistic concurrency, as client-go's RetryOnConflict: each attempt fetches the
 * object afresh, applies `mutate` and writes it; a 409 Conflict (someone wrote in between) starts over.
 * `mutate` returns false when the object already says what it should, and nothing is written.
 * Returns the written object, or the fetched one when nothing had to change.
 */
export async function updateStatusWithRetry<T>(
  fetch: () => Promise<T>,
  mutate: (obj: T) => unknown,
  write: (obj: T) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    const obj = await fetch();
    if (mutate(obj) === false) return obj;
    try {
      return await write(obj);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, backoffMs));
  }
}
