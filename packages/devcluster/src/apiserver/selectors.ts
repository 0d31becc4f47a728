/**
 * Label and field selectors, ported from k8s.io/apimachinery/pkg/labels and pkg/fields so that list
 * and watch requests filter, and reject malformed selectors, with kube-apiserver's exact messages.
 */

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** ANDed; an empty list matches everything. */
  readonly requirements: readonly LabelRequirement[];
  /** A missing `spec.selector` selects nothing, unlike an empty one. */
  readonly matchesNothing?: boolean;
}

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[];
}

/** `metav1.LabelSelector`, as found in Job, Deployment and other workload specs. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementSpec[];
}

/** A selector that cannot be parsed; the message is kube-apiserver's, ready for a 400 Status. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

// ---- validation (k8s.io/apimachinery/pkg/util/validation) ----

const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const qnameRe = new RegExp(`^${QNAME_FMT}$`);
const dnsSubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** Go's `validation.RegexError`, including its odd `',  or '` spacing. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number) => `must be no more than ${n} characters`;

// Go measures length in bytes.
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = key;
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) {
      errs.push('prefix part must be non-empty');
    } else {
      if (byteLength(prefix) > 253) errs.push(`prefix part ${maxLenError(253)}`);
      if (!dnsSubdomainRe.test(prefix)) {
        errs.push(`prefix part ${regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com')}`);
      }
    }
  } else {
    return [
      `a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qnameRe.test(name)) {
    errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) {
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** `field.Invalid(path, value, detail).Error()`; Go prints a nil path as `<nil>`. */
function invalid(path: string, value: string | readonly string[] | undefined, detail: string): string {
  return `${path}: Invalid value: ${goValue(value)}: ${detail}`;
}

