import { compareStrings } from './text.js';

// How plain JS data stands in for Go values. Objects are map[string]interface{}, arrays are
// []interface{}, integral numbers are int and other numbers float64, null and undefined are
// a nil interface. Go also has the "invalid" reflect.Value, which text/template produces for
// a missing map key or nil data and prints as <no value>; NO_VALUE represents it.

export const NO_VALUE: unique symbol = Symbol('no value');

export type GoMap = Record<string, unknown>;

export type Kind =
  | 'invalid'
  | 'nil'
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'slice'
  | 'map'
  | 'func'
  | 'other';

/** Integral numbers print as Go ints, but only within int64. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

export function kindOf(v: unknown): Kind {
  if (v === NO_VALUE) return 'invalid';
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return isGoInt(v) ? 'int' : 'float';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
    case 'object':
      return Array.isArray(v) ? 'slice' : 'map';
    default:
      return 'other';
  }
}

export function isMap(v: unknown): v is GoMap {
  return kindOf(v) === 'map';
}

/** The Go type name used in messages such as "can't evaluate field X in type string". */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
      return 'invalid';
    case 'nil':
      return 'interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func(...interface {}) interface {}';
    case 'other':
      return typeof v;
  }
}

/** A map entry; a key whose value is undefined is treated as absent, as JSON would drop it. */
export function mapGet(m: GoMap, key: string): unknown {
  return Object.hasOwn(m, key) ? m[key] : undefined;
}

/** Go iterates and prints maps in sorted key order. */
export function mapKeys(m: GoMap): string[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .sort(compareStrings);
}

export function elementAt(slice: readonly unknown[], i: number): unknown {
  return slice[i] ?? null;
}

/** Both a nil interface and the invalid value are nil to functions such as index and len. */
export function isNil(v: unknown): boolean {
  return v === null || v === undefined || v === NO_VALUE;
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false. */
export function isTrue(v: unknown): boolean {
  if (isNil(v)) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).some((k) => v[k] !== undefined);
  return true;
}
