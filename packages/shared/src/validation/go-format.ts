/**
 * kube-apiserver builds its messages with Go's fmt, strconv and encoding/json. These helpers print
 * JSON values the same way, so our messages match its messages byte for byte.
 */

/**
 * Go's JSON decoder (as Kubernetes configures it) yields int64 for numbers without a fraction and
 * float64 otherwise. After JSON.parse `1.0` and `1` are the same number, so integral means int64.
 */
export function isGoInteger(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** JSON kind of a value, with numbers split into integer and number as Go sees them. */
export function jsonKind(
  value: unknown,
): 'null' | 'boolean' | 'string' | 'integer' | 'number' | 'array' | 'object' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return isGoInteger(value) ? 'integer' : 'number';
    default:
      return 'object';
  }
}

/** `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 on (strconv 'g', -1). */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exponentText] = n.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(n);
}

/** `%v` of a decoded JSON number: int64 or float64. */
export function goNumber(n: number): string {
  return isGoInteger(n) ? n.toFixed(0) : goFloat(n);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** strconv.Quote (`%q`): printable runes as they are, everything else escaped the Go way. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    const cp = ch.codePointAt(0) ?? 0;
    if (short !== undefined) out += short;
    else if (ch === ' ' || PRINTABLE.test(ch)) out += ch;
    // A lone surrogate cannot come out of Go's JSON decoder: it decodes as U+FFFD.
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** encoding/json.Marshal: map keys sorted, HTML-sensitive characters escaped. */
export function goJson(value: unknown): string {
  return jsonText(value).replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return String(value);
    case 'object': {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonText(record[k])}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

/**
 * How field.Error prints a bad value (Kubernetes 1.34): simple values with `%v`, strings with `%q`,
 * anything else, nil included, as JSON.
 */
export function goValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return goQuote(value);
    case 'number':
      return goNumber(value);
    case 'boolean':
      return String(value);
    default:
      return goJson(value);
  }
}
