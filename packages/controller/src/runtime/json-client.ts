import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

/** How long one request's connection settings serve the next ones (see connectionSettings). */
const SETTINGS_TTL_MS = 1000;

export type JsonMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonRequest {
  query?: Record<string, string>;
  body?: unknown;
  /** Of a PATCH: `application/json-patch+json`, `application/merge-patch+json`, … */
  contentType?: string;
  /** The caller has no use for the object the server sends back: a success is not decoded. */
  ignoreResult?: boolean;
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
  private server: Server | undefined;
  private settings: { at: number; options: RequestOptions } | undefined;

  constructor(
    readonly kubeConfig: KubeConfig,
    private readonly settingsTtlMs = SETTINGS_TTL_MS,
  ) {}

  /**
   * The agent, TLS material and credentials requests carry, from client-node at most once per
   * `settingsTtlMs`. client-node works them out afresh for every request: it decodes or reads the CA,
   * client certificate and key (from files, in a pod) and asks each authenticator. It caches tokens itself
   * (a token file for a minute, exec credentials until they expire), so this adds at most a second before
   * a rotation shows; a 401 drops the cached settings at once.
   */
  private async connectionSettings(): Promise<RequestOptions> {
    const now = performance.now();
    if (this.settings && now - this.settings.at < this.settingsTtlMs) return this.settings.options;
    const options: RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    this.settings = { at: now, options };
    return options;
  }

  /** The parts of the cluster's URL, parsed once rather than per request. */
  private serverOf(url: string): Server {
    if (this.server?.url === url) return this.server;
    const parsed = new URL(url);
    // A bracketed IPv6 literal is a hostname without its brackets for node:https.
    const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const pathPrefix = parsed.pathname.replace(/\/+$/, '');
    this.server = { url, protocol: parsed.protocol, hostname, port: parsed.port, pathPrefix };
    return this.server;
  }

  get<T>(path: string, query?: Record<string, string>): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  create<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  /**
   * A create whose caller does not read the created object (a Job, an Event): what the server returns is
   * not decoded, which saves parsing a defaulted Job or Event per Task.
   */
  async createIgnoringResult(path: string, body: unknown): Promise<void> {
    await this.request<unknown>('POST', path, { body, ignoreResult: true });
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
    const server = this.serverOf(cluster.server);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (body) {
      headers['content-type'] = req.contentType ?? 'application/json';
      // With a length the body leaves in the same write as the headers.
      headers['content-length'] = body.length;
    }
    const query = req.query ? `?${new URLSearchParams(req.query)}` : '';
    const settings = await this.connectionSettings();
    const opts: RequestOptions = {
      ...settings,
      method,
      headers: { ...settings.headers, ...headers },
      protocol: server.protocol,
      hostname: server.hostname,
      port: server.port,
      path: server.pathPrefix + path + query,
    };
    const send = server.protocol === 'http:' ? httpRequest : httpsRequest;
    const res = await new Promise<{ status: number; body: Buffer; headers: IncomingHttpHeaders }>(
      (resolve, reject) => {
        const r = send(opts, (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (c: Buffer) => chunks.push(c));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              body: Buffer.concat(chunks),
              headers: incoming.headers,
            }),
          );
        });
        r.on('error', reject);
        r.end(body);
      },
    );
    if (res.status < 200 || res.status > 299) {
      // Unauthorized: the credentials may have rotated; the next request asks client-node again.
      if (res.status === 401) this.settings = undefined;
      const hs: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') hs[k] = v;
      const text = res.body.toString('utf8');
      throw new ApiException(
        res.status,
        `${method} ${path} failed with HTTP ${res.status}`,
        safeParse(text) ?? text,
        hs,
      );
    }
    if (req.ignoreResult || res.body.length === 0) return undefined as T;
    return JSON.parse(res.body.toString('utf8')) as T;
  }
}

interface Server {
  url: string;
  protocol: string;
  hostname: string;
  port: string;
  /** The server URL's path (a proxy's, e.g. Rancher's `/k8s/clusters/ID`), without a trailing slash. */
  pathPrefix: string;
}

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
