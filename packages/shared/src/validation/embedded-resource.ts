import { childPath, type FieldError, fieldErrors, subscriptPath } from './field-error.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { additionalPropertiesSchema, type JSONSchemaProps, subtreeTest } from './schema.js';

/**
 * x-kubernetes-embedded-resource objects must carry an apiVersion and a kind, as schemaobjectmeta
 * checks them. (Their metadata is left to the caller, like the root's.)
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function dns1035LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) errors.push(DNS1035_LABEL_MESSAGE);
  return errors;
}

function embeddedResourceErrors(object: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['apiVersion', 'kind']) {
    if (!Object.hasOwn(object, key))
      errors.push(fieldErrors.required(childPath(path, key), 'must not be empty'));
  }
  const { apiVersion, kind } = object;
  if (apiVersion !== undefined) {
    const field = childPath(path, 'apiVersion');
    if (typeof apiVersion !== 'string')
      errors.push(fieldErrors.invalid(field, apiVersion, 'must be a string'));
    else if (apiVersion === '') errors.push(fieldErrors.invalid(field, apiVersion, 'must not be empty'));
    else if (apiVersion.split('/').length > 2) {
      errors.push(fieldErrors.invalid(field, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    }
  }
  if (kind !== undefined) {
    const field = childPath(path, 'kind');
    if (typeof kind !== 'string') errors.push(fieldErrors.invalid(field, kind, 'must be a string'));
    else if (kind === '') errors.push(fieldErrors.invalid(field, kind, 'must not be empty'));
    else {
      const problems = dns1035LabelErrors(kind.toLowerCase());
      if (problems.length > 0) {
        errors.push(
          fieldErrors.invalid(
            field,
            kind,
            `may have mixed case, but should otherwise match: ${problems.join(',')}`,
          ),
        );
      }
    }
  }
  return errors;
}

const hasEmbeddedResources = subtreeTest((schema) => schema['x-kubernetes-embedded-resource'] === true);

/** Checks every embedded resource below `value` (the node itself only when it is not a resource root). */
export function validateEmbeddedResources(
  schema: JSONSchemaProps | undefined,
  value: unknown,
  path: string,
  resourceRoot: boolean,
): FieldError[] {
  if (!schema || !hasEmbeddedResources(schema)) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      validateEmbeddedResources(schema.items, item, subscriptPath(path, i), false),
    );
  }
  if (!isJsonObject(value)) return [];
  const errors =
    schema['x-kubernetes-embedded-resource'] && !resourceRoot ? embeddedResourceErrors(value, path) : [];
  const additional = additionalPropertiesSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    const property =
      schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (property) errors.push(...validateEmbeddedResources(property, v, childPath(path, key), false));
    else if (additional)
      errors.push(...validateEmbeddedResources(additional, v, subscriptPath(path, key), false));
  }
  return errors;
}
