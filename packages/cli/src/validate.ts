import { kelosValidationMessage } from '@kelos/shared';
import { CliError } from './errors.js';

/**
 * Checks a Kelos object the way the API server will (schema, enums, CEL rules), so that a bad flag
 * fails with field errors before anything is written or sent.
 */
export function assertValid(object: unknown): void {
  const message = kelosValidationMessage(object);
  if (message) throw new CliError(message);
}
