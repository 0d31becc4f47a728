import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster.js';
import type { PodLogProvider } from '../logs.js';
import type { TableOptions } from '../table.js';

/** What a request handler works with. */
export interface RequestContext {
  cluster: Cluster;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  podLogs: PodLogProvider | undefined;
  bookmarkIntervalMs: number;
}

/** kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` to print human-readable tables. */
export function wantsTable(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('as=Table');
}

/** `includeObject` of a Table request: what each row carries (kube-apiserver defaults to Metadata). */
export function tableOptions(q: URLSearchParams): TableOptions {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' || v === 'Metadata' ? { includeObject: v } : {};
}

export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}
