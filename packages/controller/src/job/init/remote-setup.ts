import type { GitRemote } from '@kelos/shared';
import { INIT_CONTAINER_NAMES, PATHS } from '@kelos/shared/constants';
import type { V1Container } from '../kube-types.js';
import type { JobBuilderOptions } from '../options.js';
import { shellQuote } from '../shell.js';
import { workspaceMount } from '../volumes.js';
import { gitInitContainer, shellCommand } from './common.js';

/** Adds each remote, or points an existing one (a re-run init container) at the configured URL. */
export function remoteSetupScript(remotes: readonly GitRemote[]): string {
  const steps = remotes.map((r) => {
    const name = shellQuote(r.name);
    const url = shellQuote(r.url);
    return (
      `if git remote get-url ${name} >/dev/null 2>&1; then git remote set-url ${name} ${url}; ` +
      `else git remote add ${name} ${url}; fi`
    );
  });
  return [`cd ${PATHS.repo}`, ...steps].join(' && ');
}

/** Init container 2 (spec §4.5): extra git remotes, e.g. `upstream` for fork workflows. */
export function remoteSetupContainer(remotes: readonly GitRemote[], options: JobBuilderOptions): V1Container {
  return gitInitContainer(INIT_CONTAINER_NAMES.remoteSetup, options, {
    command: shellCommand(remoteSetupScript(remotes)),
    volumeMounts: [workspaceMount()],
  });
}
