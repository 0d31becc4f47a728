import { vi } from 'vitest';

/**
 * Polls until `check` returns something other than undefined/false (an error thrown counts as not yet),
 * or fails after `timeoutMs` with the last error: vitest's `vi.waitFor`, which needs a throw to retry.
 * A file of its own, so that the controller's test helpers share it without loading the API server's.
 */
export function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  what = 'condition',
  intervalMs = 20,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await check();
      if (value === undefined || value === false) throw new Error(`${what} not met within ${timeoutMs} ms`);
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
