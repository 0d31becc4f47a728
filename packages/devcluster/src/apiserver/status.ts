/** Kubernetes `Status` errors: every failure the server reports is one of these. */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Identifies the resource an error is about, for `details` and the message prefix. */
export interface ErrorTarget {
  group: string;
  /** Plural resource name, e.g. `configmaps` — Kubernetes puts it in `details.kind`. */
  resource: string;
  name?: string;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusObject {
    const status: StatusObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `configmaps` for the core group, `tasks.kelos.dev` otherwise — the form Kubernetes messages use. */
export function qualifiedResource(t: ErrorTarget): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

function targetDetails(t: ErrorTarget): StatusDetails {
  const d: StatusDetails = { group: t.group, kind: t.resource };
  if (t.name !== undefined) d.name = t.name;
  return d;
}

export function notFound(t: ErrorTarget): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualifiedResource(t)} "${t.name ?? ''}" not found`,
    targetDetails(t),
  );
}

export function alreadyExists(t: ErrorTarget): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(t)} "${t.name ?? ''}" already exists`,
    targetDetails(t),
  );
}

export function conflict(t: ErrorTarget, why: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(t)} "${t.name ?? ''}": ${why}`,
    targetDetails(t),
  );
}

export const MODIFIED_CONFLICT =
  'the object has been modified; please apply your changes to the latest version and try again';

/**
 * 422 Invalid. `kindQualified` is `Kind` or `Kind.group` (e.g. `Task.kelos.dev`), `message` the full
 * text, as Kubernetes formats it: `Task.kelos.dev "x" is invalid: spec.prompt: Required value`.
 */
export function invalid(
  kind: string,
  group: string,
  name: string,
  message: string,
  causes: StatusCause[],
): ApiError {
  return new ApiError(422, 'Invalid', message, { name, group, kind, causes });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function forbidden(t: ErrorTarget, why: string): ApiError {
  return new ApiError(
    403,
    'Forbidden',
    `${qualifiedResource(t)} "${t.name ?? ''}" is forbidden: ${why}`,
    targetDetails(t),
  );
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format: ${contentType}`,
  );
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function internalError(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : internalError(err);
}

export function isApiErrorCode(err: unknown, code: number): boolean {
  return err instanceof ApiError && err.code === code;
}
