import { hasValidationRules, validateRules } from './cel.js';
import { validateEmbeddedResources } from './embedded-resource.js';
import { type FieldError, fieldErrors } from './field-error.js';
import { formatValidator } from './formats.js';
import { goFloat, goJson, goQuote, isGoInteger, jsonKind } from './go-format.js';
import { deepEqual, isJsonObject, type JsonObject, type OldValue } from './json-value.js';
import { correlateMapListItems, setContains, validateListSetsAndMaps } from './list-type.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './schema.js';

/**
 * OpenAPI value validation as kube-openapi does it for CRDs, with its messages: every keyword that
 * applies to the value's kind is checked (a type error does not stop the others), paths are the
 * OpenAPI names (`spec.items[0].name`, map values `spec.labels.key`).
 *
 * On update, a node equal to its old value (correlated by property name, map-list keys and set
 * values) is not validated: CRD validation ratcheting, on by default since Kubernetes 1.30.
 */

/** Fields of a custom resource root that the apiserver validates on its own, as ObjectMeta and TypeMeta. */
const RESOURCE_META = new Set(['apiVersion', 'kind', 'metadata']);

/** OpenAPI names start with a dot below the root ("" + "." + name); field paths do not. */
function fieldOf(name: string): string {
  return name.startsWith('.') ? name.slice(1) : name;
}

function composite(message: string): FieldError {
  return fieldErrors.invalid('', '', message);
}

const patterns = new Map<string, RegExp | string>();

/** The pattern as an ECMAScript RegExp, or why it is invalid. Go's leading `(?i)` style flags map to flags. */
function compilePattern(pattern: string): RegExp | string {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    const flags = /^\(\?([ims]+)\)/.exec(pattern);
    const source = flags ? pattern.slice(flags[0].length) : pattern;
    const modifiers = flags ? [...new Set(flags[1])].join('') : '';
    try {
      compiled = new RegExp(source, `${modifiers}u`);
    } catch {
      // RE2 takes identity escapes such as `\-` that Unicode mode refuses.
      try {
        compiled = new RegExp(source, modifiers);
      } catch (e) {
        compiled = (e as Error).message;
      }
    }
    patterns.set(pattern, compiled);
  }
  return compiled;
}

function schemaTypes(schema: JSONSchemaProps): string[] {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return schema.type ? [schema.type] : [];
}

class Validator {
  readonly errors: FieldError[] = [];

  constructor(private readonly skipResourceMeta: boolean) {}

  node(schema: JSONSchemaProps, value: unknown, name: string, old: OldValue | undefined): void {
    if (old && deepEqual(value, old.value)) return;
    if (value === null || value === undefined) {
      this.type(schema, null, name);
      this.enumeration(schema, null, name);
      return;
    }
    this.type(schema, value, name);
    this.composition(schema, value, name, old);
    if (typeof value === 'string') {
      this.string(schema, value, name);
      this.format(schema, value, name);
    }
    if (typeof value === 'number') this.number(schema, value, name);
    if (Array.isArray(value)) this.array(schema, value, name, old);
    this.enumeration(schema, value, name);
    if (isJsonObject(value)) this.object(schema, value, name, old);
  }

  private type(schema: JSONSchemaProps, value: unknown, name: string): void {
    const types = schemaTypes(schema);
    const format = formatValidator(schema.format) ? schema.format : undefined;
    if (types.length === 0 && !format) return;
    const kind = jsonKind(value);
    const mismatch = (expected: string, actual: string) =>
      this.errors.push(
        fieldErrors.typeInvalid(
          fieldOf(name),
          actual,
          `${name} in body must be of type ${expected}: ${goQuote(actual)}`,
        ),
      );
    if (kind === 'null') {
      if (types.length > 0 && !schema.nullable) mismatch(types.join(','), 'null');
      return;
    }
    // An integer is a valid number.
    const matches = types.includes(kind) || (kind === 'integer' && types.includes('number'));
    if (format && kind !== 'string' && kind !== 'array') {
      // The format of a non-string value is the Go type it decoded to.
      if (!matches) mismatch(format, kind === 'integer' ? 'int64' : kind === 'number' ? 'float64' : '');
      return;
    }
    if (
      format &&
      (kind === 'string' || kind === 'array') &&
      !types.includes('integer') &&
      !types.includes('number')
    ) {
      return;
    }
    if (!matches) mismatch(types.join(','), kind);
  }

  /** A copy of this validator's checks on the same value, collecting into a separate list. */
  private alternative(
    schema: JSONSchemaProps,
    value: unknown,
    name: string,
    old: OldValue | undefined,
  ): FieldError[] {
    const sub = new Validator(false);
    sub.node(schema, value, name, old);
    return sub.errors;
  }

