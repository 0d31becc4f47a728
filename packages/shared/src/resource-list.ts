/**
 * Kubernetes resource lists in the flag syntax `cpu=250m,memory=512Mi`: parsed by the controller and
 * checked by `kelos install` before it forwards them, so both accept exactly the same text.
 */

/** Requests or limits: resource name → Kubernetes quantity, e.g. `{ cpu: '250m', memory: '512Mi' }`. */
export type ResourceList = Record<string, string>;

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY_POWERS: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENTS: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/**
 * A quantity's value in nano-units, exactly (BigInt), so that `0.5` and `500m` or `1Gi` and `1024Mi`
 * compare equal: the API server rewrites quantities into canonical form, and a textual comparison would
 * see drift on every reconcile. Below a nano-unit it rounds up, as Kubernetes does. Undefined when
 * `text` is not a non-negative quantity.
 */
export function quantityNanos(text: string): bigint | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match?.[1]) return undefined;
  const [whole = '', fraction = ''] = match[1].split('.');
  const suffix = match[2] ?? '';
  let digits = BigInt(`${whole}${fraction}` || '0');
  let exponent = 9 - fraction.length;
  const binary = BINARY_POWERS[suffix];
  if (binary !== undefined) digits *= 1024n ** BigInt(binary);
  else if (/^[eE]/.test(suffix)) exponent += Number(suffix.slice(1));
  else if (suffix) exponent += DECIMAL_EXPONENTS[suffix] ?? 0;
  if (exponent >= 0) return digits * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return (digits + divisor - 1n) / divisor;
}

/**
 * Parses `cpu=250m,memory=512Mi` (the `--spawner-resource-requests/limits` syntax of the controller and
 * of `kelos install`, api-controller §2, cli §4.1). Empty
 * text is no list. Throws on an entry that is not `name=quantity`.
 */
export function parseResourceList(text: string): ResourceList | undefined {
  const list: ResourceList = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq).trim();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!name || !value) throw new Error(`invalid resource entry "${entry}": expected name=quantity`);
    if (quantityNanos(value) === undefined) {
      throw new Error(`invalid quantity "${value}" for ${name}: expected e.g. 250m, 1.5, 512Mi or 1G`);
    }
    list[name] = value;
  }
  return Object.keys(list).length > 0 ? list : undefined;
}
