const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true or `deadline` (epoch ms) passes; returns whether it succeeded.
 * Checks once more at the deadline, so a short timeout still gets a final look.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  deadline: number,
  intervalMs: number,
): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(intervalMs, left));
  }
}
