import { API_GROUP, API_GROUP_VERSION, KINDS, type KindName } from './constants/api.js';
import { openAPISchemaFor } from './crd/build-crd.js';
import { KIND_DEFINITIONS } from './crd/kinds.js';
import {
  applyDefaults,
  type FieldError,
  formatFieldError,
  formatInvalidMessage,
  type JSONSchemaProps,
  validateObject,
} from './validation/index.js';

const schemas = new Map<KindName, JSONSchemaProps>();

function schemaOf(kind: KindName): JSONSchemaProps {
  let schema = schemas.get(kind);
  if (!schema) {
    schema = openAPISchemaFor(KIND_DEFINITIONS[kind]);
    schemas.set(kind, schema);
  }
  return schema;
}

export function isKelosKind(kind: unknown): kind is KindName {
  return typeof kind === 'string' && Object.hasOwn(KINDS, kind);
}

export interface KelosValidationResult<T> {
  /** The object with schema defaults applied, as the API server would store it. */
  object: T;
  errors: FieldError[];
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function metadataErrors(obj: Record<string, unknown>): FieldError[] {
  const metadata = obj.metadata as { name?: unknown; generateName?: unknown } | undefined;
  const name = metadata?.name;
  if (name === undefined || name === '') {
    if (typeof metadata?.generateName === 'string' && metadata.generateName !== '') return [];
    return [
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ];
  }
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        badValue: name,
        detail:
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
          'and must start and end with an alphanumeric character',
      },
    ];
  }
  return [];
}

/**
 * Validates a Kelos object as the API server does with the generated CRD: apiVersion/kind,
 * metadata.name, defaults, the structural schema and the CEL rules. Pass `old` to check
 * update rules such as spec immutability.
 */
export function validateKelosObject<T = unknown>(obj: unknown, old?: unknown): KelosValidationResult<T> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return {
      object: obj as T,
      errors: [
        { type: 'FieldValueTypeInvalid', field: '<root>', badValue: obj, detail: 'must be an object' },
      ],
    };
  }
  const record = obj as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (record.apiVersion !== API_GROUP_VERSION) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'apiVersion',
      badValue: record.apiVersion,
      detail: `supported values: "${API_GROUP_VERSION}"`,
    });
  }
  if (!isKelosKind(record.kind)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'kind',
      badValue: record.kind,
      detail: `supported values: ${Object.keys(KINDS)
        .map((k) => `"${k}"`)
        .join(', ')}`,
    });
    return { object: obj as T, errors };
  }
  const schema = schemaOf(record.kind);
  const defaulted = applyDefaults(schema, obj) as Record<string, unknown>;
  const oldDefaulted = old === undefined ? undefined : applyDefaults(schema, old);
  errors.push(...metadataErrors(defaulted), ...validateObject(schema, defaulted, oldDefaulted));
  return { object: defaulted as T, errors };
}

/** The message kube-apiserver would return for this object, or undefined when it is valid. */
export function kelosValidationMessage(obj: unknown, old?: unknown): string | undefined {
  const { errors } = validateKelosObject(obj, old);
  if (errors.length === 0) return undefined;
  const record = (obj ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = typeof record.kind === 'string' ? record.kind : 'Object';
  const name = typeof record.metadata?.name === 'string' ? record.metadata.name : '';
  return formatInvalidMessage(kind, API_GROUP, name, errors);
}

export { formatFieldError };
