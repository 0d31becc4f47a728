/**
 * The subset of apiextensions.k8s.io/v1 JSONSchemaProps that structural schemas use. Property names
 * are the JSON names, so a CRD's `openAPIV3Schema` parsed from YAML can be used as it is.
 */

export type JSONSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** How a failed rule is reported; FieldValueInvalid when unset. */
export type ValidationRuleReason =
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate';

export interface ValidationRule {
  /** CEL expression over `self` (and `oldSelf` for transition rules) that must evaluate to true. */
  rule: string;
  message?: string;
  /** CEL expression producing the message; falls back to `message` when it fails. */
  messageExpression?: string;
  reason?: ValidationRuleReason;
  /** Relative JSON path (`.a.b`, `['key']`) of the field the error is reported on. */
  fieldPath?: string;
  /** Evaluate the transition rule on create too, with `oldSelf` an optional. */
  optionalOldSelf?: boolean;
}

export interface JSONSchemaProps {
  type?: JSONSchemaType;
  description?: string;
  title?: string;
  format?: string;
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];

  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  additionalProperties?: boolean | JSONSchemaProps;
  minProperties?: number;
  maxProperties?: number;

  items?: JSONSchemaProps;
  minItems?: number;
  maxItems?: number;

  pattern?: string;
  minLength?: number;
  maxLength?: number;

  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;

  /** Value validations only: structural schemas forbid types and structure in these. */
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;

  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
  'x-kubernetes-validations'?: ValidationRule[];
}

/** The additionalProperties schema, when it is one (`true` and `false` carry no schema). */
export function additionalPropertiesSchema(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** The schema of a child of an object node: a declared property, else the additionalProperties schema. */
export function childSchema(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined {
  const property = schema.properties ? Object.hasOwn(schema.properties, key) : false;
  return property ? schema.properties?.[key] : additionalPropertiesSchema(schema);
}

/**
 * A test of whether a schema or any schema below it (properties, additionalProperties, items) has
 * some feature, cached per schema node: it lets a walk skip the subtrees where it has nothing to do.
 */
export function subtreeTest(
  has: (schema: JSONSchemaProps) => boolean,
): (schema: JSONSchemaProps | undefined) => boolean {
  const cache = new WeakMap<JSONSchemaProps, boolean>();
  const test = (schema: JSONSchemaProps | undefined): boolean => {
    if (!schema) return false;
    let result = cache.get(schema);
    if (result === undefined) {
      result =
        has(schema) ||
        test(schema.items) ||
        test(additionalPropertiesSchema(schema)) ||
        Object.values(schema.properties ?? {}).some(test);
      cache.set(schema, result);
    }
    return result;
  };
  return test;
}
