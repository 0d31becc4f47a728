import {
  type CelFunc,
  type CelInput,
  type CelList,
  type CelMap,
  CelScalar,
  type CelValue,
  celEnv,
  celFunc,
  celList,
  celMap,
  celMethod,
  isCelList,
  isCelMap,
  listType,
  mapType,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { isUnorderedList } from './cel-value.js';

/**
 * The parts of the Kubernetes CEL environment @bufbuild/cel lacks: the lists, regex and sets
 * libraries, optionals for `optionalOldSelf`, and equality that ignores the order of set and map lists.
 */

const { BOOL, DYN, INT, STRING } = CelScalar;
const LIST = listType(DYN);
const MAP = mapType(DYN, DYN);

const standardEquals = celEnv().funcs.find('_==_');

function sameSequence(a: CelList, b: CelList): boolean {
  if (a.size !== b.size) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.get(i);
    const y = b.get(i);
    if (x === undefined || y === undefined || !celEquals(x, y)) return false;
  }
  return true;
}

function samePermutation(a: CelList, b: CelList): boolean {
  if (a.size !== b.size) return false;
  const unmatched = [...b];
  for (const x of a) {
    const i = unmatched.findIndex((y) => celEquals(x, y));
    if (i < 0) return false;
    unmatched.splice(i, 1);
  }
  return true;
}

function sameMap(a: CelMap, b: CelMap): boolean {
  if (a.size !== b.size) return false;
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y === undefined || !celEquals(x, y)) return false;
  }
  return true;
}

function celEquals(a: CelValue, b: CelValue): boolean {
  if (isCelList(a) && isCelList(b)) {
    return isUnorderedList(a) || isUnorderedList(b) ? samePermutation(a, b) : sameSequence(a, b);
  }
  if (isCelMap(a) && isCelMap(b)) return sameMap(a, b);
  return standardEquals?.call(0, undefined, [a, b]) === true;
}

function compare(a: CelValue, b: CelValue): number {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : Math.sign(Number(a) - Number(b));
  }
  if (
    (typeof a === 'string' && typeof b === 'string') ||
    (typeof a === 'boolean' && typeof b === 'boolean')
  ) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new Error('no such overload');
}

function extreme(list: CelList, name: string, better: (c: number) => boolean): CelInput {
  let best: CelValue | undefined;
  for (const v of list) if (best === undefined || better(compare(v, best))) best = v;
  if (best === undefined) throw new Error(`${name} called on empty list`);
  return best as CelInput;
}

function indexOf(list: CelList, value: CelValue, fromEnd: boolean): bigint {
  const values = [...list];
  const matches = (v: CelValue) => celEquals(v, value);
  return BigInt(fromEnd ? values.findLastIndex(matches) : values.findIndex(matches));
}

/** k8s.io/apiserver/pkg/cel/library lists.go */
const lists = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    const values = [...this];
    return values.every((v, i) => i === 0 || compare(values[i - 1] as CelValue, v) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    let total: CelValue = 0n;
    for (const v of this) {
      if (typeof v === 'bigint' && typeof total === 'bigint') total += v;
      else if (typeof v === 'bigint' || typeof v === 'number') total = Number(total) + Number(v);
      else throw new Error('no such overload');
    }
    return total as CelInput;
  }),
  celMethod('min', LIST, [], DYN, function () {
    return extreme(this, 'min', (c) => c < 0);
  }),
  celMethod('max', LIST, [], DYN, function () {
    return extreme(this, 'max', (c) => c > 0);
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (value) {
    return indexOf(this, value, false);
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (value) {
    return indexOf(this, value, true);
  }),
];

const regexCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'gu');
    regexCache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function findAll(s: string, pattern: string, limit: bigint): CelInput {
  const found: string[] = [];
  for (const m of s.matchAll(regex(pattern))) {
    if (limit >= 0n && BigInt(found.length) >= limit) break;
    found.push(m[0]);
  }
  return celList(found);
}

/** k8s.io/apiserver/pkg/cel/library regex.go */
const regexes = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return regex(pattern).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], LIST, function (pattern) {
    return findAll(this, pattern, -1n);
  }),
  celMethod('findAll', STRING, [STRING, INT], LIST, function (pattern, limit) {
    return findAll(this, pattern, limit);
  }),
];

const contains = (list: CelList, value: CelValue) => [...list].some((v) => celEquals(v, value));

/** cel-go ext.Sets */
const sets = [
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => [...b].every((v) => contains(a, v))),
  celFunc(
    'sets.equivalent',
    [LIST, LIST],
    BOOL,
    (a, b) => [...b].every((v) => contains(a, v)) && [...a].every((v) => contains(b, v)),
  ),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => [...b].some((v) => contains(a, v))),
];

// An optional is a map under a key no JSON object produced by a client has.
const PRESENT = '\u0000optional';
const VALUE = '\u0000value';

export function optionalOf(value: CelInput): CelMap {
  return celMap(
    new Map<string, CelInput>([
      [PRESENT, true],
      [VALUE, value],
    ]),
  );
}

export const optionalNone: CelMap = celMap(new Map<string, CelInput>([[PRESENT, false]]));

function optional(target: CelMap): { present: boolean; value: CelValue | undefined } {
  const present = target.get(PRESENT);
  if (typeof present !== 'boolean') throw new Error('no such overload');
  return { present, value: target.get(VALUE) };
}

/** The optional values of cel-go, enough for `oldSelf.hasValue()`, `value()` and `orValue()`. */
const optionals = [
  celFunc('optional.of', [DYN], MAP, (v) => optionalOf(v as CelInput)),
  celFunc('optional.none', [], MAP, () => optionalNone),
  celMethod('hasValue', MAP, [], BOOL, function () {
    return optional(this).present;
  }),
  celMethod('value', MAP, [], DYN, function () {
    const { present, value } = optional(this);
    if (!present) throw new Error('optional.none() dereference');
    return value as CelInput;
  }),
  celMethod('orValue', MAP, [DYN], DYN, function (fallback) {
    const { present, value } = optional(this);
    return (present ? value : fallback) as CelInput;
  }),
];

const equality = [
  celFunc('_==_', [DYN, DYN], BOOL, celEquals),
  celFunc('_!=_', [DYN, DYN], BOOL, (a, b) => !celEquals(a, b)),
];

export const kubernetesCelFunctions: CelFunc[] = [
  ...strings,
  ...lists,
  ...regexes,
  ...sets,
  ...optionals,
  ...equality,
];
