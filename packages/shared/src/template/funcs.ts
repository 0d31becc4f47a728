import { htmlEscape, jsEscape, queryEscape } from './escape.js';
import { sprint, sprintf, sprintln } from './print.js';
import { compareStrings, utf8Bytes, utf8Decode } from './text.js';
import {
  elementAt,
  isGoInt,
  isMap,
  isNil,
  isTrue,
  kindOf,
  mapGet,
  mapKeys,
  NO_VALUE,
  typeName,
} from './values.js';

// The builtin functions of text/template (funcs.go). A thrown Error becomes
// "error calling <name>: <message>", the way Go reports a function's error result.

/**
 * How an argument reaches a function. "value" is Go's reflect.Value parameter, which sees
 * the invalid value; "any" is interface{}, where the invalid value becomes nil; "string"
 * must be a string.
 */
export type ParamType = 'value' | 'any' | 'string';

export interface Signature {
  readonly params: readonly ParamType[];
  /** The type of the variadic parameter, if the function has one. */
  readonly rest?: ParamType;
}

export type Func =
  | (Signature & { readonly kind: 'func'; readonly call: (args: unknown[]) => unknown })
  /** and/or evaluate their arguments lazily, so the evaluator runs them. */
  | (Signature & { readonly kind: 'logic'; readonly or: boolean });

const fn = (params: readonly ParamType[], call: (args: unknown[]) => unknown, rest?: ParamType): Func =>
  rest === undefined ? { kind: 'func', params, call } : { kind: 'func', params, rest, call };

/** An index argument: an int in [0, length]. Go lets slice use length itself; index then fails. */
function indexArg(index: unknown, length: number): number {
  if (isNil(index)) throw new Error('cannot index slice/array with nil');
  if (typeof index !== 'number' || !isGoInt(index)) {
    throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  }
  if (index < 0 || index > length) throw new Error(`index out of range: ${index}`);
  return index;
}

function index([first, ...indexes]: unknown[]): unknown {
  let item = first;
  if (isNil(item)) throw new Error('index of untyped nil');
  for (const key of indexes) {
    if (isNil(item)) throw new Error('index of nil pointer');
    if (Array.isArray(item)) {
      const i = indexArg(key, item.length);
      if (i === item.length) throw new Error('reflect: slice index out of range');
      item = elementAt(item, i);
    } else if (typeof item === 'string') {
      const bytes = utf8Bytes(item);
      const i = indexArg(key, bytes.length);
      if (i === bytes.length) throw new Error('reflect: string index out of range');
      item = bytes[i];
    } else if (isMap(item)) {
      if (isNil(key)) throw new Error('value is nil; should be of type string');
      if (typeof key !== 'string') throw new Error(`value has type ${typeName(key)}; should be string`);
      // A missing key gives the zero value, whatever the missingkey option says.
      item = mapGet(item, key) ?? null;
    } else {
      throw new Error(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice([item, ...indexes]: unknown[]): unknown {
  if (isNil(item)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  if (typeof item !== 'string' && !Array.isArray(item)) {
    throw new Error(`can't slice item of type ${typeName(item)}`);
  }
  if (typeof item === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string');
  // Go slices strings by byte.
  const sequence: Uint8Array | unknown[] = typeof item === 'string' ? utf8Bytes(item) : item;
  const n = sequence.length;
  const [low = 0, high = n, max = n] = indexes.map((i) => indexArg(i, n));
  if (low > high) throw new Error(`invalid slice index: ${low} > ${high}`);
  if (high > max) throw new Error(`invalid slice index: ${high} > ${max}`);
  const part = sequence.slice(low, high);
  return part instanceof Uint8Array ? utf8Decode(part) : part;
}

function length([item]: unknown[]): number {
  // Go's len panics inside reflect on the invalid value; this is the message it then reports.
  if (item === NO_VALUE) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (isNil(item)) throw new Error('len of nil pointer');
  if (typeof item === 'string') return utf8Bytes(item).length;
  if (Array.isArray(item)) return item.length;
  if (isMap(item)) return mapKeys(item).length;
  throw new Error(`len of type ${typeName(item)}`);
}

/** The "call" builtin; the evaluator passes the callee's name (as written) first. */
function call([name, callee, ...args]: unknown[]): unknown {
  if (isNil(callee)) throw new Error('call of nil');
  if (typeof callee !== 'function')
    throw new Error(`non-function ${String(name)} of type ${typeName(callee)}`);
  // The callee's parameters are interface{}: the invalid value arrives as nil.
  return callee(...args.map((arg) => (isNil(arg) ? null : arg)));
}

/** Go compares values of the same basic kind; JS numbers are one kind, whatever Go would call them. */
type BasicKind = 'bool' | 'number' | 'string' | undefined;

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return undefined;
  }
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if (isNil(a) || isNil(b)) return false;
    throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  }
  if (ka !== undefined) return a === b;
  // Neither is a basic value: only nil compares; maps, slices and functions are not comparable.
  if (!isNil(a) && !isNil(b) && kindOf(a) !== kindOf(b)) {
    throw new Error(`non-comparable types ${sprint([a])}: ${typeName(a)}, ${typeName(b)}: ${sprint([b])}`);
  }
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  throw new Error(`non-comparable type ${sprint([b])}: ${typeName(b)}`);
}

function eq([a, ...others]: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  return others.some((b) => equal(a, b));
}

function less([a, b]: unknown[]): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === undefined || kb === undefined) throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b) < 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  // Booleans have no order.
  throw new Error('invalid type for comparison');
}

const lessOrEqual = (args: unknown[]): boolean => less(args) || eq(args);

/** html, js and urlquery print their arguments as print would, except that nil reads <no value>. */
function printArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((arg) => (isNil(arg) ? '<no value>' : arg)));
}

export const BUILTINS: ReadonlyMap<string, Func> = new Map<string, Func>([
  ['and', { kind: 'logic', or: false, params: ['value'], rest: 'value' }],
  ['or', { kind: 'logic', or: true, params: ['value'], rest: 'value' }],
  ['not', fn(['value'], ([v]) => !isTrue(v))],
  ['call', fn(['value'], call, 'value')],
  ['index', fn(['value'], index, 'value')],
  ['slice', fn(['value'], slice, 'value')],
  ['len', fn(['value'], length)],
  ['print', fn([], sprint, 'any')],
  ['printf', fn(['string'], ([format, ...args]) => sprintf(String(format), args), 'any')],
  ['println', fn([], sprintln, 'any')],
  ['html', fn([], (args) => htmlEscape(printArgs(args)), 'any')],
  ['js', fn([], (args) => jsEscape(printArgs(args)), 'any')],
  ['urlquery', fn([], (args) => queryEscape(printArgs(args)), 'any')],
  ['eq', fn(['value'], eq, 'value')],
  ['ne', fn(['value', 'value'], (args) => !eq(args))],
  ['lt', fn(['value', 'value'], less)],
  ['le', fn(['value', 'value'], lessOrEqual)],
  ['gt', fn(['value', 'value'], (args) => !lessOrEqual(args))],
  ['ge', fn(['value', 'value'], (args) => !less(args))],
]);
