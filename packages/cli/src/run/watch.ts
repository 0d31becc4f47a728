import { CliError } from '../errors.js';
import { isNotFound } from '../kube/errors.js';
import type { KelosClient } from '../kube/kelos.js';

/** The reference's polling interval (cli spec §5.2 step 9). */
const POLL_MS = 2000;

export interface WatchOptions {
  /** Give up waiting after this long (the Task keeps running); no limit when undefined. */
  timeoutMs?: number;
  /** The user's spelling of the timeout, for the message. */
  timeoutText?: string;
  onPhase(phase: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows a Task until it finishes: resolves when it Succeeded, throws when it Failed (so `run -w`
 * exits 1, spec README bug 9), was deleted, or the wait timed out.
 */
export async function watchTask(
  kelos: KelosClient,
  namespace: string,
  name: string,
  options: WatchOptions,
): Promise<void> {
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    let phase = '';
    let message = '';
    try {
      const task = await kelos.get('Task', namespace, name);
      phase = task.status?.phase ?? '';
      message = task.status?.message ?? '';
    } catch (err) {
      if (isNotFound(err)) throw new CliError(`task ${name} was deleted while being watched`);
      throw err;
    }
    if (phase && phase !== last) {
      last = phase;
      options.onPhase(phase);
    }
    if (phase === 'Succeeded') return;
    if (phase === 'Failed') {
      throw new CliError(
        message ? `task ${name} failed: ${message}` : `task ${name} failed`,
        `Run 'kelos logs ${name}' to view agent output, or 'kelos get tasks ${name} -d' for details.`,
      );
    }
    if (deadline !== undefined && Date.now() >= deadline) {
      throw new CliError(
        `timed out after ${options.timeoutText} waiting for task ${name} (phase: ${phase || 'none yet'})`,
        `The task keeps running; check on it with 'kelos get tasks ${name}'.`,
      );
    }
    // A last look exactly at the deadline, rather than giving up up to a poll interval early.
    await sleep(deadline === undefined ? POLL_MS : Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
