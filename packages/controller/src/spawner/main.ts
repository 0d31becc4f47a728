#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=25
// The controller's V8 flags (src/main.ts says why; the image's ENTRYPOINT passes the same): one spawner
// runs per TaskSpawner, and with 1,000 Tasks they take its resident set from about 230 MB to 135 MB
// (bench/spawner.bench.mjs).
import { UsageError } from '../cmd/controller-flags.js';
import { runOneShot, startSpawnerLoop } from './run-spawner.js';
import { parseSpawnerFlags, SPAWNER_USAGE } from './spawner-flags.js';

/** The kelos-spawner command (spec §10): exit 2 on bad flags, as Go's flag package does. */
async function main(argv: readonly string[]): Promise<void> {
  let flags: ReturnType<typeof parseSpawnerFlags>;
  try {
    flags = parseSpawnerFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`kelos-spawner: ${err.message}\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(SPAWNER_USAGE);
    return;
  }
  // A shutdown must not wait for a GitHub rate-limit pause: abort it, and the cycle in flight fails fast.
  const shutdown = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => shutdown.abort());
  if (flags.oneShot) {
    process.exitCode = await runOneShot(flags, { signal: shutdown.signal });
    return;
  }
  const manager = await startSpawnerLoop(flags, { signal: shutdown.signal });
  manager.handleSignals();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`kelos-spawner: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
