import { quote, utf8Bytes, utf8Decode } from './text.js';

// Go literal syntax, following strconv.Unquote, strconv.UnquoteChar and parse.newNumber.
// Errors carry Go's messages; the parser prefixes them with the position.

const SYNTAX = 'invalid syntax';

export interface NumberValue {
  readonly value: number;
  /** "uint" is an integer that only fits uint64: Go rejects it when it is evaluated. */
  readonly kind: 'int' | 'uint' | 'float';
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['a', 7],
  ['b', 8],
  ['f', 12],
  ['n', 10],
  ['r', 13],
  ['t', 9],
  ['v', 11],
  ['\\', 92],
]);

interface Escape {
  readonly value: number;
  /** \x and octal escapes denote a byte, not a code point. */
  readonly isByte: boolean;
  readonly next: number;
}

/** Decodes the character at s[i] of a literal quoted with `q`. */
function unquoteChar(s: string, i: number, q: string): Escape {
  const c = s[i];
  if (c === undefined || c === q) throw new Error(SYNTAX);
  if (c !== '\\') {
    const cp = s.codePointAt(i) ?? 0;
    return { value: cp, isByte: false, next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1] ?? '';
  const simple = SIMPLE_ESCAPES.get(e);
  if (simple !== undefined) return { value: simple, isByte: false, next: i + 2 };
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const digits = s.slice(i + 2, i + 2 + n);
    if (digits.length !== n || ![...digits].every(isHex)) throw new Error(SYNTAX);
    const value = Number.parseInt(digits, 16);
    if (e !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) throw new Error(SYNTAX);
    return { value, isByte: e === 'x', next: i + 2 + n };
  }
  if (e >= '0' && e <= '7') {
    const digits = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits)) throw new Error(SYNTAX);
    const value = Number.parseInt(digits, 8);
    if (value > 255) throw new Error(SYNTAX);
    return { value, isByte: true, next: i + 4 };
  }
  if ((e === "'" || e === '"') && e === q) return { value: e.charCodeAt(0), isByte: false, next: i + 2 };
  throw new Error(SYNTAX);
}

/** strconv.Unquote for "..." and `...` literals. */
export function unquote(text: string): string {
  // Go drops carriage returns from raw strings.
  if (text.startsWith('`')) return text.slice(1, -1).replaceAll('\r', '');
  if (!text.includes('\\')) return text.slice(1, -1);
  // Escapes such as \xe2\x82\xac spell UTF-8 bytes, so decode the string as bytes.
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; ) {
    const { value, isByte, next } = unquoteChar(text, i, '"');
    if (isByte) bytes.push(value);
    else bytes.push(...utf8Bytes(String.fromCodePoint(value)));
    i = next;
  }
  return utf8Decode(Uint8Array.from(bytes));
}

/** strconv's underscoreOK: underscores may only separate digits (or follow a base prefix). */
function underscoreOK(text: string): boolean {
  let s = text.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[bBoOxX]/.test(s)) {
    hex = s[1] === 'x' || s[1] === 'X';
    saw = '0';
    s = s.slice(2);
  }
  for (const c of s) {
    if ((c >= '0' && c <= '9') || (hex && isHex(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** strconv.ParseInt with base 0, or undefined. */
function parseInt64Syntax(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m || !underscoreOK(text)) return undefined;
  let digits = (m[2] ?? '').replaceAll('_', '');
  // A leading 0 means octal, as in C.
  if (/^0[0-7]/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = BigInt(digits);
  return m[1] === '-' ? -n : n;
}

/** strconv.ParseFloat, or undefined on a syntax or range error. */
function parseFloatSyntax(text: string): number | undefined {
  if (!underscoreOK(text)) return undefined;
  const s = text.replaceAll('_', '');
  let value: number | undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) value = Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const [, sign, whole = '', fraction = '', exponent = '0'] = hex;
    if (whole + fraction !== '') {
      const mantissa = Number.parseInt(whole + fraction, 16) * 2 ** (Number(exponent) - 4 * fraction.length);
      value = sign === '-' ? -mantissa : mantissa;
    }
  }
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_LIMIT = 2n ** 63n;
const UINT64_LIMIT = 2n ** 64n;

/** parse.newNumber for number, character and complex tokens. */
export function parseNumber(text: string, type: 'number' | 'charConstant' | 'complex'): NumberValue {
  if (type === 'charConstant') {
    const { value, next } = unquoteChar(text, 1, "'");
    if (next !== text.length - 1) throw new Error(`malformed character constant: ${text}`);
    return { value, kind: 'int' };
  }
  if (type === 'complex' || text.endsWith('i'))
    throw new Error(`complex constants are not supported: ${text}`);
  const int = parseInt64Syntax(text);
  if (int !== undefined && int >= INT64_MIN && int < INT64_LIMIT) return { value: Number(int), kind: 'int' };
  if (int !== undefined && int >= 0n && int < UINT64_LIMIT) return { value: Number(int), kind: 'uint' };
  const float = parseFloatSyntax(text);
  if (float === undefined) throw new Error(`illegal number syntax: ${quote(text)}`);
  // Go's quirk: "089" parses as a float but looks like an integer, so it is an "overflow".
  if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${quote(text)}`);
  return { value: float, kind: 'float' };
}
