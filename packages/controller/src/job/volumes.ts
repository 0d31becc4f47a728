import type { WorkspaceSpec } from '@kelos/shared';
import { PATHS, VOLUME_NAMES } from '@kelos/shared/constants';
import type { V1KeyToPath, V1Volume, V1VolumeMount } from './kube-types.js';
import { pluginConfigMapName } from './plugins.js';
import { GITHUB_TOKEN_KEY } from './workspace-env.js';

/** Volumes and mounts of spec §4.4. Each call returns fresh objects, so Jobs never share them. */

export function workspaceMount(): V1VolumeMount {
  return { name: VOLUME_NAMES.workspace, mountPath: PATHS.workspace };
}

function githubTokenMount(): V1VolumeMount {
  return { name: VOLUME_NAMES.githubToken, mountPath: PATHS.githubTokenDir, readOnly: true };
}

export function pluginMount(): V1VolumeMount {
  return { name: VOLUME_NAMES.plugin, mountPath: PATHS.pluginDir };
}

export function pluginSourceMount(): V1VolumeMount {
  return { name: VOLUME_NAMES.pluginSource, mountPath: PATHS.pluginSourceDir, readOnly: true };
}

/** The workspace mount plus, with a token Secret, the token file the credential helper reads. */
export function workspaceMounts(workspace: WorkspaceSpec): V1VolumeMount[] {
  return workspace.secretRef?.name ? [workspaceMount(), githubTokenMount()] : [workspaceMount()];
}

/**
 * The workspace emptyDir and, with a token Secret, that Secret as a volume. The Secret volume is
 * optional and kubelet-synced: a refreshed GitHub App token reaches the running pod as a file.
 */
export function workspaceVolumes(workspace: WorkspaceSpec): V1Volume[] {
  const volumes: V1Volume[] = [{ name: VOLUME_NAMES.workspace, emptyDir: {} }];
  const secretName = workspace.secretRef?.name;
  if (secretName) {
    volumes.push({
      name: VOLUME_NAMES.githubToken,
      secret: { secretName, items: [{ key: GITHUB_TOKEN_KEY, path: GITHUB_TOKEN_KEY }], optional: true },
    });
  }
  return volumes;
}

/** The writable plugin directory shared by plugin-setup, skills-install and the agent. */
export function pluginVolume(): V1Volume {
  return { name: VOLUME_NAMES.plugin, emptyDir: {} };
}

/** The per-task plugin ConfigMap, projected into the plugin tree layout. */
export function pluginSourceVolume(taskName: string, items: V1KeyToPath[]): V1Volume {
  return {
    name: VOLUME_NAMES.pluginSource,
    configMap: { name: pluginConfigMapName(taskName), ...(items.length > 0 && { items }) },
  };
}
