import { cloneJson, isJsonObject } from './json-value.js';
import { childSchema, type JSONSchemaProps } from './schema.js';

/**
 * Structural defaulting as the apiserver applies it when it decodes a custom resource (on create,
 * update and read): a property's `default` fills it when it is absent, or null without `nullable`;
 * other nulls without `nullable` are dropped; array items and map values that are null take the
 * item or value schema's default. Defaults are themselves defaulted.
 */

function hasDefault(schema: JSONSchemaProps | undefined): schema is JSONSchemaProps & { default: unknown } {
  return schema?.default !== undefined && schema.default !== null;
}

function isNonNullableNull(value: unknown, schema: JSONSchemaProps | undefined): boolean {
  return value === null && schema !== undefined && !schema.nullable;
}

/** `skip`: a key of this object that no default applies to (a custom resource's metadata). */
function defaultInPlace(value: unknown, schema: JSONSchemaProps | undefined, skip?: string): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    value.forEach((item, i) => {
      if (isNonNullableNull(item, items) && hasDefault(items)) value[i] = cloneJson(items.default);
      defaultInPlace(value[i], items);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (key === skip) continue;
    if (hasDefault(property) && (!Object.hasOwn(value, key) || isNonNullableNull(value[key], property))) {
      value[key] = cloneJson(property.default);
    }
  }
  for (const key of Object.keys(value)) {
    if (key === skip) continue;
    const sub = childSchema(schema, key);
    if (isNonNullableNull(value[key], sub)) {
      if (hasDefault(sub)) value[key] = cloneJson(sub.default);
      else {
        delete value[key];
        continue;
      }
    }
    defaultInPlace(value[key], sub);
  }
}

/** A copy of `value` with the schema's defaults applied; `value` itself is left as it is. */
export function applyDefaults(schema: JSONSchemaProps, value: unknown): unknown {
  const copy = cloneJson(value);
  defaultInPlace(copy, schema);
  return copy;
}

/**
 * Applies the schema's defaults to `value` itself, for a caller that owns it (an apiserver decoding a
 * request body): no copy. At a `resourceRoot` (a custom resource) metadata is stored as sent: no schema
 * defaults ObjectMeta.
 */
export function applyDefaultsInPlace(
  schema: JSONSchemaProps,
  value: unknown,
  options: { resourceRoot?: boolean } = {},
): void {
  defaultInPlace(value, schema, options.resourceRoot ? 'metadata' : undefined);
}
