import {
  applyDefaultsInPlace,
  type JSONSchemaProps,
  pruneUnknownFieldsInPlace,
  validateObject,
} from '@kelos/shared';
import type { FieldError } from './field-errors.js';
import type { ResourceType } from './registry.js';
import { badRequest } from './status.js';
import type { KObject } from './types.js';
import { validateMetadata } from './validation.js';

/**
 * Custom resources go through the same steps as in kube-apiserver: prune unknown fields (or reject them
 * when the client asked for strict field validation), apply schema defaults, validate (including CEL
 * transition rules against the old object). The object is the request's own (a decoded body, or a merge
 * that copied what it took from the stored object), so pruning and defaulting work in place, without copies.
 * Returns the field errors.
 */
export function admitCustomResource(
  rt: ResourceType,
  obj: KObject,
  old: KObject | undefined,
  strict: boolean,
): FieldError[] {
  const schema = rt.schema as JSONSchemaProps | undefined;
  if (!schema) return validateMetadata(rt, obj, old);
  // apiVersion, kind and metadata are never pruned, and metadata is not defaulted: ObjectMeta is
  // validated on its own.
  const pruned = pruneUnknownFieldsInPlace(schema, obj, { resourceRoot: true });
  if (strict && pruned.length > 0) {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${pruned
        .map((p) => `unknown field "${p}"`)
        .join(', ')}`,
    );
  }
  applyDefaultsInPlace(schema, obj, { resourceRoot: true });
  return [...validateMetadata(rt, obj, old), ...validateObject(schema, obj, old)];
}
