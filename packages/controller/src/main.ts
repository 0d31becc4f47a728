#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=25 --interrupt-budget=8192
// These V8 flags (the image's ENTRYPOINT passes the same, see packages/controller/Dockerfile) keep the
// resident set close to what is live. By default the young generation grows to 2 × 16 MB while the
// modules load (client-node alone is ~15 MB of source) and stays resident, and after a burst of Tasks the
// old generation may stay at several times its live size. Capped at 2 × 4 MB and at 25% above what is
// live, the controller holds 10,000 Tasks and their Jobs in about 140 MB instead of 175
// (bench/controller.bench.mjs), at the cost of more frequent, smaller collections.
// An eighth of V8's default interrupt budget (66 kB of bytecode on Node 20) makes the reconcile path
// reach optimized code sooner. A controller meets its busiest moments cold: on start or leader failover
// every Task is reconciled at once. In the benchmark's burst of 1,000 new Tasks the controller's CPU per
// Task went from 1.30–1.34 ms (default) to 1.13–1.18 ms (a quarter) and 1.02–1.07 ms (an eighth), the ratio
// to the raw create rate from 0.36–0.38 to 0.38–0.42 and 0.40–0.42 (four interleaved runs). It costs a few
// MB of optimized code; once warm it makes no difference.
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
