import { type FieldError, invalidValue, required } from './field-errors.js';
import type { NameRule } from './registry.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Problems with `value` as a name under `rule`, as detail strings. */
export function nameProblems(rule: NameRule, value: string): string[] {
  switch (rule) {
    case 'subdomain':
      if (value.length > 253) return ['must be no more than 253 characters'];
      return SUBDOMAIN.test(value) ? [] : [SUBDOMAIN_MSG];
    case 'label':
      if (value.length > 63) return ['must be no more than 63 characters'];
      return LABEL.test(value) ? [] : [LABEL_MSG];
    case 'dns1035':
      if (value.length > 63) return ['must be no more than 63 characters'];
      return DNS1035.test(value) ? [] : [DNS1035_MSG];
    case 'path':
      if (value === '.' || value === '..') return [`may not be '${value}'`];
      if (value.includes('/')) return ["may not contain '/'"];
      if (value.includes('%')) return ["may not contain '%'"];
      return [];
  }
}

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && LABEL.test(value);
}

export function validateName(rule: NameRule, field: string, value: string | undefined): FieldError[] {
  if (!value) return [required(field, 'name or generateName is required')];
  return nameProblems(rule, value).map((d) => invalidValue(field, value, d));
}

function qualifiedNameProblems(key: string): string[] {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const out: string[] = [];
  if (prefix !== undefined) {
    if (!prefix) out.push('prefix part must be non-empty');
    else out.push(...nameProblems('subdomain', prefix).map((p) => `prefix part ${p}`));
  }
  if (!name) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME.test(name)) out.push(QUALIFIED_MSG);
  return out;
}

export function validateLabels(field: string, labels: Record<string, string> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const p of qualifiedNameProblems(k)) errs.push(invalidValue(field, k, p));
    if (typeof v !== 'string') errs.push(invalidValue(`${field}.${k}`, v, 'must be a string'));
    else if (v.length > 63) errs.push(invalidValue(field, v, 'must be no more than 63 characters'));
    else if (v !== '' && !QUALIFIED_NAME.test(v)) errs.push(invalidValue(field, v, LABEL_VALUE_MSG));
  }
  return errs;
}

export function validateAnnotationKeys(
  field: string,
  annotations: Record<string, string> | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {})) {
    for (const p of qualifiedNameProblems(k)) errs.push(invalidValue(field, k, p));
  }
  return errs;
}
