import { parseGoDuration } from '../duration.js';
import type { TaskSpawner } from '../schema/taskspawner.js';
import { githubSourceConfig } from './source-config.js';

export { parseGoDuration };

/** The poll interval when none is set or the one set cannot be read (§10.2). */
export const DEFAULT_POLL_INTERVAL_MS = 5 * 60_000;

/**
 * A pollInterval as the spawner reads it: a Go duration, else a whole number of seconds, else the 5 minute
 * default. A zero or negative interval would mean "never poll again" (controller-runtime ignores a
 * non-positive RequeueAfter); it falls back to the default instead.
 */
export function parsePollInterval(text: string | undefined): number {
  if (!text) return DEFAULT_POLL_INTERVAL_MS;
  const ms = parseGoDuration(text) ?? (/^[-+]?\d+$/.test(text) ? Number(text) * 1000 : undefined);
  return ms !== undefined && ms > 0 ? ms : DEFAULT_POLL_INTERVAL_MS;
}

/** The source's pollInterval, else the (deprecated) spec.pollInterval, else 5 minutes (§10.2, v1alpha1 era). */
export function spawnerPollIntervalMs(spawner: TaskSpawner): number {
  return parsePollInterval(githubSourceConfig(spawner)?.pollInterval || spawner.spec.pollInterval);
}
