import { childPath, type FieldError, fieldErrors, subscriptPath } from './field-error.js';
import { goJson } from './go-format.js';
import { deepEqual, isJsonObject, type JsonObject, type OldValue } from './json-value.js';
import { childSchema, type JSONSchemaProps, subtreeTest } from './schema.js';

/**
 * `x-kubernetes-list-type`: sets hold unique values and map lists unique keys. Map-list items are
 * identified by their keys across an update, which correlates old and new items.
 */

/** The key fields of a map-list item, defaulted as the apiserver does; absent keys are left out. */
function listMapKeys(schema: JSONSchemaProps, item: JsonObject): JsonObject {
  const keys: JsonObject = {};
  for (const name of schema['x-kubernetes-list-map-keys'] ?? []) {
    const fallback = schema.items?.properties?.[name]?.default;
    if (Object.hasOwn(item, name)) keys[name] = item[name];
    else if (fallback !== undefined && fallback !== null) keys[name] = fallback;
  }
  return keys;
}

function identity(schema: JSONSchemaProps, item: JsonObject): string {
  return goJson(listMapKeys(schema, item));
}

/** For a map list: finds the old item with the same keys as a new one. Other lists never correlate. */
export function correlateMapListItems(
  schema: JSONSchemaProps,
  oldList: unknown,
): ((item: unknown) => OldValue | undefined) | undefined {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(oldList)) return undefined;
  const byKey = new Map<string, unknown>();
  for (const old of oldList) if (isJsonObject(old)) byKey.set(identity(schema, old), old);
  return (item) => {
    if (!isJsonObject(item)) return undefined;
    const key = identity(schema, item);
    return byKey.has(key) ? { value: byKey.get(key) } : undefined;
  };
}

function duplicates(schema: JSONSchemaProps, list: unknown[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  list.forEach((item, i) => {
    let id: string;
    let badValue: unknown = item;
    if (schema['x-kubernetes-list-type'] === 'set') {
      id = goJson(item);
    } else {
      if (!isJsonObject(item)) return;
      const keys = listMapKeys(schema, item);
      const names = schema['x-kubernetes-list-map-keys'] ?? [];
      // With a single key an absent one still counts, as an empty struct value.
      const [only] = names;
      badValue =
        names.length === 1 && only !== undefined && !Object.hasOwn(keys, only) ? { [only]: {} } : keys;
      id = goJson(badValue);
    }
    if (seen.has(id)) errors.push(fieldErrors.duplicate(subscriptPath(path, i), badValue));
    else seen.add(id);
  });
  return errors;
}

const hasSetsOrMaps = subtreeTest((schema) => {
  const listType = schema['x-kubernetes-list-type'];
  return listType === 'set' || listType === 'map';
});

/** structurallisttype.ValidateListSetsAndMaps: Duplicate errors for repeated set values and map keys. */
export function validateListSetsAndMaps(
  schema: JSONSchemaProps | undefined,
  value: unknown,
  path: string,
): FieldError[] {
  if (!schema || !hasSetsOrMaps(schema)) return [];
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    const errors = listType === 'set' || listType === 'map' ? duplicates(schema, value, path) : [];
    value.forEach((item, i) => {
      errors.push(...validateListSetsAndMaps(schema.items, item, subscriptPath(path, i)));
    });
    return errors;
  }
  if (isJsonObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => {
      const declared = schema.properties !== undefined && Object.hasOwn(schema.properties, k);
      return validateListSetsAndMaps(
        childSchema(schema, k),
        v,
        declared ? childPath(path, k) : subscriptPath(path, k),
      );
    });
  }
  return [];
}

/** Whether an equal item is in the old set: unchanged set items are not validated again on update. */
export function setContains(oldList: unknown, item: unknown): boolean {
  return Array.isArray(oldList) && oldList.some((old) => deepEqual(old, item));
}
