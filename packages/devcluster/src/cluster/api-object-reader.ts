import type { InProcessClient } from '../apiserver/client.js';
import { isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import type { ObjectReader, ServiceAccountTokenRequest } from '../node/object-reader.js';
import type { ConfigMap, Secret } from '../node/types.js';

/**
 * The node's view of Secrets, ConfigMaps and ServiceAccount tokens, read from the API in-process. Tokens are
 * bearer tokens of the API server for `system:serviceaccount:<ns>:<name>`; they carry no audience or expiry.
 */
export class ApiObjectReader implements ObjectReader {
  constructor(
    private readonly client: InProcessClient,
    private readonly issueToken: (subject: string) => string,
  ) {}

  async getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.getOrUndefined('secrets', namespace, name) as Secret | undefined;
  }

  async getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.getOrUndefined('configmaps', namespace, name) as ConfigMap | undefined;
  }

  async issueServiceAccountToken(request: ServiceAccountTokenRequest): Promise<string> {
    const { namespace, serviceAccountName } = request;
    // Kubernetes' TokenRequest fails for a ServiceAccount that does not exist; the kubelet then retries.
    if (!this.getOrUndefined('serviceaccounts', namespace, serviceAccountName)) {
      throw new Error(`serviceaccount "${serviceAccountName}" not found`);
    }
    return this.issueToken(`system:serviceaccount:${namespace}:${serviceAccountName}`);
  }

  private getOrUndefined(ref: string, namespace: string, name: string): KObject | undefined {
    try {
      return this.client.get(ref, name, namespace);
    } catch (err) {
      if (isApiErrorCode(err, 404)) return undefined;
      throw err;
    }
  }
}
