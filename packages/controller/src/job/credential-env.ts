import type { AgentType, Credentials } from '@kelos/shared';
import { credentialEnvName } from '@kelos/shared/constants';
import { envFromSecret } from './env.js';
import { JobBuildError } from './errors.js';
import type { V1EnvVar } from './kube-types.js';

/**
 * The agent credential (spec §4.1): one env var read from the Secret key of the same name.
 * `type: none` injects nothing; the user brings env through `podOverrides.env`.
 */
export function credentialEnv(type: AgentType, credentials: Credentials): V1EnvVar[] {
  const name = credentialEnvName(type, credentials.type);
  if (name === undefined) return [];
  const secretName = credentials.secretRef?.name;
  if (!secretName) {
    // The CRD rejects this; a hand-built Task would otherwise reference a Secret named "".
    throw new JobBuildError(`credentials.secretRef is required for ${credentials.type} credentials`);
  }
  return [envFromSecret(name, secretName, name)];
}
