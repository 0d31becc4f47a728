/**
 * The one error type every patch strategy throws, so the server can turn it into a `Status` without
 * knowing which strategy failed. `code` follows kube-apiserver: 400 when the patch document itself is
 * malformed, 422 when a well-formed patch cannot be applied to this object.
 */
export class PatchError extends Error {
  readonly code: 400 | 422;

  constructor(message: string, code: 400 | 422 = 422) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
  }
}
