import { isIP } from 'node:net';

/**
 * The string formats CRD schemas validate (apiextensions' supported set, checked as kube-openapi's
 * strfmt registry checks them). Any other format is dropped by the apiserver, i.e. not validated.
 */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_BYTE = '\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*';
const RGB_COLOR = new RegExp(`^rgb\\(${RGB_BYTE},${RGB_BYTE},${RGB_BYTE}\\)$`);
const SSN = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const CREDIT_CARD =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const SCALA_DURATION = /^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/;
const SCALA_DURATION_PART = /(\d+)\s*([A-Za-zµ]+)/g;
const DURATION_UNITS = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];
const ATEXT = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const ADDR_SPEC = `(?:${ATEXT}(?:\\.${ATEXT})*|"[^"\\\\]*")@(?:${ATEXT}(?:\\.${ATEXT})*|\\[[^\\]\\\\]*\\])`;
const EMAIL = new RegExp(`^(?:${ADDR_SPEC}|[^<>]*<${ADDR_SPEC}>)$`, 'u');
const MAC_COLON = /^[0-9a-fA-F]{2}(?:([:-])[0-9a-fA-F]{2})+$/;
const MAC_DOT = /^[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4})+$/;
const URI_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const URI_HOST = /^(?:[^@/?#\s]*@)?(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::\d*)?$/;
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

function isFullDate(s: string): boolean {
  const m = FULL_DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** strfmt.IsDateTime: a full date, `t`, then a time with a zone; fields compared as text, as there. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isFullDate(parts[0] ?? '')) return false;
  const m = TIME_OF_DAY.exec(parts[1] ?? '');
  return m !== null && (m[1] ?? '') <= '23' && (m[2] ?? '') <= '59' && (m[3] ?? '') <= '59';
}

/** strfmt.ParseDuration: Go's time.ParseDuration syntax, or scala style such as `3 days`. */
function isDuration(s: string): boolean {
  if (GO_DURATION.test(s)) return true;
  if (!SCALA_DURATION.test(s)) return false;
  for (const [, , unitText] of s.matchAll(SCALA_DURATION_PART)) {
    const unit = (unitText ?? '').toLowerCase();
    const known = DURATION_UNITS.some((variants) =>
      variants.some((v, i) => v === unit || (i === variants.length - 1 && unit.startsWith(v))),
    );
    if (known) return true;
  }
  return false;
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Go's url.ParseRequestURI: an absolute URI or an absolute path. */
function isRequestUri(s: string): boolean {
  if (hasControlCharacter(s) || BAD_ESCAPE.test(s)) return false;
  if (s.startsWith('/')) return true;
  const scheme = URI_SCHEME.exec(s);
  if (!scheme) return false;
  const rest = s.slice(scheme[0].length);
  if (!rest.startsWith('//')) return true;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
  return URI_HOST.test(authority);
}

function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const prefix = s.slice(slash + 1);
  const version = isIP(ip);
  if (version === 0 || !/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/** net.ParseMAC: 6, 8 or 20 octets. */
function isMac(s: string): boolean {
  if (MAC_COLON.test(s)) {
    const separator = s[2] ?? ':';
    return !s.includes(separator === ':' ? '-' : ':') && [6, 8, 20].includes((s.length + 1) / 3);
  }
  return MAC_DOT.test(s) && [3, 4, 10].includes((s.length + 1) / 5);
}

function isHostname(s: string): boolean {
  const bytes = (t: string) => Buffer.byteLength(t, 'utf8');
  return HOSTNAME.test(s) && bytes(s) <= 255 && s.split('.').every((label) => bytes(label) <= 63);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isIsbn10(s: string): boolean {
  const digits = s.replace(/[\s-]+/g, '');
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (i + 1) * (digits[i] === 'X' ? 10 : Number(digits[i]));
  return sum % 11 === 0;
}

function isIsbn13(s: string): boolean {
  const digits = s.replace(/[\s-]+/g, '');
  if (!/^[0-9]{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(digits[12]);
}

const VALIDATORS: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestUri,
  email: (s) => EMAIL.test(s),
  hostname: isHostname,
  ipv4: (s) => isIP(s) !== 0 && s.includes('.'),
  ipv6: (s) => isIP(s) !== 0 && s.includes(':'),
  cidr: isCidr,
  mac: isMac,
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID3.test(s),
  uuid4: (s) => UUID4.test(s),
  uuid5: (s) => UUID5.test(s),
  isbn: (s) => isIsbn10(s) || isIsbn13(s),
  isbn10: isIsbn10,
  isbn13: isIsbn13,
  creditcard: (s) => {
    const digits = s.replace(/[^0-9]+/g, '');
    return CREDIT_CARD.test(digits) && luhn(digits);
  },
  ssn: (s) => s.length === 11 && SSN.test(s),
  hexcolor: (s) => HEX_COLOR.test(s),
  rgbcolor: (s) => RGB_COLOR.test(s),
  byte: (s) => BASE64.test(s),
  password: () => true,
  date: isFullDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** The validator of a format, when the apiserver validates it; names compare without dashes. */
export function formatValidator(format: string | undefined): ((s: string) => boolean) | undefined {
  if (!format) return undefined;
  const name = format.replaceAll('-', '');
  return Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
}
