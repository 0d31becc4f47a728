#!/usr/bin/env node
/**
 * `/kelos/kelos-capture`: used as `agent … | /kelos/kelos-capture` by the agent images' entrypoints
 * (spec §6.2, §12.1). The exit code is kelos-capture's own verdict; entrypoints decide whether it
 * counts (claude-code's does when the agent itself exited 0).
 */
import { runCapture } from './capture.js';
import { commandRunner } from './probes.js';

process.exitCode = await runCapture({
  input: process.stdin,
  output: process.stdout,
  errors: process.stderr,
  env: process.env,
  run: commandRunner(process.cwd()),
});
