import { admitCustomResource } from './cr-admission.js';
import { computeCrdStatus, defaultCrd, validateCrd } from './crd.js';
import { applyBuiltinDefaults } from './defaults.js';
import { type FieldError, invalidError } from './field-errors.js';
import type { Registry, ResourceType } from './registry.js';
import type { KObject } from './types.js';
import { validateBuiltin } from './validation.js';

export function isCrdResource(rt: ResourceType): boolean {
  return rt.group === 'apiextensions.k8s.io' && rt.plural === 'customresourcedefinitions';
}

/**
 * Defaulting and validation of a create or update, as the admission chain plus the registry strategies
 * do in kube-apiserver. Throws the 422 Invalid Status; returns the object to store: `obj`, defaulted
 * and pruned in place.
 */
export function admit(
  registry: Registry,
  rt: ResourceType,
  obj: KObject,
  old: KObject | undefined,
  opts: { strictFields: boolean },
): KObject {
  let errors: FieldError[];
  if (rt.crdName !== undefined) {
    errors = admitCustomResource(rt, obj, old, opts.strictFields);
  } else if (isCrdResource(rt)) {
    defaultCrd(obj);
    errors = validateCrd(rt, obj, old);
  } else {
    applyBuiltinDefaults(rt.group, rt.kind, obj);
    errors = validateBuiltin(rt, obj, old);
  }
  if (errors.length > 0) throw invalidError(rt, obj.metadata.name ?? '', errors);
  if (isCrdResource(rt)) computeCrdStatus(registry, obj, old);
  return obj;
}
