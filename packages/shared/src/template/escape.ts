import { isPrint, utf8Bytes } from './text.js';

// The escapers behind the html, js and urlquery builtins (template.HTMLEscapeString,
// template.JSEscapeString and url.QueryEscape).

const HTML: Readonly<Record<string, string>> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML[c] ?? c);
}

const JS: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

const hex4 = (cp: number): string => cp.toString(16).toUpperCase().padStart(4, '0');

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const special = JS[ch];
    if (special !== undefined) out += special;
    else if (cp < 0x20) out += `\\u${hex4(cp)}`;
    else if (cp < 0x80 || isPrint(cp)) out += ch;
    else out += `\\u${hex4(cp)}`;
  }
  return out;
}

const unreserved = /^[A-Za-z0-9\-_.~]$/;

export function queryEscape(s: string): string {
  let out = '';
  for (const byte of utf8Bytes(s)) {
    const c = String.fromCharCode(byte);
    if (unreserved.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
