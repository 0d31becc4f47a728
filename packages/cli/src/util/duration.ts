import { parseGoDuration } from '@kelos/shared/duration';
import { UsageError } from '../errors.js';

/** A duration flag in whole seconds, at least `min`. */
export function durationSeconds(flag: string, value: string, min: number): number {
  // A Go duration, the format of the reference's `--timeout` (cli spec §5.1), so habits and scripts carry
  // over; a negative one falls under `min`.
  const ms = parseGoDuration(value);
  if (ms === undefined) {
    throw new UsageError(`invalid ${flag} "${value}": must be a duration such as 90s, 30m or 1h30m`);
  }
  const seconds = Math.floor(ms / 1000);
  if (seconds < min) throw new UsageError(`${flag} must be at least ${min}s`);
  return seconds;
}
