import type { ConfigMap, Secret } from './types.js';

/**
 * What the node needs from the API server to start pods: the Secrets and ConfigMaps that env
 * vars and volumes reference, and tokens for the pod's service account. `undefined` means "not
 * found"; any thrown error is reported on the container like a kubelet API error.
 */
export interface ObjectReader {
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  issueServiceAccountToken(request: ServiceAccountTokenRequest): Promise<string>;
}

export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccountName: string;
  audiences?: string[];
  expirationSeconds?: number;
  /** Bound object, as a TokenRequest for a projected token has it. */
  pod: { name: string; uid: string };
}

/** A container cannot be started until the referenced objects exist (the kubelet retries). */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

/** Secret values as bytes; `stringData` is honoured in case the server did not fold it into `data`. */
export function secretEntries(secret: Secret): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(secret.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  return out;
}

export function configMapEntries(configMap: ConfigMap): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(configMap.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(configMap.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/**
 * Memoises lookups for one pod start, so a Secret referenced by several env vars and volumes is
 * read once and seen consistently.
 */
export class CachedObjectReader {
  private readonly secrets = new Map<string, Promise<Secret | undefined>>();
  private readonly configMaps = new Map<string, Promise<ConfigMap | undefined>>();

  constructor(
    private readonly reader: ObjectReader,
    readonly namespace: string,
  ) {}

  secret(name: string): Promise<Secret | undefined> {
    let p = this.secrets.get(name);
    if (!p) {
      p = this.reader.getSecret(this.namespace, name);
      this.secrets.set(name, p);
    }
    return p;
  }

  configMap(name: string): Promise<ConfigMap | undefined> {
    let p = this.configMaps.get(name);
    if (!p) {
      p = this.reader.getConfigMap(this.namespace, name);
      this.configMaps.set(name, p);
    }
    return p;
  }

  issueToken(request: Omit<ServiceAccountTokenRequest, 'namespace'>): Promise<string> {
    return this.reader.issueServiceAccountToken({ ...request, namespace: this.namespace });
  }
}
