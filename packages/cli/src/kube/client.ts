import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { CliError } from '../errors.js';
import { expandHome } from '../util/paths.js';

export interface KubeTarget {
  kubeconfig?: string;
  context?: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * client-node falls back to `http://localhost:8080` when it finds no kubeconfig at all, which then
 * fails with a baffling connection error; name the real problem instead.
 */
function hasDefaultKubeconfig(): boolean {
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return true;
  return existsSync(join(homedir(), '.kube', 'config')) || existsSync(IN_CLUSTER_TOKEN);
}

/** The kubeconfig with `--kubeconfig` and `--context` applied. */
export function loadKubeConfig(target: KubeTarget): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (target.kubeconfig) {
      const path = expandHome(target.kubeconfig);
      if (!existsSync(path)) throw new CliError(`kubeconfig not found: ${path}`);
      kc.loadFromFile(path);
    } else {
      if (!hasDefaultKubeconfig()) {
        throw new CliError(
          'no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config)',
          'Point --kubeconfig or KUBECONFIG at the kubeconfig of the cluster to use.',
        );
      }
      kc.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`loading kubeconfig: ${(err as Error).message.split('\n')[0]}`);
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) {
      throw new CliError(
        `context "${target.context}" does not exist in the kubeconfig`,
        `Known contexts: ${kc.contexts.map((c) => c.name).join(', ') || 'none'}.`,
      );
    }
    kc.setCurrentContext(target.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new CliError(
      `the kubeconfig's current context "${kc.getCurrentContext()}" names no cluster`,
      'Pick a context with --context.',
    );
  }
  return kc;
}

/** The namespace of the kubeconfig's current context, if it sets one. */
export function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

/** The API clients the commands use, all talking to the current context's cluster. */
export class Kube {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly extensions: ApiextensionsV1Api;
  /** Generic objects by apiVersion/kind (server-side apply of the install manifests). */
  readonly objects: KubernetesObjectApi;

  constructor(readonly config: KubeConfig) {
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.extensions = config.makeApiClient(ApiextensionsV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(config);
  }

  get server(): string {
    return this.config.getCurrentCluster()?.server ?? '';
  }
}
