import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'kelos-dev';

export interface KubeconfigParams {
  server: string;
  caCert: string;
  token: string;
}

export function renderKubeconfig(p: KubeconfigParams): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: { server: p.server, 'certificate-authority-data': Buffer.from(p.caCert).toString('base64') },
      },
    ],
    users: [{ name: `${CONTEXT_NAME}-admin`, user: { token: p.token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: `${CONTEXT_NAME}-admin`, namespace: 'default' },
      },
    ],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

/** Writes a kubeconfig for the cluster (mode 0600: it holds the admin token). */
export function writeKubeconfig(path: string, p: KubeconfigParams): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderKubeconfig(p), { mode: 0o600 });
}
