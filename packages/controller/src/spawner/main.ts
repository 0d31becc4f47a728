#!/usr/bin/env node
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
  if (flags.oneShot) {
    process.exitCode = await runOneShot(flags);
    return;
  }
  const manager = await startSpawnerLoop(flags);
  manager.handleSignals();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`kelos-spawner: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
