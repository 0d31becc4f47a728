import { type FieldError, fieldErrors, formatFieldErrorBody, formatInvalidMessage } from '@kelos/shared';
import type { ResourceType } from './registry.js';
import { type ApiError, invalid } from './status.js';

export type { FieldError };

export const required = fieldErrors.required;
export const invalidValue = fieldErrors.invalid;
export const notSupported = fieldErrors.notSupported;
export const forbiddenField = fieldErrors.forbidden;
export const duplicate = fieldErrors.duplicate;

/** The 422 Invalid Status for a set of field errors, with one cause per error. */
export function invalidError(rt: ResourceType, name: string, errors: FieldError[]): ApiError {
  const causes = errors.map((e) => ({ reason: e.type, message: formatFieldErrorBody(e), field: e.field }));
  return invalid(rt.kind, rt.group, name, formatInvalidMessage(rt.kind, rt.group, name, errors), causes);
}