/** Go's `%q` for strings and `%#v` for string slices, as field errors print bad values. */
function goValue(value: string | readonly string[] | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '[]string(nil)';
  return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** `utilerrors.Aggregate`: one message as is, several deduplicated inside brackets. */
function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

const INT64 = /^[+-]?\d+$/;
const fitsInt64 = (s: string) => {
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
};

/**
 * `labels.NewRequirement`: validates a requirement and returns it, or throws the aggregated error.
 * Field paths are relative to a nil `field.Path`, as both kube-apiserver callers pass none.
 */
function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[] | undefined,
): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalid('key', key, keyErrs.join('; ')));
  const vals = values ?? [];
  const valuesPath = 'values';
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push(invalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) {
        errs.push(invalid(valuesPath, values, 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push(invalid(valuesPath, values, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push(invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      vals.forEach((v, i) => {
        if (!INT64.test(v) || !fitsInt64(v)) {
          errs.push(
            invalid(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  vals.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalid(`${valuesPath}[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new SelectorError(aggregate(errs));
  return { key, operator, values: [...vals] };
}

const byKey = (a: LabelRequirement, b: LabelRequirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// ---- label selector parser (labels.Parse) ----

type Token =
  | 'error'
  | 'eos'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) => '=!(),><'.includes(ch);

interface Scanned {
  readonly tok: Token;
  readonly literal: string;
}

function lex(input: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input.charAt(pos))) pos++;
    if (pos >= input.length) {
      items.push({ tok: 'eos', literal: '' });
      return items;
    }
    const start = pos;
    if (isSpecial(input.charAt(pos))) {
      // Longest run of special characters that still spells a token ("!=" rather than "!" then "=").
      let best: Scanned | undefined;
      let end = pos;
      while (end < input.length && isSpecial(input.charAt(end))) {
        end++;
        const tok = LITERAL_TOKENS.get(input.slice(start, end));
        if (tok) best = { tok, literal: input.slice(start, end) };
        else if (best) break;
      }
      if (!best) {
        items.push({ tok: 'error', literal: `error expected: keyword found '${input.slice(start, end)}'` });
        pos = end;
      } else {
        items.push(best);
        pos = start + best.literal.length;
      }
    } else {
      while (pos < input.length && !isSpecial(input.charAt(pos)) && !isWhitespace(input.charAt(pos))) pos++;
      const literal = input.slice(start, pos);
      items.push({ tok: LITERAL_TOKENS.get(literal) ?? 'identifier', literal });
    }
  }
}

const BINARY_OPERATORS: Partial<Record<Token, LabelOperator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

class Parser {
  private position = 0;

  constructor(private readonly items: Scanned[]) {}

  /** In value position the keywords `in` and `notin` are ordinary identifiers. */
  private peek(values: boolean): Scanned {
    const item = this.items[Math.min(this.position, this.items.length - 1)] as Scanned;
    return values && (item.tok === 'in' || item.tok === 'notin')
      ? { tok: 'identifier', literal: item.literal }
      : item;
  }

  private next(values: boolean): Scanned {
    const item = this.peek(values);
    this.position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, literal } = this.peek(true);
      if (tok === 'eos') return requirements;
      if (tok !== 'identifier' && tok !== '!') {
        throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.requirement());
      } catch (err) {
        throw new SelectorError(`unable to parse requirement: ${(err as Error).message}`);
      }
      const after = this.next(true);
      if (after.tok === 'eos') return requirements;
      if (after.tok !== ',') {
        throw new SelectorError(`found '${after.literal}', expected: ',' or 'end of string'`);
      }
      const following = this.peek(true);
      if (following.tok !== 'identifier' && following.tok !== '!') {
        throw new SelectorError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let { tok, literal } = this.next(true);
    if (tok === '!') {
      operator = '!';
      ({ tok, literal } = this.next(true));
    }
    if (tok !== 'identifier') throw new Error(`found '${literal}', expected: identifier`);
    const key = literal;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length > 0) throw new Error(invalid('<nil>', key, keyErrs.join('; ')));
    const lookahead = this.peek(true).tok;
    if (operator === '!') return newRequirement(key, '!', []);
    if (lookahead === 'eos' || lookahead === ',') return newRequirement(key, 'exists', []);

    const op = this.next(false);
    operator = BINARY_OPERATORS[op.tok];
    if (!operator) throw new Error(`found '${op.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    // Go collects values in a sorted set.
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new Error(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.peek(true);
    if (tok === ')') {
      this.next(true);
      return [''];
    }
    if (tok !== 'identifier' && tok !== ',') {
      throw new Error(`found '${literal}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next(true).tok !== ')') throw new Error(`found '${literal}', expected: ')'`);
    return values;
  }

  /** A comma-separated list in which empty entries (`(a,,b)`, `(,a)`, `(a,)`) mean the empty value. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, literal } = this.next(true);
      if (tok === 'identifier') {
        values.push(literal);
        const after = this.peek(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') return values;
        throw new Error(`found '${after.literal}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        if (values.length === 0) values.push('');
        const after = this.peek(true).tok;
        if (after === ')') {
          values.push('');
          return values;
        }
        if (after === ',') values.push('');
        continue;
      }
      throw new Error(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const { tok } = this.peek(true);
    if (tok === 'eos' || tok === ',') return [''];
    const value = this.next(true);
    if (value.tok === 'identifier') return [value.literal];
    throw new Error(`found '${value.literal}', expected: identifier`);
  }
}

/**
 * Parses a `labelSelector` query parameter:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`, joined by commas.
 * Throws `SelectorError` with kube-apiserver's message.
 */
export function parseLabelSelector(s: string): LabelSelector {
  const requirements = new Parser(lex(s)).parse();
  return { requirements: requirements.sort(byKey) };
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const bound = r.values[0];
      if (value === undefined || bound === undefined || !INT64.test(value) || !fitsInt64(value)) return false;
      return r.operator === 'gt' ? BigInt(value) > BigInt(bound) : BigInt(value) < BigInt(bound);
    }
  }
}

export function matchesLabels(sel: LabelSelector, labels?: Record<string, string>): boolean {
  if (sel.matchesNothing) return false;
  const set = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, set));
}

const MATCH_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * `metav1.LabelSelectorAsSelector` for a workload's `spec.selector`: `matchLabels` are equality
 * requirements, `matchExpressions` use In/NotIn/Exists/DoesNotExist. A missing selector matches
 * nothing and an empty one everything. Throws `SelectorError` for invalid keys, values or operators.
 */
export function labelSelectorFromMatch(sel: LabelSelectorSpec | null | undefined): LabelSelector {
  if (sel == null) return { requirements: [], matchesNothing: true };
  const requirements: LabelRequirement[] = [];
  for (const key of Object.keys(sel.matchLabels ?? {}).sort()) {
    requirements.push(newRequirement(key, '=', [sel.matchLabels?.[key] ?? '']));
  }
  for (const expr of sel.matchExpressions ?? []) {
    const operator = Object.hasOwn(MATCH_OPERATORS, expr.operator)
      ? MATCH_OPERATORS[expr.operator]
      : undefined;
    if (!operator) {
      throw new SelectorError(
        `${JSON.stringify(expr.operator ?? '')} is not a valid label selector operator`,
      );
    }
    requirements.push(newRequirement(expr.key, operator, expr.values));
  }
  return { requirements: requirements.sort(byKey) };
}

/** `Selector.String()`: the canonical form kubectl prints, e.g. `app=web,tier in (a,b)`. */
export function formatLabelSelector(sel: LabelSelector): string {
  return sel.requirements
    .map((r) => {
      const values = r.values.length === 1 ? (r.values[0] as string) : [...r.values].sort().join(',');
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${values})`;
        case 'gt':
          return `${r.key}>${values}`;
        case 'lt':
          return `${r.key}<${values}`;
        default:
          return `${r.key}${r.operator}${values}`;
      }
    })
    .join(',');
}

// ---- field selectors (fields.ParseSelector) ----

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator in the term wins; `!=` and `==` are tried before `=` at each position. */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Values may escape `\`, `,` and `=` with a backslash; unescaped `,` or `=` are errors. */
function unescapeValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a `fieldSelector` query parameter: `field=value`, `field==value`, `field!=value` joined by
 * commas. Like Kubernetes, no other operators and no whitespace trimming. Whether a field is
 * supported for a resource is the caller's check (see `fieldsOf`).
 */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  // Go sorts the terms first, which decides which bad term is reported.
  for (const term of s === '' ? [] : splitTerms(s).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new SelectorError(`invalid selector: '${s}'; can't understand '${term}'`);
    const [field, operator, value] = parts;
    requirements.push({ field, operator, value: unescapeValue(value) });
  }
  return { requirements };
}

/** A field the object does not have reads as the empty string, as in `fields.Set`. */
export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.requirements.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
    return r.operator === '!=' ? actual !== r.value : actual === r.value;
  });
}

// ---- selectable fields ----

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

/**
 * The fields a field selector can use for a resource (plural name, e.g. `pods`), with their values:
 * `metadata.name` and `metadata.namespace` everywhere, plus what kube-apiserver registers per
 * resource. A selector naming any other field should be rejected with 400 `field label not supported`.
 */
export function fieldsOf(resource: string, obj: unknown): Record<string, string> {
  const o = asObj(obj);
  const meta = asObj(o.metadata);
  const spec = asObj(o.spec);
  const status = asObj(o.status);
  const fields: Record<string, string> = {
    'metadata.name': str(meta.name),
    'metadata.namespace': str(meta.namespace),
  };
  switch (resource) {
    case 'pods': {
      const podIPs = Array.isArray(status.podIPs) ? status.podIPs : [];
      Object.assign(fields, {
        'spec.nodeName': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        'spec.serviceAccountName': str(spec.serviceAccountName),
        'spec.hostNetwork': String(spec.hostNetwork === true),
        'status.phase': str(status.phase),
        'status.podIP': podIPs.length > 0 ? str(asObj(podIPs[0]).ip) : str(status.podIP),
        'status.nominatedNodeName': str(status.nominatedNodeName),
      });
      break;
    }
    case 'secrets':
      fields.type = str(o.type);
      break;
    case 'events': {
      // events.k8s.io/v1 Events share storage with core Events and are selected by the core names.
      const involved = asObj(o.involvedObject ?? o.regarding);
      for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
        fields[`involvedObject.${k}`] = str(involved[k]);
      }
      const reporting = str(o.reportingComponent ?? o.reportingController);
      fields.reason = str(o.reason);
      fields.reportingComponent = reporting;
      fields.source = str(asObj(o.source).component) || reporting;
      fields.type = str(o.type);
      break;
    }
    case 'jobs':
      fields['status.successful'] = String(typeof status.succeeded === 'number' ? status.succeeded : 0);
      break;
    case 'namespaces':
      fields['status.phase'] = str(status.phase);
      break;
    case 'nodes':
      fields['spec.unschedulable'] = String(spec.unschedulable === true);
      break;
    case 'replicasets':
    case 'replicationcontrollers':
      fields['status.replicas'] = String(typeof status.replicas === 'number' ? status.replicas : 0);
      break;
  }
  return fields;
}
