import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiServer, type KObject, startApiServer } from '@kelos/devcluster';
import { buildCrd, type KindName } from '@kelos/shared';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/runtime/kube-client.js';
import { createLogger } from '../../src/runtime/logger.js';

export const silentLogger = createLogger({ level: 'silent' });

export interface RuntimeCluster {
  api: ApiServer;
  kc: KubeConfig;
  kubeconfigPath: string;
  /** Stops the API server and starts it again on the same port and data (a watch-breaking restart). */
  restart(beforeServing?: (api: ApiServer) => void): Promise<void>;
  installCrd(kind: KindName): void;
  stop(): Promise<void>;
}

/**
 * The dev cluster's API server on a free port, persisted to a temporary directory so that it can restart
 * with its objects. `watchHistory` bounds the events a watch can resume from: a small one turns a
 * restart into 410 Gone for watchers that were behind.
 */
export async function startRuntimeCluster(options: { watchHistory?: number } = {}): Promise<RuntimeCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kelos-runtime-test-'));
  const dataDir = join(dir, 'data');
  const serverOptions = {
    dataDir,
    ...(options.watchHistory !== undefined ? { watchHistory: options.watchHistory } : {}),
  };
  let api = await startApiServer({ port: 0, ...serverOptions });
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const cluster: RuntimeCluster = {
    api,
    kc: loadKubeConfig({ kubeconfig }),
    kubeconfigPath: kubeconfig,
    async restart(beforeServing) {
      const port = api.port;
      await api.stop();
      api = await startApiServer({ port, ...serverOptions });
      // Runs before any request reaches the new server: nothing can be watched in between.
      beforeServing?.(api);
      cluster.api = api;
    },
    installCrd(kind) {
      api.client.create(
        'customresourcedefinitions.apiextensions.k8s.io',
        buildCrd(kind) as unknown as KObject,
      );
    },
    async stop() {
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

// The dev cluster's test helper: one polling loop for both packages' tests.
export { eventually } from '../../../devcluster/test/helpers/eventually.js';

export function configMap(
  name: string,
  data: Record<string, string> = {},
  owner?: { apiVersion: string; kind: string; name: string; uid: string },
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      ...(owner ? { ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    data,
  } as KObject;
}

export function task(name: string): KObject {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'claude-code',
      prompt: 'Say hello.',
      credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
    },
  } as KObject;
}
