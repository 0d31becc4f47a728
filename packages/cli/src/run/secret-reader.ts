import type { SecretKeyReader } from '@kelos/shared/context-sources';
import { isNotFound } from '../kube/errors.js';
import type { Rest } from '../kube/rest.js';

/**
 * Reads the Secret keys context sources send as headers (`headersFrom`), over the light REST client:
 * undefined when the Secret or the key is missing, which the fetcher reports by name, never by value.
 */
export function secretKeyReader(rest: Rest, namespace: string): SecretKeyReader {
  return async (secretName, key) => {
    let secret: { data?: Record<string, string> };
    try {
      secret = await rest.request(
        'GET',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(secretName)}`,
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const value = secret.data?.[key];
    return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
  };
}
