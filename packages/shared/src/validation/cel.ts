import { type CelInput, type CelResult, celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { kubernetesCelFunctions, optionalNone, optionalOf } from './cel-library.js';
import { type CelConversions, toCelValue } from './cel-value.js';
import { childPath, type FieldError, fieldErrors, subscriptPath } from './field-error.js';
import { deepEqual, isJsonObject, type OldValue } from './json-value.js';
import { correlateMapListItems } from './list-type.js';
import {
  additionalPropertiesSchema,
  type JSONSchemaProps,
  subtreeTest,
  type ValidationRule,
} from './schema.js';

/**
 * x-kubernetes-validations, evaluated as apiextensions' CEL validator does: on every non-null value
 * with `self` bound to it, and for transition rules `oldSelf` bound to the old value correlated by
 * property name and map-list keys (transition rules are skipped where there is none).
 */

type Program = (bindings: Record<string, CelInput>) => CelResult;

interface Compiled {
  rule: ValidationRule;
  program?: Program;
  error?: string;
  usesOldSelf: boolean;
  /** The rule is `self == oldSelf` (either way round), the usual way to make a field immutable. */
  equalsOldSelf?: boolean;
  messageProgram?: Program;
  /** The normalized fieldPath, when the rule has a valid one. */
  fieldPath?: string;
}

const env = celEnv({ funcs: kubernetesCelFunctions });

/** The maximum size of an evaluated messageExpression (celconfig.MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE_BYTES = 5000;

function references(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => references(n, name));
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  if (record.case === 'identExpr' && (record.value as { name?: unknown } | undefined)?.name === name)
    return true;
  return Object.values(record).some((v) => references(v, name));
}

function identName(node: unknown): string | undefined {
  const kind = (node as { exprKind?: { case?: string; value?: { name?: unknown } } } | undefined)?.exprKind;
  return kind?.case === 'identExpr' && typeof kind.value?.name === 'string' ? kind.value.name : undefined;
}

function isSelfEqualsOldSelf(expr: unknown): boolean {
  const kind = (expr as { exprKind?: { case?: string; value?: { function?: string; args?: unknown[] } } })
    .exprKind;
  if (kind?.case !== 'callExpr' || kind.value?.function !== '_==_' || kind.value.args?.length !== 2)
    return false;
  const names = kind.value.args.map(identName).sort();
  return names[0] === 'oldSelf' && names[1] === 'self';
}

type Compilation = { program: Program; usesOldSelf: boolean; equalsOldSelf: boolean } | { error: string };

// Identical rules share a program even across schema objects, e.g. a CRD parsed anew per request.
const programs = new Map<string, Compilation>();

function compile(expression: string): Compilation {
  let compilation = programs.get(expression);
  if (!compilation) {
    try {
      const parsed = parse(expression);
      compilation = {
        program: plan(env, parsed) as Program,
        usesOldSelf: references(parsed.expr, 'oldSelf'),
        equalsOldSelf: isSelfEqualsOldSelf(parsed.expr),
      };
    } catch (e) {
      compilation = { error: `compilation failed: ${(e as Error).message}` };
    }
    programs.set(expression, compilation);
  }
  return compilation;
}

/** validation.ValidFieldPath: `.name` and `['key']` steps through properties and map values. */
function normalizeFieldPath(schema: JSONSchemaProps, fieldPath: string): string | undefined {
  const step = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/y;
  let path = '';
  let node: JSONSchemaProps | undefined = schema;
  while (step.lastIndex < fieldPath.length) {
    const m = step.exec(fieldPath);
    if (!m || !node) return undefined;
    const name = m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1');
    if (node.properties) {
      node = Object.hasOwn(node.properties, name) ? node.properties[name] : undefined;
      if (!node) return undefined;
      path = childPath(path, name);
    } else {
      node = additionalPropertiesSchema(node);
      if (!node) return undefined;
      path = subscriptPath(path, name);
    }
  }
  return path;
}

/** The rules of a node: its own and those of its allOf value validations. */
function rulesOf(schema: JSONSchemaProps): ValidationRule[] {
  return [...(schema['x-kubernetes-validations'] ?? []), ...(schema.allOf ?? []).flatMap(rulesOf)];
}

const compiledBySchema = new WeakMap<JSONSchemaProps, Compiled[]>();

function compiledRules(schema: JSONSchemaProps): Compiled[] {
  let compiled = compiledBySchema.get(schema);
  if (!compiled) {
    compiled = rulesOf(schema).map((rule) => {
      const compilation = compile(rule.rule);
      const entry: Compiled = { rule, usesOldSelf: false };
      if ('error' in compilation) entry.error = compilation.error;
      else Object.assign(entry, compilation);
      if (rule.messageExpression) {
        // A messageExpression that does not compile is ignored: the message is the fallback.
        const message = compile(rule.messageExpression);
        if ('program' in message) entry.messageProgram = message.program;
      }
      if (rule.fieldPath) {
        const normalized = normalizeFieldPath(schema, rule.fieldPath);
        if (normalized) entry.fieldPath = normalized;
      }
      return entry;
    });
    compiledBySchema.set(schema, compiled);
  }
  return compiled;
}

/** Whether any node of the schema has x-kubernetes-validations. */
export const hasValidationRules = subtreeTest((schema) => rulesOf(schema).length > 0);

/** Whether any node of the schema has a transition rule (one that reads oldSelf). */
const hasTransitionRules = subtreeTest((schema) => compiledRules(schema).some((c) => c.usesOldSelf));

function ruleErrorString(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : rule.rule.trim();
}

/** cel-go's wording for the runtime errors Kubernetes explains. */
function evaluationError(message: string, rule: ValidationRule): string {
  if (/^(found no matching overload|no such overload)/.test(message)) {
    return `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`;
  }
  const noSuchKey = /^field not found: (.*)$/.exec(message);
  return `${noSuchKey ? `no such key: ${noSuchKey[1]}` : message} evaluating rule: ${ruleErrorString(rule)}`;
}

function evaluatedMessage(program: Program, bindings: Record<string, CelInput>): string | undefined {
  const result = program(bindings);
  if (typeof result !== 'string') return undefined;
  const message = result.trim();
  const usable = message !== '' && !message.includes('\n') && Buffer.byteLength(message) <= MAX_MESSAGE_BYTES;
  return usable ? message : undefined;
}

function failure(compiled: Compiled, field: string, typeName: string, detail: string): FieldError {
  switch (compiled.rule.reason) {
    case 'FieldValueForbidden':
      return fieldErrors.forbidden(field, detail);
    case 'FieldValueRequired':
      return fieldErrors.required(field, detail);
    case 'FieldValueDuplicate':
      return fieldErrors.duplicate(field, typeName);
    default:
      return fieldErrors.invalid(field, typeName, detail);
  }
}

interface Node {
  schema: JSONSchemaProps;
  value: unknown;
  old: OldValue | undefined;
  path: string;
  resourceRoot: boolean;
  /** Whether the value equals its old value, or that of its nearest correlated ancestor. */
  unchanged: () => boolean;
}

function once(f: () => boolean): () => boolean {
  let result: boolean | undefined;
  return () => {
    result ??= f();
    return result;
  };
}

function evaluate(node: Node, cache: CelConversions, errors: FieldError[]): void {
  const { schema, value, old, path, resourceRoot } = node;
  // The badValue of a rule error is the type of the node, not its value (Kubernetes 1.34 and before).
  const typeName = schema.type ?? '';
  // An old null is no old value, as in Kubernetes.
  const hasOld = old?.value !== null && old?.value !== undefined;
  let self: CelInput | undefined;
  let oldSelf: CelInput | undefined;
  for (const compiled of compiledRules(schema)) {
    const { rule, program } = compiled;
    if (!program) {
      errors.push(fieldErrors.invalid(path, typeName, `rule compile error: ${compiled.error}`));
      continue;
    }
    // Ratcheting: a rule that does not read oldSelf cannot fail on what did not change. Kubernetes
    // evaluates it and turns its failure or evaluation error into a warning; not evaluating it gives the
    // same errors.
    if (!compiled.usesOldSelf && node.unchanged()) continue;
    const optionalOldSelf = rule.optionalOldSelf === true;
    if (compiled.usesOldSelf && !hasOld && !optionalOldSelf) continue;
    // JSON values that are deeply equal are equal in CEL too, so the rule holds without converting both
    // (past the line above, a rule that reads oldSelf without optionalOldSelf has an old value).
    if (compiled.equalsOldSelf && !optionalOldSelf && node.unchanged()) continue;
    self ??= toCelValue(schema, value, cache, resourceRoot);
    if (hasOld) oldSelf ??= toCelValue(schema, old?.value, cache, resourceRoot);
    const previous = hasOld ? oldSelf : undefined;
    const bindings: Record<string, CelInput> =
      previous === undefined ? { self } : { self, oldSelf: previous };
    const result = program(
      optionalOldSelf
        ? { self, oldSelf: previous === undefined ? optionalNone : optionalOf(previous) }
        : bindings,
    );
    if (isCelError(result)) {
      errors.push(fieldErrors.invalid(path, typeName, evaluationError(result.message, rule)));
      continue;
    }
    if (typeof result !== 'boolean') {
      errors.push(
        fieldErrors.invalid(path, typeName, 'rule compile error: the rule must evaluate to a bool'),
      );
      continue;
    }
    if (result) continue;
    const field = compiled.fieldPath ? childPath(path, compiled.fieldPath) : path;
    const detail =
      (compiled.messageProgram && evaluatedMessage(compiled.messageProgram, bindings)) ??
      (rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`);
    errors.push(failure(compiled, field, typeName, detail));
  }
}

function walk(node: Node, cache: CelConversions, errors: FieldError[]): void {
  const { schema, value, old, path } = node;
  if (value === null || value === undefined || !hasValidationRules(schema)) return;
  // Below a value equal to its old one, only transition rules can fail (see evaluate).
  if (node.unchanged() && !hasTransitionRules(schema)) return;
  evaluate(node, cache, errors);
  const child = (sub: JSONSchemaProps, childValue: unknown, childOld: OldValue | undefined, at: string) =>
    walk(
      {
        schema: sub,
        value: childValue,
        old: childOld,
        path: at,
        resourceRoot: sub['x-kubernetes-embedded-resource'] === true,
        unchanged: childOld ? once(() => deepEqual(childValue, childOld.value)) : node.unchanged,
      },
      cache,
      errors,
    );
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return;
    const correlate = correlateMapListItems(schema, old?.value);
    value.forEach((item, i) => {
      child(items, item, correlate?.(item), subscriptPath(path, i));
    });
  } else if (isJsonObject(value)) {
    const oldObject = isJsonObject(old?.value) ? old.value : undefined;
    const additional = additionalPropertiesSchema(schema);
    for (const [key, v] of Object.entries(value)) {
      const declared =
        schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      const sub = declared ?? additional;
      if (!sub) continue;
      const childOld = oldObject && Object.hasOwn(oldObject, key) ? { value: oldObject[key] } : undefined;
      child(sub, v, childOld, declared ? childPath(path, key) : subscriptPath(path, key));
    }
  }
}

/**
 * Evaluates every x-kubernetes-validations rule of `schema` over `value`. `old` is the previous value
 * on update; `resourceRoot` marks the root of a custom resource, whose `self` has apiVersion, kind and
 * metadata.
 */
export function validateRules(
  schema: JSONSchemaProps,
  value: unknown,
  old: OldValue | undefined,
  path: string,
  resourceRoot: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const unchanged = old ? once(() => deepEqual(value, old.value)) : () => false;
  walk({ schema, value, old, path, resourceRoot, unchanged }, new WeakMap(), errors);
  return errors;
}
