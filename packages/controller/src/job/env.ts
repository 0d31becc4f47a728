import type { V1EnvVar } from './kube-types.js';

/** A literal env var. */
export function envValue(name: string, value: string): V1EnvVar {
  return { name, value };
}

/** An env var read from a Secret key. */
export function envFromSecret(name: string, secretName: string, key: string): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}
