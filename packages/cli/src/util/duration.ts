import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A Go duration (`90s`, `1h30m`, `2.5m`, `0`) in milliseconds, or undefined when it is not one: the
 * format of the reference's `--timeout` (cli spec §5.1), kept so habits and scripts carry over.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const pattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNITS[match[2] as string] as number);
    index = pattern.lastIndex;
  }
  return index === 0 ? undefined : total;
}

/** A duration flag in whole seconds, at least `min`. */
export function durationSeconds(flag: string, value: string, min: number): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new UsageError(`invalid ${flag} "${value}": must be a duration such as 90s, 30m or 1h30m`);
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < min) throw new UsageError(`${flag} must be at least ${min}s`);
  return seconds;
}
