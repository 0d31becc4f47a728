import { type CelInput, celEnv, celList, celMap, isCelError, parse, plan } from '@bufbuild/cel';
import { isGoInteger } from './go-format.js';
import { isJsonObject } from './json-value.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './schema.js';

/**
 * JSON values as CEL sees them in x-kubernetes-validations, typed by the schema like
 * apiextensions' UnstructuredToVal: integers are int and numbers double whatever the JSON looks
 * like, date-time and date strings are timestamps, duration strings durations, byte strings bytes,
 * and only the fields the schema declares are visible.
 */

/** Lists of list-type set and map: equal to any permutation of themselves, as in Kubernetes. */
const unorderedLists = new WeakSet<object>();

export function isUnorderedList(value: unknown): boolean {
  return typeof value === 'object' && value !== null && unorderedLists.has(value);
}

/**
 * Conversions made during one validation: children are converted with their parent and rules deeper
 * in the tree reuse them. Scoped to a validation because callers may mutate objects between two.
 */
export type CelConversions = WeakMap<object, Map<JSONSchemaProps, CelInput>>;

const scalars = celEnv();
const timestampOf = plan(scalars, parse('timestamp(s)'));
const durationOf = plan(scalars, parse('duration(s)'));

function converted(result: ReturnType<typeof timestampOf>, fallback: string): CelInput {
  return isCelError(result) ? fallback : (result as CelInput);
}

function stringValue(schema: JSONSchemaProps, s: string): CelInput {
  switch (schema.format) {
    case 'date-time':
      return converted(timestampOf({ s }), s);
    case 'date':
      return converted(timestampOf({ s: `${s}T00:00:00Z` }), s);
    case 'duration':
      return converted(durationOf({ s }), s);
    case 'byte':
      return new Uint8Array(Buffer.from(s, 'base64'));
    default:
      return s;
  }
}

/** Fields without a type (other than int-or-string) are left out of CEL objects, as there. */
function isTyped(schema: JSONSchemaProps): boolean {
  return schema.type !== undefined || schema['x-kubernetes-int-or-string'] === true;
}

/** What CEL sees of ObjectMeta at a resource root or in an embedded resource. */
function objectMeta(metadata: unknown): CelInput {
  const visible = new Map<string, CelInput>();
  if (isJsonObject(metadata)) {
    for (const key of ['name', 'generateName']) {
      const v = metadata[key];
      if (typeof v === 'string') visible.set(key, v);
    }
  }
  return celMap(visible);
}

function objectValue(
  schema: JSONSchemaProps,
  value: Record<string, unknown>,
  resourceRoot: boolean,
  cache: CelConversions,
): CelInput {
  const fields = new Map<string, CelInput>();
  const additional = additionalPropertiesSchema(schema);
  const resource = resourceRoot || schema['x-kubernetes-embedded-resource'] === true;
  if (schema.properties || resource) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (Object.hasOwn(value, name) && isTyped(property))
        fields.set(name, toCelValue(property, value[name], cache));
    }
    if (resource) {
      for (const key of ['apiVersion', 'kind']) {
        const v = value[key];
        if (typeof v === 'string') fields.set(key, v);
      }
      if (Object.hasOwn(value, 'metadata')) fields.set('metadata', objectMeta(value.metadata));
    }
  } else if (additional) {
    for (const [key, v] of Object.entries(value)) fields.set(key, toCelValue(additional, v, cache));
  }
  // An object that only preserves unknown fields shows none of them.
  return celMap(fields);
}

function convert(
  schema: JSONSchemaProps,
  value: unknown,
  resourceRoot: boolean,
  cache: CelConversions,
): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const items = schema.items ?? {};
    const list = celList(value.map((item) => toCelValue(items, item, cache)));
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map') unorderedLists.add(list);
    return list;
  }
  if (isJsonObject(value)) return objectValue(schema, value, resourceRoot, cache);
  if (typeof value === 'number')
    return schema.type !== 'number' && isGoInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string') return stringValue(schema, value);
  return value as CelInput;
}

/** The CEL value of `self` for a node of `schema`; `resourceRoot` adds apiVersion, kind and metadata. */
export function toCelValue(
  schema: JSONSchemaProps,
  value: unknown,
  cache: CelConversions,
  resourceRoot = false,
): CelInput {
  if (typeof value !== 'object' || value === null || resourceRoot)
    return convert(schema, value, resourceRoot, cache);
  let bySchema = cache.get(value);
  if (!bySchema) {
    bySchema = new Map();
    cache.set(value, bySchema);
  }
  let cel = bySchema.get(schema);
  if (cel === undefined) {
    cel = convert(schema, value, false, cache);
    bySchema.set(schema, cel);
  }
  return cel;
}
