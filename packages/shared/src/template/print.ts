import { type FloatFormat, formatFloat } from './float.js';
import { canBackquote, isPrint, quote, quoteRune, runeCount, truncateRunes, utf8Bytes } from './text.js';
import { type GoMap, isGoInt, isMap, isNil, mapKeys, typeName } from './values.js';

// Go's fmt.Sprint, Sprintln and Sprintf over JS values, after fmt/print.go and fmt/format.go.

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %#v: Go-syntax output. */
  sharpV: boolean;
  width: number | undefined;
  precision: number | undefined;
}

const noFlags = (): Flags => ({
  plus: false,
  minus: false,
  sharp: false,
  space: false,
  zero: false,
  sharpV: false,
  width: undefined,
  precision: undefined,
});

const FLOAT_FORMATS: ReadonlyMap<string, FloatFormat> = new Map([
  ['e', 'e'],
  ['E', 'E'],
  ['f', 'f'],
  ['F', 'f'],
  ['g', 'g'],
  ['G', 'G'],
]);

/** Widths and precisions above this are treated as malformed, as in Go. */
const TOO_LARGE = 1e6;

class Printer {
  out = '';
  f: Flags = noFlags();

  private padding(n: number): string {
    return n > 0 ? (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n) : '';
  }

  private pad(s: string): void {
    const width = this.f.width ?? 0;
    if (width === 0) {
      this.out += s;
      return;
    }
    const fill = this.padding(width - runeCount(s));
    this.out += this.f.minus ? s + fill : fill + s;
  }

  /** Pads with spaces even under the 0 flag: integers put their zeros after the sign instead. */
  private padSpaces(s: string): void {
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = zero;
  }

  private truncate(s: string): string {
    return this.f.precision === undefined ? s : truncateRunes(s, this.f.precision);
  }

  badVerb(arg: unknown, verb: string): void {
    this.out += `%!${verb}(`;
    if (isNil(arg)) this.out += '<nil>';
    else {
      this.out += `${typeName(arg)}=`;
      this.printValue(arg, 'v');
    }
    this.out += ')';
  }

  printArg(arg: unknown, verb: string): void {
    if (isNil(arg)) {
      if (verb === 'v' || verb === 'T') this.pad('<nil>');
      else this.badVerb(arg, verb);
    } else if (verb === 'T') this.pad(this.truncate(typeName(arg)));
    else this.printValue(arg, verb);
  }

  private printValue(v: unknown, verb: string): void {
    if (isNil(v)) {
      // Elements of []interface{} and map[string]interface{} are nil interfaces.
      this.out += this.f.sharpV ? 'interface {}(nil)' : '<nil>';
    } else if (typeof v === 'boolean') {
      if (verb === 't' || verb === 'v') this.pad(String(v));
      else this.badVerb(v, verb);
    } else if (typeof v === 'number') {
      // A JS number does not say whether it was meant as an int or a float, so float verbs accept integers.
      const format = FLOAT_FORMATS.get(verb);
      if (format) this.printFloat(v, format);
      else if (isGoInt(v)) this.printInteger(v, verb);
      else if (verb === 'v') this.printFloat(v, 'g');
      else this.badVerb(v, verb);
    } else if (typeof v === 'string') this.printString(v, verb);
    else if (Array.isArray(v)) this.printList(v, verb);
    else if (isMap(v)) this.printMap(v, verb);
    // Go prints a function's address; there is no such thing here.
    else if (typeof v === 'function') this.pad('<func>');
    else this.pad(String(v));
  }

