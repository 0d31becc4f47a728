import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServingCerts } from '@kelos/devcluster';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../src/runtime/kube-client.js';
import { reuseConnections } from '../src/runtime/reuse-connections.js';

// A bare HTTPS server that answers every request with an empty NamespaceList and counts the TLS
// connections clients open to it.
let server: Server;
let connections = 0;
let kubeconfig = '';

beforeAll(async () => {
  const certs = generateServingCerts();
  server = createServer({ cert: certs.cert, key: certs.key }, (_req, res) => {
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
        const agent = { options };
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
});
