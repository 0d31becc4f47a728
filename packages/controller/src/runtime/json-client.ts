import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

export type JsonMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonRequest {
  query?: Record<string, string>;
  body?: unknown;
  /** Of a PATCH: `application/json-patch+json`, `application/merge-patch+json`, … */
  contentType?: string;
}

/**
 * JSON requests to the API server with the KubeConfig's connection and credentials (client-node applies
 * them per request, so rotated tokens and exec credentials keep working). The controller's hot path
 * (Task reads and writes, Job creates, Events) goes through here rather than client-node's generated
 * clients: those send through node-fetch and map every body through their ObjectSerializer in both
 * directions, which took about a third of the controller's CPU per request in the benchmark. Bodies
 * travel in wire form (timestamps as strings), as the informer caches hold objects. Failures throw
 * ApiException like the generated clients, so `apiErrorCode` and friends read both.
 */
export class KubeJsonClient {
  constructor(readonly kubeConfig: KubeConfig) {}

  get<T>(path: string, query?: Record<string, string>): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  create<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  replace<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown, contentType: string): Promise<T> {
    return this.request<T>('PATCH', path, { body, contentType });
  }

  delete<T>(path: string, query?: Record<string, string>): Promise<T> {
    return this.request<T>('DELETE', path, query ? { query } : {});
  }

  async request<T>(method: JsonMethod, path: string, req: JsonRequest = {}): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const url = new URL(cluster.server + path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (body) {
      headers['content-type'] = req.contentType ?? 'application/json';
      // With a length the body leaves in the same write as the headers.
      headers['content-length'] = body.length;
    }
    const opts: RequestOptions = { method, headers };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const res = await new Promise<{ status: number; text: string; headers: IncomingHttpHeaders }>(
      (resolve, reject) => {
        const r = send(url, opts, (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (c: Buffer) => chunks.push(c));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: incoming.headers,
            }),
          );
        });
        r.on('error', reject);
        r.end(body);
      },
    );
    if (res.status < 200 || res.status > 299) {
      const hs: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') hs[k] = v;
      throw new ApiException(
        res.status,
        `${method} ${path} failed with HTTP ${res.status}`,
        safeParse(res.text) ?? res.text,
        hs,
      );
    }
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }
}

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
