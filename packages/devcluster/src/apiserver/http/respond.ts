import type { ServerResponse } from 'node:http';
import { type ApiError, toApiError } from '../status.js';

export function sendJson(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendObject(res: ServerResponse, code: number, body: unknown): void {
  sendJson(res, code, JSON.stringify(body));
}

export function sendError(res: ServerResponse, err: unknown): void {
  const apiErr: ApiError = toApiError(err);
  if (apiErr.code >= 500) console.error('kelos-devcluster: request failed:', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendObject(res, apiErr.code, apiErr.toStatus());
}

export function successStatus(details?: object): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    ...(details ? { details } : {}),
  };
}