  /** allOf, anyOf, oneOf and not; the best failing alternative explains an anyOf or oneOf failure. */
  private composition(
    schema: JSONSchemaProps,
    value: unknown,
    name: string,
    old: OldValue | undefined,
  ): void {
    // Only a failure quotes the name: this runs for every node of every object validated.
    const quoted = () => goQuote(name);
    const best = (results: FieldError[][]) =>
      results.reduce<FieldError[] | undefined>(
        (b, r) => (b === undefined || r.length < b.length ? r : b),
        undefined,
      );
    if (schema.anyOf && schema.anyOf.length > 0) {
      const results: FieldError[][] = [];
      let valid = false;
      for (const alternative of schema.anyOf) {
        const errors = this.alternative(alternative, value, name, old);
        valid = errors.length === 0;
        if (valid) break;
        results.push(errors);
      }
      if (!valid) {
        this.errors.push(
          composite(`${quoted()} must validate at least one schema (anyOf)`),
          ...(best(results) ?? []),
        );
      }
    }
    if (schema.oneOf && schema.oneOf.length > 0) {
      const results = schema.oneOf.map((alternative) => this.alternative(alternative, value, name, old));
      const valid = results.filter((r) => r.length === 0).length;
      if (valid !== 1) {
        const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
        this.errors.push(composite(`${quoted()} must validate one and only one schema (oneOf). ${found}`));
        if (valid === 0) this.errors.push(...(best(results) ?? []));
      }
    }
    if (schema.allOf && schema.allOf.length > 0) {
      const results = schema.allOf.map((alternative) => this.alternative(alternative, value, name, old));
      for (const r of results) this.errors.push(...r);
      const valid = results.filter((r) => r.length === 0).length;
      if (valid !== results.length) {
        this.errors.push(
          composite(
            `${quoted()} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`,
          ),
        );
      }
    }
    if (schema.not && this.alternative(schema.not, value, name, old).length === 0) {
      this.errors.push(composite(`${quoted()} must not validate the schema (not)`));
    }
  }

  /** maxLength, then minLength, then pattern: the first failure ends the string checks. */
  private string(schema: JSONSchemaProps, value: string, name: string): void {
    const field = fieldOf(name);
    // Lengths count code points, like Go's utf8.RuneCountInString.
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      this.errors.push(fieldErrors.tooLong(field, schema.maxLength));
      return;
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      this.errors.push(
        fieldErrors.invalid(
          field,
          value,
          `${name} in body should be at least ${schema.minLength} chars long`,
        ),
      );
      return;
    }
    if (schema.pattern === undefined) return;
    const re = compilePattern(schema.pattern);
    if (typeof re === 'string') {
      const detail = `${name} in body should match '${schema.pattern}, but pattern is invalid: ${re}'`;
      this.errors.push(fieldErrors.invalid(field, value, detail));
    } else if (!re.test(value)) {
      this.errors.push(fieldErrors.invalid(field, value, `${name} in body should match '${schema.pattern}'`));
    }
  }

  private format(schema: JSONSchemaProps, value: string, name: string): void {
    const valid = formatValidator(schema.format);
    if (valid && !valid(value)) {
      const detail = `${name} in body must be of type ${schema.format}: ${goQuote(value)}`;
      this.errors.push(fieldErrors.typeInvalid(fieldOf(name), value, detail));
    }
  }

  /**
   * multipleOf, minimum, maximum. An integer value is compared with the bound truncated to an
   * integer, as kube-openapi converts the bound to int64 for int64 values.
   */
  private number(schema: JSONSchemaProps, value: number, name: string): void {
    const field = fieldOf(name);
    const integer = isGoInteger(value);
    const bound = (b: number) => (integer ? Math.trunc(b) : b);
    const print = (b: number) => (integer ? String(b) : goFloat(b));
    if (schema.multipleOf !== undefined) {
      const factor =
        integer && Math.trunc(schema.multipleOf) !== 0 ? Math.trunc(schema.multipleOf) : schema.multipleOf;
      if (factor < 0) {
        this.errors.push(
          fieldErrors.invalid(
            field,
            factor,
            `factor MultipleOf declared for ${name} must be positive: ${print(factor)}`,
          ),
        );
      } else if (!isMultiple(value, factor)) {
        this.errors.push(
          fieldErrors.invalid(field, value, `${name} in body should be a multiple of ${print(factor)}`),
        );
      }
    }
    if (schema.minimum !== undefined) {
      const min = bound(schema.minimum);
      const exclusive = schema.exclusiveMinimum === true;
      if (exclusive ? value <= min : value < min) {
        const relation = exclusive ? 'greater than' : 'greater than or equal to';
        this.errors.push(
          fieldErrors.invalid(field, value, `${name} in body should be ${relation} ${print(min)}`),
        );
      }
    }
    if (schema.maximum !== undefined) {
      const max = bound(schema.maximum);
      const exclusive = schema.exclusiveMaximum === true;
      if (exclusive ? value >= max : value > max) {
        const relation = exclusive ? 'less than' : 'less than or equal to';
        this.errors.push(
          fieldErrors.invalid(field, value, `${name} in body should be ${relation} ${print(max)}`),
        );
      }
    }
  }

  /** Items first, then minItems and maxItems. */
  private array(schema: JSONSchemaProps, value: unknown[], name: string, old: OldValue | undefined): void {
    const field = fieldOf(name);
    const items = schema.items;
    if (items) {
      const correlate = correlateMapListItems(schema, old?.value);
      const isSet = schema['x-kubernetes-list-type'] === 'set';
      value.forEach((item, i) => {
        const itemOld = isSet
          ? setContains(old?.value, item)
            ? { value: item }
            : undefined
          : correlate?.(item);
        this.node(items, item, `${name}[${i}]`, itemOld);
      });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      const detail = `${name} in body should have at least ${schema.minItems} items`;
      this.errors.push(fieldErrors.invalid(field, value.length, detail));
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      this.errors.push(fieldErrors.tooMany(field, value.length, schema.maxItems));
    }
  }

  /** A null value never matches, not even a null member. Non-string members are listed as JSON. */
  private enumeration(schema: JSONSchemaProps, value: unknown, name: string): void {
    const members = schema.enum;
    if (!members || members.length === 0) return;
    if (value !== null && members.some((m) => deepEqual(m, value))) return;
    const supported = members.map((m) => (typeof m === 'string' ? m : goJson(m)));
    this.errors.push(fieldErrors.notSupported(fieldOf(name), value, supported));
  }

  private object(schema: JSONSchemaProps, value: JsonObject, name: string, old: OldValue | undefined): void {
    const field = fieldOf(name);
    const skipped = (key: string) => this.skipResourceMeta && name === '' && RESOURCE_META.has(key);
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) {
      const detail = `${name} in body should have at least ${schema.minProperties} properties`;
      this.errors.push(fieldErrors.invalid(field, count, detail));
    }
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      this.errors.push(fieldErrors.tooMany(field, count, schema.maxProperties));
    }
    const properties = schema.properties ?? {};
    const declared = (key: string) => Object.hasOwn(properties, key);
    const oldObject = isJsonObject(old?.value) ? old.value : undefined;
    const oldAt = (key: string) =>
      oldObject && Object.hasOwn(oldObject, key) ? { value: oldObject[key] } : undefined;
    const additional = additionalPropertiesSchema(schema);
    for (const [key, v] of Object.entries(value)) {
      if (declared(key)) continue;
      if (schema.additionalProperties === false) {
        this.errors.push(fieldErrors.invalid(field, key, `${name}.${key} in body is a forbidden property`));
      } else if (additional) {
        this.node(additional, v, `${name}.${key}`, oldAt(key));
      }
    }
    for (const [key, property] of Object.entries(properties)) {
      if (Object.hasOwn(value, key) && !skipped(key)) {
        this.node(property, value[key], name === '' ? key : `${name}.${key}`, oldAt(key));
      }
    }
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key) && !skipped(key))
        this.errors.push(fieldErrors.required(fieldOf(`${name}.${key}`)));
    }
  }
}

