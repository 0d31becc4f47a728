// Go's strconv.FormatFloat for the e, f and g formats. JS number formatting differs from Go
// in where it switches to exponents, in exponent digits (1e+21 vs 1e21, 1e-07 vs 1e-7) and in
// rounding exact ties (Go rounds 2.5 to "2" with %.0f), so digits are computed here.

/** A decimal 0.d1d2d3... × 10^dp; `digits` has no trailing zeros and is empty for zero. */
interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/** The shortest digits that read back as the same number, which JS and Go agree on. */
function shortestDecimal(x: number): Decimal {
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), dp: Number(exponent) + 1 };
}

const bitsView = new DataView(new ArrayBuffer(8));

/** Every float64 is mantissa × 2^e exactly, which has a finite decimal expansion. */
function exactDecimal(x: number): Decimal {
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e2 = biased === 0 ? -1074 : biased - 1075;
  // With e2 < 0, mantissa / 2^k = mantissa × 5^k / 10^k.
  const digits = e2 >= 0 ? (mantissa << BigInt(e2)).toString() : (mantissa * 5n ** BigInt(-e2)).toString();
  const dp = e2 >= 0 ? digits.length : digits.length + e2;
  return { digits: digits.replace(/0+$/, ''), dp };
}

/** Go's decimal.Round: to nearest, ties (which are exact here) to even. */
function round(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const digit = d.digits[nd] ?? '0';
  const tie = digit === '5' && nd + 1 === d.digits.length;
  const up = tie ? nd > 0 && Number(d.digits[nd - 1]) % 2 === 1 : digit >= '5';
  if (!up) {
    const digits = d.digits.slice(0, nd).replace(/0+$/, '');
    return { digits, dp: digits === '' ? 0 : d.dp };
  }
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  return { digits: d.digits.slice(0, i) + String(Number(d.digits[i]) + 1), dp: d.dp };
}

function formatE(d: Decimal, prec: number, letter: 'e' | 'E'): string {
  let s = d.digits[0] ?? '0';
  if (prec > 0) {
    const m = Math.min(d.digits.length, prec + 1);
    s += `.${d.digits.slice(1, m)}${'0'.repeat(prec + 1 - Math.max(m, 1))}`;
  }
  const exp = d.digits === '' ? 0 : d.dp - 1;
  return `${s}${letter}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function formatF(d: Decimal, prec: number): string {
  let s = '0';
  if (d.dp > 0) {
    const m = Math.min(d.digits.length, d.dp);
    s = d.digits.slice(0, m) + '0'.repeat(d.dp - m);
  }
  if (prec > 0) {
    let fraction = '';
    for (let i = 0; i < prec; i++) fraction += d.digits[d.dp + i] ?? '0';
    s += `.${fraction}`;
  }
  return s;
}

/** strconv.FormatFloat(x, format, prec, 64); a negative precision means the shortest exact form. */
export function formatFloat(x: number, format: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let p = format === 'g' || format === 'G' ? Math.max(prec, 1) : prec;
  let d: Decimal;
  if (abs === 0) d = { digits: '', dp: 0 };
  else if (shortest) d = shortestDecimal(abs);
  else {
    const exact = exactDecimal(abs);
    d = round(exact, format === 'f' ? exact.dp + p : format === 'g' || format === 'G' ? p : p + 1);
  }
  const nd = d.digits.length;
  if (shortest)
    p = format === 'f' ? Math.max(nd - d.dp, 0) : format === 'g' || format === 'G' ? nd : Math.max(nd - 1, 0);
  switch (format) {
    case 'e':
    case 'E':
      return sign + formatE(d, p, format);
    case 'f':
      return sign + formatF(d, p);
  }
  // %e is used if the exponent is less than -4 or at least the precision (6 for the shortest form).
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > nd && nd >= d.dp) eprec = nd;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) return sign + formatE(d, Math.min(p, nd) - 1, format === 'g' ? 'e' : 'E');
  return sign + formatF(d, Math.max((p > d.dp ? nd : p) - d.dp, 0));
}
