import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, createServer, type RequestOptions, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServingCerts } from '@kelos/devcluster';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeJsonClient } from '../src/runtime/json-client.js';
import { apiErrorCode, loadKubeConfig } from '../src/runtime/kube-client.js';
import { reuseConnections } from '../src/runtime/reuse-connections.js';

// A bare HTTPS server that answers every request bearing the token `t` with an empty NamespaceList (any
// other with 401) and counts the TLS connections clients open to it.
let server: Server;
let connections = 0;
let kubeconfig = '';

beforeAll(async () => {
  const certs = generateServingCerts();
  server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    if (req.headers.authorization !== 'Bearer t') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  server.on('secureConnection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'kelos-conn-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: `https://127.0.0.1:${port}`,
            'certificate-authority-data': Buffer.from(certs.caCert).toString('base64'),
          },
        },
      ],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('loadKubeConfig', () => {
  it('reuses TLS connections across API calls instead of one handshake per request', async () => {
    const core = loadKubeConfig({ kubeconfig }).makeApiClient(CoreV1Api);
    connections = 0;
    for (let i = 0; i < 10; i++) await core.listNamespace();
    expect(connections).toBe(1);
  });

  it('gives requests with the same settings one agent, and changed settings (a rotated CA) another', () => {
    const made: object[] = [];
    const kc = {
      createAgent: (_cluster: unknown, options: Record<string, unknown>) => {
        const agent = { options, getName: () => 'pool' };
        made.push(agent);
        return agent;
      },
    };
    reuseConnections(kc as unknown as KubeConfig);
    const cluster = { server: 'https://a' };
    // client-node decodes the CA afresh for every request: equal bytes, new buffers.
    const first = kc.createAgent(cluster, { ca: Buffer.from('ca-1'), rejectUnauthorized: true });
    expect(kc.createAgent(cluster, { ca: Buffer.from('ca-1'), rejectUnauthorized: true })).toBe(first);
    const rotated = kc.createAgent(cluster, { ca: Buffer.from('ca-2'), rejectUnauthorized: true });
    expect(rotated).not.toBe(first);
    expect(kc.createAgent(cluster, { ca: Buffer.from('ca-1'), rejectUnauthorized: true })).toBe(first);
    expect(kc.createAgent({ server: 'https://b' }, { ca: Buffer.from('ca-1') })).not.toBe(first);
    expect(made).toHaveLength(3);
  });

  it("names an agent's socket pools as Node does, per destination", async () => {
    const opts: RequestOptions = {};
    await loadKubeConfig({ kubeconfig }).applyToHTTPSOptions(opts);
    const agent = opts.agent as Agent;
    // What addRequest passes: the request's options with the agent's laid over them.
    const nodeName = (destination: RequestOptions) =>
      Agent.prototype.getName.call(agent, { ...destination, ...agent.options });
    const a = { host: '127.0.0.1', port: 1 };
    const b = { host: 'localhost', port: 2, servername: 'api' };
    for (const destination of [a, b, a, b]) {
      expect(agent.getName({ ...destination, ...agent.options })).toBe(nodeName(destination));
    }
    expect(nodeName(a)).not.toBe(nodeName(b));
  });
});

describe('KubeJsonClient', () => {
  const list = '/api/v1/namespaces';

  function countingSettings(kc: KubeConfig) {
    let asked = 0;
    const apply = kc.applyToHTTPSOptions.bind(kc);
    kc.applyToHTTPSOptions = (opts) => {
      asked += 1;
      return apply(opts);
    };
    return () => asked;
  }

  it('asks client-node for the connection settings once per interval, not per request', async () => {
    const kc = loadKubeConfig({ kubeconfig });
    const asked = countingSettings(kc);
    const json = new KubeJsonClient(kc, 60_000);
    for (let i = 0; i < 5; i++) await json.get(list);
    expect(asked()).toBe(1);
    const everyTime = new KubeJsonClient(kc, 0);
    for (let i = 0; i < 3; i++) await everyTime.get(list);
    expect(asked()).toBe(4);
  });

  it('asks again after a 401, so that rotated credentials are used at once', async () => {
    const kc = loadKubeConfig({ kubeconfig });
    const asked = countingSettings(kc);
    const user = kc.getCurrentUser() as { token?: string };
    user.token = 'expired';
    const json = new KubeJsonClient(kc, 60_000);
    expect(apiErrorCode(await json.get(list).catch((e: unknown) => e))).toBe(401);
    user.token = 't';
    await expect(json.get(list)).resolves.toMatchObject({ kind: 'NamespaceList' });
    expect(asked()).toBe(2);
  });

  it('does not decode what a create sends back when the caller ignores it; a failure still carries its Status', async () => {
    const kc = loadKubeConfig({ kubeconfig });
    // Settings asked for per request, so that the token changed below is sent.
    const json = new KubeJsonClient(kc, 0);
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } };
    await expect(json.create(list, body)).resolves.toMatchObject({ kind: 'NamespaceList' });
    await expect(json.createIgnoringResult(list, body)).resolves.toBeUndefined();
    (kc.getCurrentUser() as { token?: string }).token = 'expired';
    const failure = await json.createIgnoringResult(list, body).catch((e: unknown) => e);
    expect(apiErrorCode(failure)).toBe(401);
    expect((failure as { body: unknown }).body).toMatchObject({ kind: 'Status', code: 401 });
  });
});
