// Go strings are UTF-8 byte sequences while JS strings are UTF-16, so every place where Go
// exposes bytes (len, index, slice, %x, error columns) or runes (padding, %c) goes through here.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The first `n` runes of `s`. */
export function truncateRunes(s: string, n: number): string {
  let i = 0;
  for (const ch of s) {
    if (n-- <= 0) return s.slice(0, i);
    i += ch.length;
  }
  return s;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return printable.test(String.fromCodePoint(cp));
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCodePoint(cp)}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** A lone surrogate cannot occur in Go text; treat it as the replacement character, as Go does with bad UTF-8. */
function codePoints(s: string): number[] {
  return Array.from(s, (ch) => {
    const cp = ch.codePointAt(0) ?? 0xfffd;
    return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
  });
}

/** strconv.Quote (or QuoteToASCII). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const cp of codePoints(s)) out += escapeRune(cp, 0x22, asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function quoteRune(cp: number, asciiOnly = false): string {
  const r = cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp;
  return `'${escapeRune(r, 0x27, asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const cp of codePoints(s)) {
    if (cp === 0x60 || cp === 0xfeff || (cp < 0x20 && cp !== 0x09) || cp === 0x7f) return false;
  }
  return true;
}

/** The %#U format, used by the lexer's error messages: U+0041 'A'. */
export function describeRune(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return isPrint(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

/**
 * Orders strings by code point, which is Go's byte order for UTF-8. UTF-16 code unit order
 * only disagrees when a surrogate (an astral character) meets a BMP character above U+D7FF.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
