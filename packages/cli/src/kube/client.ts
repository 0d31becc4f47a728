import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { CliError } from '../errors.js';
import { type KubeTarget, locateKubeconfig } from './kubeconfig.js';

/** The kubeconfig with `--kubeconfig` and `--context` applied, as @kubernetes/client-node loads it. */
export function loadKubeConfig(target: KubeTarget): KubeConfig {
  const source = locateKubeconfig(target);
  const kc = new KubeConfig();
  try {
    if (source.kind === 'file') kc.loadFromFile(source.path);
    else kc.loadFromDefault();
  } catch (err) {
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
