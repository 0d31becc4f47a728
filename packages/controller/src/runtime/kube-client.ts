import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { KubeJsonClient, safeParse } from './json-client.js';
import { reuseConnections } from './reuse-connections.js';

export interface KubeConfigOptions {
  /** Path of a kubeconfig file (the --kubeconfig flag). */
  kubeconfig?: string;
  /** Context of that file to use instead of its current-context. */
  context?: string;
  /** Use the pod's service account even when $KUBECONFIG or ~/.kube/config exist. */
  inCluster?: boolean;
}

/** A KubeConfig from --kubeconfig, else the in-cluster service account, else client-node's default lookup. */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else if (options.inCluster || process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (options.context) {
    // client-node accepts any name here and fails later with a confusing "no cluster": fail now instead.
    if (!kc.getContextObject(options.context))
      throw new Error(`context "${options.context}" not found in kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  return reuseConnections(kc);
}

export interface KubeClients {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly apps: AppsV1Api;
  readonly coordination: CoordinationV1Api;
  /** Kelos kinds; bodies travel as plain JSON (wire form), like the informer caches hold them. */
  readonly custom: CustomObjectsApi;
  /** Plain JSON over the same connections, for the hot path (see KubeJsonClient). */
  readonly json: KubeJsonClient;
}

export function makeClients(kc: KubeConfig): KubeClients {
  return {
    kubeConfig: kc,
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    json: new KubeJsonClient(kc),
  };
}

/** HTTP status of a failed API call: ApiException.code, or statusCode of a failed watch. */
export function apiErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

export const isNotFound = (err: unknown): boolean => apiErrorCode(err) === 404;
export const isConflict = (err: unknown): boolean => apiErrorCode(err) === 409;
export const isAlreadyExists = (err: unknown): boolean =>
  apiErrorCode(err) === 409 && statusReason(err) === 'AlreadyExists';

function statusReason(err: unknown): string | undefined {
  const body = (err as { body?: unknown }).body;
  const parsed = typeof body === 'string' ? safeParse(body) : body;
  const reason = (parsed as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * GET of an API path, answered as the server's JSON. The typed clients turn timestamps into Date objects
 * while watch events carry strings; informers list through this so their caches hold one form (the wire
 * form, as @kelos/shared types it). Failures throw ApiException like the typed clients.
 */
export function getJson<T>(kc: KubeConfig, path: string, query: Record<string, string> = {}): Promise<T> {
  return new KubeJsonClient(kc).get<T>(path, query);
}
