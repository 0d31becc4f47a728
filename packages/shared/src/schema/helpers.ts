import { type SchemaOptions, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/**
 * Builders for the parts of a Kubernetes structural schema that TypeBox does not emit natively.
 * TypeBox writes enums as `anyOf` of constants and maps as `patternProperties`, neither of which
 * is allowed in a CRD's `openAPIV3Schema`; these helpers produce the structural form and keep the
 * static TypeScript type.
 */

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

export interface KubeSchemaOptions extends SchemaOptions {
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-map-type'?: 'granular' | 'atomic';
}

export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: KubeSchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

export function StringMap(options: KubeSchemaOptions = {}): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({
    ...options,
    type: 'object',
    additionalProperties: { type: 'string' },
  });
}

export function MapOf<T extends TSchema>(
  value: T,
  options: KubeSchemaOptions = {},
): TUnsafe<Record<string, T['static']>> {
  return Type.Unsafe<Record<string, T['static']>>({
    ...options,
    type: 'object',
    additionalProperties: value,
  });
}

export function Int32(options: KubeSchemaOptions = {}) {
  return Type.Integer({ ...options, format: 'int32' });
}

export function Int64(options: KubeSchemaOptions = {}) {
  return Type.Integer({ ...options, format: 'int64' });
}

export function IntOrString(options: KubeSchemaOptions = {}): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({ ...options, 'x-kubernetes-int-or-string': true });
}

export function DateTime(options: KubeSchemaOptions = {}) {
  return Type.String({ ...options, format: 'date-time' });
}

/**
 * An object whose full schema lives in Kubernetes (Container, Volume, Affinity, ...). Only the
 * fields Kelos' own rules need are declared; the rest is kept as the user wrote it and checked
 * by the API server when the Job is created, which keeps the CRDs small and version-independent.
 */
export function PreservedObject<T>(
  description: string,
  properties: Record<string, TSchema> = {},
  required: string[] = [],
): TUnsafe<T> {
  const schema: Record<string, unknown> = {
    type: 'object',
    description,
    'x-kubernetes-preserve-unknown-fields': true,
  };
  if (Object.keys(properties).length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  return Type.Unsafe<T>(schema);
}
