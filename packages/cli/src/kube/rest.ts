import type { IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError, ConnectionError } from './errors.js';
import type { StaticAccess } from './kubeconfig.js';

/** How to reach the API server: its URL and, per request, the TLS options, agent and auth headers. */
export interface Connection {
  readonly server: string;
  requestOptions(): Promise<RequestOptions>;
}

/** A context whose kubeconfig states everything: one keep-alive agent, one Authorization header. */
export async function staticConnection(access: StaticAccess): Promise<Connection> {
  const { Agent } = await import('node:https');
  const agent = new Agent({
    keepAlive: true,
    ...(access.ca && { ca: access.ca }),
    ...(access.cert && { cert: access.cert }),
    ...(access.key && { key: access.key }),
    ...(access.insecureSkipTlsVerify && { rejectUnauthorized: false }),
    ...(access.tlsServerName && { servername: access.tlsServerName }),
  });
  const headers: OutgoingHttpHeaders = {};
  if (access.token) headers.authorization = `Bearer ${access.token}`;
  else if (access.username) {
    headers.authorization = `Basic ${Buffer.from(`${access.username}:${access.password}`).toString('base64')}`;
  }
  return { server: access.server, requestOptions: async () => ({ agent, headers: { ...headers } }) };
}

/**
 * Any other context, through @kubernetes/client-node's own auth (exec and auth-provider plugins, token
 * files, proxies, in-cluster), asked again for every request so that expiring tokens are renewed.
 */
export function clientNodeConnection(config: KubeConfig): Connection {
  return {
    server: config.getCurrentCluster()?.server ?? '',
    async requestOptions() {
      const options: RequestOptions = { headers: {} };
      await config.applyToHTTPSOptions(options);
      return options;
    },
  };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestBody {
  value: unknown;
  /** Default `application/json`; patches name their strategy here. */
  contentType?: string;
}

/** JSON requests to the API server over node:http(s); failures arrive as ApiError or ConnectionError. */
export class Rest {
  constructor(private readonly connection: Connection) {}

  get server(): string {
    return this.connection.server;
  }

  async request<T>(method: HttpMethod, path: string, body?: RequestBody): Promise<T> {
    const url = new URL(path, this.connection.server);
    const [options, transport] = await Promise.all([
      this.connection.requestOptions(),
      url.protocol === 'http:' ? import('node:http') : import('node:https'),
    ]);
    const payload = body === undefined ? undefined : JSON.stringify(body.value);
    const headers: OutgoingHttpHeaders = {
      ...(options.headers as OutgoingHttpHeaders),
      accept: 'application/json',
      ...(payload !== undefined && {
        'content-type': body?.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(payload),
      }),
    };
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = transport.request(url, { ...options, method, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(new ConnectionError(url.origin, err.message, { cause: err })),
      );
      req.end(payload);
    });
    if (response.status >= 400) throw new ApiError(response.status, response.text);
    return (response.text === '' ? undefined : JSON.parse(response.text)) as T;
  }
}
