import type { TaskSpawner } from '../schema/taskspawner.js';
import { githubSourceConfig } from './source-config.js';

/** The poll interval when none is set or the one set cannot be read (§10.2). */
export const DEFAULT_POLL_INTERVAL_MS = 5 * 60_000;

const UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go `time.ParseDuration` string (`90s`, `1h30m`, `1.5m`, `0`, `-2m`) in milliseconds, or undefined. */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([-+]?)(.*)$/.exec(text) as RegExpExecArray;
  const sign = match[1] === '-' ? -1 : 1;
  const rest = match[2] ?? '';
  if (rest === '0') return 0;
  const pattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < rest.length) {
    pattern.lastIndex = index;
    const unit = pattern.exec(rest);
    if (!unit) return undefined;
    total += Number(unit[1]) * (UNITS_MS[unit[2] as string] as number);
    index = pattern.lastIndex;
  }
  return index === 0 ? undefined : sign * total;
}

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
