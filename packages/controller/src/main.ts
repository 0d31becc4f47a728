#!/usr/bin/env node
import { runMain } from './cmd/main.js';

runMain(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (result) => {
    if (typeof result === 'number') process.exit(result);
    result.handleSignals();
  },
  (err: unknown) => {
    process.stderr.write(`kelos-controller: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
