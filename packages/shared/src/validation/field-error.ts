import { goQuote, goValue } from './go-format.js';

/** k8s.io/apimachinery/pkg/util/validation/field ErrorType values (the Status cause types). */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate';

/**
 * A field.Error. `field` is the path as Kubernetes prints it (`spec.items[0].name`, `spec.labels[key]`);
 * the empty string is the nil path, printed `<nil>`. Without `badValue` the value is left out of the
 * message, as for field.OmitValueType.
 */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail: string;
}

const LABELS: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueDuplicate: 'Duplicate value',
};

/** These types never print the value, whatever it is. */
const VALUELESS = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong']);

/** field.Error.ErrorBody(): the message without the field, as in a Status cause. */
export function formatFieldErrorBody(e: FieldError): string {
  let body = LABELS[e.type];
  if (!VALUELESS.has(e.type) && 'badValue' in e && e.badValue !== undefined)
    body += `: ${goValue(e.badValue)}`;
  if (e.detail !== '') body += `: ${e.detail}`;
  return body;
}

/** field.Error.Error(), e.g. `spec.prompt: Required value`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field === '' ? '<nil>' : e.field}: ${formatFieldErrorBody(e)}`;
}

/**
 * The message of an Invalid StatusError, e.g. `Task.kelos.dev "foo" is invalid: [e1, e2]`: one error
 * without brackets, repeated messages once, as utilerrors.Aggregate prints them.
 */
export function formatInvalidMessage(
  kind: string,
  group: string,
  name: string,
  errors: FieldError[],
): string {
  const messages = [...new Set(errors.map(formatFieldError))];
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const aggregate =
    messages.length === 0 ? '<nil>' : messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  return `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregate}`;
}

/** field.Path.Child */
export function childPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** field.Path.Index and field.Path.Key (a key prints without quotes, as Kubernetes does). */
export function subscriptPath(path: string, indexOrKey: number | string): string {
  return `${path}[${indexOrKey}]`;
}

/** Constructors mirroring field.Required, field.Invalid, ... */
export const fieldErrors = {
  required(field: string, detail = ''): FieldError {
    return { type: 'FieldValueRequired', field, detail };
  },
  forbidden(field: string, detail: string): FieldError {
    return { type: 'FieldValueForbidden', field, detail };
  },
  invalid(field: string, badValue: unknown, detail: string): FieldError {
    return { type: 'FieldValueInvalid', field, badValue, detail };
  },
  typeInvalid(field: string, badValue: unknown, detail: string): FieldError {
    return { type: 'FieldValueTypeInvalid', field, badValue, detail };
  },
  duplicate(field: string, badValue: unknown): FieldError {
    return { type: 'FieldValueDuplicate', field, badValue, detail: '' };
  },
  notSupported(field: string, badValue: unknown, supported: string[]): FieldError {
    const detail = supported.length > 0 ? `supported values: ${supported.map(goQuote).join(', ')}` : '';
    return { type: 'FieldValueNotSupported', field, badValue, detail };
  },
  /** field.TooLong: the value is never shown; the limit is in bytes in the message whatever was counted. */
  tooLong(field: string, maxLength: number): FieldError {
    const detail =
      maxLength >= 0
        ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`
        : 'value is too long';
    return { type: 'FieldValueTooLong', field, detail };
  },
  tooMany(field: string, actual: number, max: number): FieldError {
    const detail =
      max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
    const e: FieldError = { type: 'FieldValueTooMany', field, detail };
    if (actual >= 0) e.badValue = actual;
    return e;
  },
};
