/**
 * Validation, defaulting and pruning of custom resources against an apiextensions.k8s.io/v1
 * structural schema, reproducing kube-apiserver 1.34: the same checks, the same field paths and
 * the same error messages, so that tests and the dev cluster see what a real cluster would say.
 */
import type { FieldError } from './field-error.js';
import type { JSONSchemaProps } from './schema.js';
import { validateTree } from './validate.js';

export { applyDefaults, applyDefaultsInPlace } from './defaults.js';
export {
  type FieldError,
  type FieldErrorType,
  fieldErrors,
  formatFieldError,
  formatFieldErrorBody,
  formatInvalidMessage,
} from './field-error.js';
export { type PruneResult, pruneUnknownFields, pruneUnknownFieldsInPlace } from './prune.js';
export type { JSONSchemaProps, JSONSchemaType, ValidationRule, ValidationRuleReason } from './schema.js';
export { type ValidateOptions, validateValue } from './validate.js';

/**
 * Validates a whole custom resource against its CRD's openAPIV3Schema as kube-apiserver does on create
 * (and on update, given the old object: transition rules, ratcheting). apiVersion, kind and metadata
 * at the root are left out: the apiserver validates ObjectMeta on its own.
 */
export function validateObject(
  openAPIV3Schema: JSONSchemaProps,
  obj: unknown,
  oldObj?: unknown,
): FieldError[] {
  return validateTree(openAPIV3Schema, obj, oldObj, '', true);
}