/** swag.IsFloat64AJSONInteger on value/factor, or exact division for integers. */
function isMultiple(value: number, factor: number): boolean {
  if (Number.isInteger(value) && Number.isInteger(factor)) return value % factor === 0;
  const quotient = factor < 1 ? (1 / factor) * value : value / factor;
  if (!Number.isFinite(quotient)) return false;
  const rounded = Math.round(quotient);
  return (
    quotient === rounded || Math.abs(quotient - rounded) / (Math.abs(quotient) + Math.abs(rounded)) < 1e-9
  );
}

/** Errors that make the apiserver skip CEL rules: it reports that instead of evaluating them on bad data. */
const BLOCKING = new Set<FieldError['type']>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/**
 * Every check of a create or update, in the apiserver's order: schema, embedded resources, list
 * sets and maps (on update only when the old value passed them), then the CEL rules.
 */
export function validateTree(
  schema: JSONSchemaProps,
  value: unknown,
  oldValue: unknown,
  path: string,
  resourceRoot: boolean,
): FieldError[] {
  const old = oldValue === undefined ? undefined : { value: oldValue };
  const validator = new Validator(resourceRoot);
  validator.node(schema, value, path, old);
  const errors = validator.errors;
  errors.push(...validateEmbeddedResources(schema, value, path, resourceRoot));
  if (!old || validateListSetsAndMaps(schema, old.value, path).length === 0) {
    errors.push(...validateListSetsAndMaps(schema, value, path));
  }
  if (hasValidationRules(schema)) {
    if (errors.some((e) => BLOCKING.has(e.type))) {
      const detail =
        'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
      errors.push(fieldErrors.invalid('', null, detail));
    } else {
      errors.push(...validateRules(schema, value, old, path, resourceRoot));
    }
  }
  return errors;
}

export interface ValidateOptions {
  /** The previous value on update: enables transition rules and ratcheting. */
  oldValue?: unknown;
  /** Path of `value` in its object, e.g. `spec`; errors are reported under it. */
  rootPath?: string;
}

/** Validates a value against a structural schema: OpenAPI keywords, list types and CEL rules. */
export function validateValue(
  schema: JSONSchemaProps,
  value: unknown,
  options: ValidateOptions = {},
): FieldError[] {
  return validateTree(schema, value, options.oldValue, options.rootPath ?? '', false);
}
