// Recognising Kubernetes API failures without importing @kubernetes/client-node (main.ts formats
// errors, and must stay light): client-node's ApiException and our ApiError both carry the HTTP code and
// the response body, which for API errors is a `Status` object as JSON text.

/** An API server's answer with an HTTP error code; `body` is its text, usually a `Status` as JSON. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}`);
    this.name = 'ApiError';
  }
}

/** A request that got no answer (refused, TLS, DNS). */
export class ConnectionError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`request to ${url} failed, reason: ${reason}`, options);
    this.name = 'ConnectionError';
  }
}

export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
}

function statusBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function apiStatus(err: unknown): ApiStatus | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, body } = err as { code?: unknown; body?: unknown };
  if (typeof code !== 'number' || body === undefined) return undefined;
  const status = statusBody(body);
  return {
    code,
    reason: typeof status?.reason === 'string' ? status.reason : '',
    message: typeof status?.message === 'string' ? status.message : String(body).slice(0, 200),
  };
}

export function isNotFound(err: unknown): boolean {
  return apiStatus(err)?.code === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return apiStatus(err)?.reason === 'AlreadyExists';
}

/**
 * A request that never got a response: our ConnectionError, or node-fetch's FetchError (requests made
 * through @kubernetes/client-node), whose message is `request to <url> failed, reason: <reason>`.
 */
export function connectionFailure(err: unknown): { url: string; reason: string } | undefined {
  if (err instanceof ConnectionError) return { url: err.url, reason: err.reason };
  if (!(err instanceof Error) || err.name !== 'FetchError') return undefined;
  const match = /^request to (\S+) failed, reason: (.*)$/s.exec(err.message);
  if (!match) return undefined;
  let origin = match[1] as string;
  if (URL.canParse(origin)) origin = new URL(origin).origin;
  return { url: origin, reason: match[2] as string };
}
