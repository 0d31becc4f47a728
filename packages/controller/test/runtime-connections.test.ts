import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServingCerts } from '@kelos/devcluster';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../src/runtime/kube-client.js';

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
});
