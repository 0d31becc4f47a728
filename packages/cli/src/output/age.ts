import { humanDuration } from '@kelos/shared/duration';

export { humanDuration };

/** The age of an object from its RFC 3339 creation timestamp; `<unknown>` without one, like kubectl. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}
