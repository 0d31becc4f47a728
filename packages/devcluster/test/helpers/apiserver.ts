import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { type ApiServer, type ApiServerOptions, startApiServer } from '../../src/index.js';

export interface TestCluster {
  server: ApiServer;
  kc: KubeConfig;
  kubeconfigPath: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts a server on a free port and loads a client-node KubeConfig from the kubeconfig it writes. */
export async function startTestCluster(options: ApiServerOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kelos-apiserver-test-'));
  const server = await startApiServer({ port: 0, ...options });
  const kubeconfigPath = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfigPath);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    server,
    kc,
    kubeconfigPath,
    dir,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { eventually } from './eventually.js';

/** The HTTP status code of a failed client-node call (ApiException.code). */
export async function errorOf(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; body?: unknown };
    const body =
      typeof e.body === 'string'
        ? (JSON.parse(e.body) as Record<string, unknown>)
        : (e.body as Record<string, unknown>);
    return { code: e.code ?? 0, body };
  }
  throw new Error('expected the call to fail');
}

/** A raw HTTPS request to the test server with the admin token (or `token`). */
export async function rawRequest(
  c: TestCluster,
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; token?: string | null } = {},
): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
  const { request } = await import('node:https');
  const url = new URL(c.server.url + path);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const token = init.token === undefined ? c.server.adminToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request(url, { method: init.method ?? 'GET', ca: c.server.caCert, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          text,
          json: () => JSON.parse(text) as Record<string, unknown>,
        });
      });
    });
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}
