import { INIT_CONTAINER_NAMES, PATHS } from '@kelos/shared/constants';
import type { V1Container } from '../kube-types.js';
import type { JobBuilderOptions } from '../options.js';
import { pluginMount, pluginSourceMount } from '../volumes.js';
import { gitInitContainer, shellCommand } from './common.js';

/**
 * Copies the staged ConfigMap tree into the writable plugin directory. The kubelet materialises
 * ConfigMap items as symlinks into hidden `..data`/`..<timestamp>` directories, so the copy follows
 * symlinks (-L) and skips the `..*` entries. The script is constant: plugin content never appears
 * in the `sh -c` argument, which keeps it far below the 128 KiB limit on a single exec argument.
 */
export const PLUGIN_SETUP_SCRIPT = [
  'set -eu',
  `find ${PATHS.pluginSourceDir} -mindepth 1 -maxdepth 1 ! -name '..*' -exec cp -RL {} ${PATHS.pluginDir}/ ';'`,
].join('\n');

/** Init container 5 (spec §4.5): inline AgentConfig plugins. */
export function pluginSetupContainer(options: JobBuilderOptions): V1Container {
  return gitInitContainer(INIT_CONTAINER_NAMES.pluginSetup, options, {
    command: shellCommand(PLUGIN_SETUP_SCRIPT),
    volumeMounts: [pluginMount(), pluginSourceMount()],
  });
}