  private printList(list: readonly unknown[], verb: string): void {
    this.out += this.f.sharpV ? `${typeName(list)}{` : '[';
    // Not forEach, which skips the holes of sparse arrays.
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.out += this.f.sharpV ? ', ' : ' ';
      this.printValue(list[i], verb);
    }
    this.out += this.f.sharpV ? '}' : ']';
  }

  private printMap(m: GoMap, verb: string): void {
    this.out += this.f.sharpV ? `${typeName(m)}{` : 'map[';
    mapKeys(m).forEach((key, i) => {
      if (i > 0) this.out += this.f.sharpV ? ', ' : ' ';
      this.printValue(key, verb);
      this.out += ':';
      this.printValue(m[key], verb);
    });
    this.out += this.f.sharpV ? '}' : ']';
  }

  private printString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.printQuoted(s);
        else this.pad(this.truncate(s));
        return;
      case 's':
        this.pad(this.truncate(s));
        return;
      case 'q':
        this.printQuoted(s);
        return;
      case 'x':
      case 'X':
        this.printHexBytes(utf8Bytes(s), verb);
        return;
      default:
        this.badVerb(s, verb);
    }
  }

  private printQuoted(s: string): void {
    const t = this.truncate(s);
    this.pad(this.f.sharp && canBackquote(t) ? `\`${t}\`` : quote(t, this.f.plus));
  }

  /** %x of a string: two hex digits per byte; ' ' separates bytes and '#' adds 0x. */
  private printHexBytes(bytes: Uint8Array, verb: 'x' | 'X'): void {
    const n = Math.min(bytes.length, this.f.precision ?? bytes.length);
    const prefix = verb === 'x' ? '0x' : '0X';
    let s = this.f.sharp && !this.f.space && n > 0 ? prefix : '';
    for (let i = 0; i < n; i++) {
      if (this.f.space && i > 0) s += ' ';
      if (this.f.space && this.f.sharp) s += prefix;
      const byte = (bytes[i] ?? 0).toString(16).padStart(2, '0');
      s += verb === 'x' ? byte : byte.toUpperCase();
    }
    this.pad(s);
  }

  private printInteger(n: number, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        this.formatInteger(n, 10, verb);
        break;
      case 'b':
        this.formatInteger(n, 2, verb);
        break;
      case 'o':
      case 'O':
        this.formatInteger(n, 8, verb);
        break;
      case 'x':
      case 'X':
        this.formatInteger(n, 16, verb);
        break;
      case 'c':
        this.pad(String.fromCodePoint(validRune(n)));
        break;
      case 'q':
        this.pad(quoteRune(n, this.f.plus));
        break;
      case 'U':
        this.formatUnicode(n);
        break;
      default:
        this.badVerb(n, verb);
    }
  }

  /** fmt.fmtInteger: precision or the 0 flag give leading zeros; '#' adds a base prefix. */
  private formatInteger(n: number, base: number, verb: string): void {
    const negative = n < 0;
    let digits = BigInt(Math.abs(n)).toString(base);
    if (verb === 'X') digits = digits.toUpperCase();
    let minDigits = 0;
    if (this.f.precision !== undefined) {
      minDigits = this.f.precision;
      if (minDigits === 0 && n === 0) {
        this.out += ' '.repeat(Math.max(this.f.width ?? 0, 0));
        return;
      }
    } else if (this.f.zero && !this.f.minus && this.f.width !== undefined) {
      minDigits = this.f.width - (negative || this.f.plus || this.f.space ? 1 : 0);
    }
    digits = digits.padStart(minDigits, '0');
    if (this.f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = `0o${digits}`;
    const sign = negative ? '-' : this.f.plus ? '+' : this.f.space ? ' ' : '';
    this.padSpaces(sign + digits);
  }

  private formatUnicode(n: number): void {
    let s = `U+${n
      .toString(16)
      .toUpperCase()
      .padStart(Math.max(this.f.precision ?? 4, 4), '0')}`;
    if (this.f.sharp && n >= 0 && n <= 0x10ffff && isPrint(n)) s += ` '${String.fromCodePoint(n)}'`;
    this.padSpaces(s);
  }

  /** fmt.fmtFloat: %v is the shortest %g; the sign goes before zero padding. */
  private printFloat(x: number, format: FloatFormat): void {
    const defaultPrecision = format === 'g' || format === 'G' ? -1 : 6;
    let num = formatFloat(x, format, this.f.precision ?? defaultPrecision);
    if (!num.startsWith('-') && !num.startsWith('+')) num = `+${num}`;
    if (this.f.space && num.startsWith('+') && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      // Infinities and NaN are not padded with zeros, and NaN has no sign unless asked for.
      this.padSpaces(num[1] === 'N' && !this.f.space && !this.f.plus ? num.slice(1) : num);
      return;
    }
    if (this.f.plus || !num.startsWith('+')) {
      const width = this.f.width ?? 0;
      if (this.f.zero && !this.f.minus && width > num.length) {
        this.out += (num[0] ?? '') + '0'.repeat(width - num.length) + num.slice(1);
      } else this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

/** Invalid code points print as U+FFFD. */
function validRune(n: number): number {
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? 0xfffd : n;
}

/** fmt.Sprint: spaces go between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') p.out += ' ';
    p.printArg(arg, 'v');
  });
  return p.out;
}

/** fmt.Sprintln: spaces always go between operands, and a newline at the end. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.out += ' ';
    p.printArg(arg, 'v');
  });
  return `${p.out}\n`;
}

/** fmt.parsenum: a run of digits, or no value if there is none or it is too large. */
function parseDigits(format: string, start: number): { value: number | undefined; end: number } {
  let i = start;
  let value = 0;
  for (let c = format.charCodeAt(i); c >= 0x30 && c <= 0x39; c = format.charCodeAt(++i)) {
    if (value > TOO_LARGE) return { value: undefined, end: format.length };
    value = value * 10 + (c - 0x30);
  }
  return { value: i > start ? value : undefined, end: i };
}

/** fmt.Sprintf, including argument indexes (%[2]d), * widths and Go's %!verb(...) diagnostics. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  let afterIndex = false;
  let i = 0;

  // An explicit [n] argument index before a width, precision or verb.
  const argIndex = (): void => {
    afterIndex = false;
    if (format[i] !== '[') return;
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (format.length - i < 3 || close === -1) {
      goodArgNum = false;
      i++;
      return;
    }
    const n = parseDigits(format, i + 1);
    i = close + 1;
    if (n.value === undefined || n.end !== close) {
      goodArgNum = false;
      return;
    }
    afterIndex = true;
    if (n.value >= 1 && n.value <= args.length) argNum = n.value - 1;
    else goodArgNum = false;
  };

  // A * width or precision taken from the argument list.
  const intArg = (): number | undefined => {
    const arg = args[argNum];
    if (argNum >= args.length) return undefined;
    argNum++;
    return typeof arg === 'number' && Number.isInteger(arg) && Math.abs(arg) <= TOO_LARGE ? arg : undefined;
  };

  while (i < format.length) {
    goodArgNum = true;
    const percent = format.indexOf('%', i);
    p.out += format.slice(i, percent === -1 ? format.length : percent);
    if (percent === -1) break;
    i = percent + 1;
    p.f = noFlags();
    flags: for (; i < format.length; i++) {
      switch (format[i]) {
        case '#':
          p.f.sharp = true;
          break;
        case '0':
          p.f.zero = true;
          break;
        case '+':
          p.f.plus = true;
          break;
        case '-':
          p.f.minus = true;
          break;
        case ' ':
          p.f.space = true;
          break;
        default:
          break flags;
      }
    }
    argIndex();
    if (format[i] === '*') {
      i++;
      p.f.width = intArg();
      if (p.f.width === undefined) p.out += '%!(BADWIDTH)';
      else if (p.f.width < 0) {
        p.f.width = -p.f.width;
        p.f.minus = true;
        p.f.zero = false;
      }
      afterIndex = false;
    } else {
      const width = parseDigits(format, i);
      p.f.width = width.value;
      i = width.end;
      if (afterIndex && p.f.width !== undefined) goodArgNum = false;
    }
    if (i + 1 < format.length && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      argIndex();
      if (format[i] === '*') {
        i++;
        const precision = intArg();
        p.f.precision = precision !== undefined && precision >= 0 ? precision : undefined;
        if (p.f.precision === undefined) p.out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const precision = parseDigits(format, i);
        p.f.precision = precision.value ?? 0;
        i = precision.end;
      }
    }
    if (!afterIndex) argIndex();
    const code = format.codePointAt(i);
    if (code === undefined) {
      p.out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(code);
    i += verb.length;
    if (verb === '%') p.out += '%';
    else if (!goodArgNum) p.out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) p.out += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        // %+v only differs for structs, which JS data does not have.
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plus = false;
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.f = noFlags();
    p.out += '%!(EXTRA ';
    args.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.out += ', ';
      if (isNil(arg)) p.out += '<nil>';
      else {
        p.out += `${typeName(arg)}=`;
        p.printArg(arg, 'v');
      }
    });
    p.out += ')';
  }
  return p.out;
}
