import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCerts } from '../certs.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { TokenAuthenticator } from './auth.js';
import { InProcessClient } from './client.js';
import { Cluster } from './cluster.js';
import { createHandler } from './http/handler.js';
import { bootstrapNamespaces } from './lifecycle.js';
import type { PodLogProvider } from './logs.js';
import { type FsyncMode, PersistenceLog } from './persistence.js';

export interface ApiServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Keeps PKI, tokens and objects here across restarts; without it everything lives in memory. */
  dataDir?: string;
  /** See FsyncMode: 'never' (default) survives process kills, 'always' also power loss. */
  fsync?: FsyncMode;
  /** Watch events kept for watch resumption (default 10,000). */
  watchHistory?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 10 s). */
  bookmarkIntervalMs?: number;
}

export interface ApiServer {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that signed the serving certificate. */
  readonly caCert: string;
  readonly adminToken: string;
  /** The API in-process, with the same semantics as over HTTP. */
  readonly client: InProcessClient;
  /** Mints a bearer token for a subject (e.g. for ServiceAccount token volumes). */
  issueToken(subject: string): string;
  writeKubeconfig(path: string): void;
  setPodLogProvider(provider: PodLogProvider | undefined): void;
  /** With a node, deleting a scheduled pod leaves its removal to the node after the grace period. */
  setGracefulPodDeletion(enabled: boolean): void;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const tempDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'kelos-devcluster-'));
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const certs = loadOrCreateCerts(options.dataDir ?? (tempDir as string));
  const auth = new TokenAuthenticator(options.dataDir);
  const persisted = options.dataDir
    ? PersistenceLog.open(options.dataDir, options.fsync ?? 'never')
    : undefined;
  const cluster = new Cluster({
    ...(persisted ? { log: persisted.log, state: persisted.state } : {}),
    ...(options.watchHistory !== undefined ? { watchHistory: options.watchHistory } : {}),
  });
  bootstrapNamespaces(cluster);

  let podLogs: PodLogProvider | undefined;
  let address = '';
  const server = createServer({ key: certs.key, cert: certs.cert, keepAlive: true });
  server.keepAliveTimeout = 65_000;
  server.on(
    'request',
    createHandler({
      cluster,
      auth,
      podLogs: () => podLogs,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
      serverAddress: () => address,
    }),
  );
  const bound = await listen(server, options.port ?? 0, host);
  const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  address = `${urlHost}:${bound.port}`;
  const url = `https://${address}`;

  let stopped = false;
  return {
    url,
    port: bound.port,
    caCert: certs.caCert,
    adminToken: auth.adminToken,
    client: new InProcessClient(cluster),
    issueToken: (subject) => auth.issue(subject),
    writeKubeconfig: (path) =>
      writeKubeconfig(path, { server: url, caCert: certs.caCert, token: auth.adminToken }),
    setPodLogProvider: (p) => {
      podLogs = p;
    },
    setGracefulPodDeletion: (enabled) => {
      cluster.gracefulPodDeletion = enabled;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Watches and idle keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      });
      persisted?.log.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
