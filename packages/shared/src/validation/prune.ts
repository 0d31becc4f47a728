import { childPath, subscriptPath } from './field-error.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { additionalPropertiesSchema, type JSONSchemaProps } from './schema.js';

/**
 * Pruning of the fields a structural schema does not specify, as the apiserver does when it decodes
 * a custom resource. x-kubernetes-preserve-unknown-fields keeps a node's unknown fields (its known
 * ones are still pruned within), an x-kubernetes-embedded-resource keeps apiVersion, kind and metadata.
 */

const EMBEDDED_META = new Set(['apiVersion', 'kind', 'metadata']);

class Pruner {
  readonly pruned: string[] = [];

  constructor(private readonly resourceRoot: boolean) {}

  /** The schema of a child, or null when the child is not specified (undefined: no schema below). */
  private specified(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined | null {
    if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
    if (schema.additionalProperties === undefined || schema.additionalProperties === false) return null;
    return additionalPropertiesSchema(schema);
  }

  prune(value: unknown, schema: JSONSchemaProps | undefined, path: string): void {
    if (schema?.['x-kubernetes-preserve-unknown-fields']) {
      this.keepUnknown(value, schema, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        this.prune(item, schema?.items, subscriptPath(path, i));
      });
    } else if (isJsonObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (this.isRootMeta(path, key)) continue;
        if (schema && this.isEmbeddedMeta(schema, key, v)) continue;
        const sub = schema ? this.specified(schema, key) : null;
        if (sub === null) this.remove(value, key, path);
        else this.prune(v, sub, childPath(path, key));
      }
    }
  }

  /** skipPrune: unknown fields stay, but the specified ones are pruned within. */
  private keepUnknown(value: unknown, schema: JSONSchemaProps | undefined, path: string): void {
    if (!schema) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        this.keepUnknown(item, schema.items, subscriptPath(path, i));
      });
    } else if (isJsonObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (this.isRootMeta(path, key)) continue;
        if (schema['x-kubernetes-embedded-resource'] && EMBEDDED_META.has(key)) continue;
        const sub = this.specified(schema, key);
        if (sub !== null) this.prune(v, sub, childPath(path, key));
      }
    }
  }

  /** apiVersion, kind and metadata of the resource being pruned, which the apiserver checks on its own. */
  private isRootMeta(path: string, key: string): boolean {
    return this.resourceRoot && path === '' && EMBEDDED_META.has(key);
  }

  private isEmbeddedMeta(schema: JSONSchemaProps, key: string, value: unknown): boolean {
    if (!schema['x-kubernetes-embedded-resource'] || !EMBEDDED_META.has(key)) return false;
    return key === 'metadata' ? isJsonObject(value) : typeof value === 'string';
  }

  private remove(object: JsonObject, key: string, path: string): void {
    this.pruned.push(childPath(path, key));
    delete object[key];
  }
}

export interface PruneResult {
  value: unknown;
  /** Paths of the removed fields, e.g. `spec.foo`, `spec.items[0].bar`. */
  pruned: string[];
}

/** A copy of `value` without the fields `schema` does not specify, and the paths of those fields. */
export function pruneUnknownFields(schema: JSONSchemaProps, value: unknown): PruneResult {
  const copy = cloneJson(value);
  return { value: copy, pruned: pruneUnknownFieldsInPlace(schema, copy) };
}

/**
 * Removes the fields `schema` does not specify from `value` itself, for a caller that owns it (an
 * apiserver decoding a request body): no copy. Returns the paths of the removed fields. At a
 * `resourceRoot` (a custom resource) apiVersion, kind and metadata are left alone: the apiserver checks
 * them as TypeMeta and ObjectMeta, whatever the schema says.
 */
export function pruneUnknownFieldsInPlace(
  schema: JSONSchemaProps,
  value: unknown,
  options: { resourceRoot?: boolean } = {},
): string[] {
  const pruner = new Pruner(options.resourceRoot === true);
  pruner.prune(value, schema, '');
  return pruner.pruned;
}
