import { createPublicKey, createVerify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake GitHub server received. */
export interface RecordedRequest {
  method: string;
  /** As received, GitHub Enterprise prefix and query included. */
  path: string;
  /** The path without the server's `pathPrefix`, which handlers match. */
  route: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The response status, once sent. */
  status?: number;
}

export interface FakeGitHubApp {
  appId: string;
  installationId: string;
  /** PEM private key the App signs its JWTs with; the server verifies with its public half. */
  privateKey: string;
  /** Returned by `GET /app`; default `app-<appId>`. */
  slug?: string;
}

/** An installation token the server handed out. */
export interface IssuedToken {
  appId: string;
  installationId: string;
  expiresAt: number;
}

export interface FakeGitHubOptions {
  /** Served under this prefix, as GitHub Enterprise serves `/api/v3`. */
  pathPrefix?: string;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => boolean;

/**
 * A local stand-in for the GitHub REST API that records every request. It serves the App
 * installation-token endpoint and `GET /app` (verifying the RS256 JWT), and more routes can be added
 * per test.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly issuedTokens = new Map<string, IssuedToken>();
  readonly pathPrefix: string;
  private readonly handlers: Handler[] = [];
  private readonly apps = new Map<string, FakeGitHubApp>();
  private tokenCounter = 0;
  tokenLifetimeMs = 60 * 60_000;
  private server: Server | undefined;
  url = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.pathPrefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  }

  addApp(app: FakeGitHubApp): void {
    this.apps.set(app.appId, app);
  }

  route(handler: Handler): void {
    this.handlers.push(handler);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.pathPrefix}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const path = req.url ?? '/';
    const route =
      this.pathPrefix && path.startsWith(this.pathPrefix) ? path.slice(this.pathPrefix.length) : path;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      route,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    res.on('finish', () => {
      recorded.status = res.statusCode;
    });
    if (this.installationToken(recorded, res)) return;
    if (this.app(recorded, res)) return;
    for (const handler of this.handlers) if (handler(recorded, res)) return;
    json(res, 404, { message: 'Not Found' });
  }

  private installationToken(req: RecordedRequest, res: ServerResponse): boolean {
    const match = /^\/app\/installations\/([^/]+)\/access_tokens$/.exec(req.route);
    if (!match || req.method !== 'POST') return false;
    const appId = verifiedAppId(req.headers.authorization, this.apps);
    if (!appId) return json(res, 401, { message: 'A JSON web token could not be decoded' });
    const installationId = this.apps.get(appId)?.installationId;
    if (!installationId || installationId !== match[1]) return json(res, 404, { message: 'Not Found' });
    this.tokenCounter += 1;
    const token = `ghs_fake_installation_token_${this.tokenCounter}`;
    const expiresAt = new Date(Date.now() + this.tokenLifetimeMs).toISOString().replace(/\.\d+Z$/, 'Z');
    this.issuedTokens.set(token, { appId, installationId, expiresAt: Date.parse(expiresAt) });
    return json(res, 201, { token, expires_at: expiresAt });
  }

  private app(req: RecordedRequest, res: ServerResponse): boolean {
    if (req.route !== '/app' || req.method !== 'GET') return false;
    const appId = verifiedAppId(req.headers.authorization, this.apps);
    if (!appId) return json(res, 401, { message: 'A JSON web token could not be decoded' });
    const app = this.apps.get(appId);
    return json(res, 200, { id: Number(appId), slug: app?.slug ?? `app-${appId}` });
  }

  /** The installation token's record when `token` was issued here and has not expired. */
  validInstallationToken(token: string): IssuedToken | undefined {
    const issued = this.issuedTokens.get(token);
    return issued && issued.expiresAt > Date.now() ? issued : undefined;
  }

  slugOf(appId: string): string {
    return this.apps.get(appId)?.slug ?? `app-${appId}`;
  }
}

function verifiedAppId(
  authorization: string | undefined,
  apps: Map<string, FakeGitHubApp>,
): string | undefined {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = jwt?.split('.') ?? [];
  if (!header || !payload || !signature) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string | number };
  const app = apps.get(String(claims.iss));
  if (!app) return undefined;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  return verifier.verify(createPublicKey(app.privateKey), Buffer.from(signature, 'base64url'))
    ? app.appId
    : undefined;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return true;
}
