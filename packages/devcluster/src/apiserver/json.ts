/**
 * Whether two JSON values encode the same, key order aside: an undefined property counts as absent and an
 * undefined array item as null, as in JSON.stringify. An update's no-op and generation checks compare whole
 * objects with it, without encoding them.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v ?? null, b[i] ?? null));
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    defined++;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  }
  for (const k of Object.keys(y)) if (y[k] !== undefined) defined--;
  return defined === 0;
}

// Every write stamps a time; within a second they all share one formatting.
let stampedSecond = Number.NaN;
let stamp = '';

/** RFC 3339 with second precision, the form Kubernetes timestamps take. */
export function nowTimestamp(offsetSeconds = 0): string {
  const second = Math.floor((Date.now() + offsetSeconds * 1000) / 1000);
  if (second !== stampedSecond) {
    stamp = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    stampedSecond = second;
  }
  return stamp;
}
