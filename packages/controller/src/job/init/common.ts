import { AGENT_UID } from '@kelos/shared/constants';
import type { V1Container } from '../kube-types.js';
import { gitImage, type JobBuilderOptions } from '../options.js';

type ContainerFields = Pick<V1Container, 'command' | 'args' | 'env' | 'volumeMounts'>;

/**
 * An init container on the git image running as the agent UID, so everything it writes into the
 * shared volumes belongs to the user the agent runs as.
 */
export function gitInitContainer(
  name: string,
  options: JobBuilderOptions,
  fields: ContainerFields,
): V1Container {
  return {
    name,
    image: gitImage(options),
    ...(fields.command && { command: fields.command }),
    ...(fields.args && { args: fields.args }),
    ...(fields.env && fields.env.length > 0 && { env: fields.env }),
    ...(fields.volumeMounts && { volumeMounts: fields.volumeMounts }),
    securityContext: { runAsUser: AGENT_UID },
  };
}

/** `sh -c <script>`: every script here is POSIX sh, as alpine/git only has busybox ash. */
export function shellCommand(script: string): string[] {
  return ['sh', '-c', script];
}
