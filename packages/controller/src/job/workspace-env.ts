import type { WorkspaceSpec } from '@kelos/shared';
import { ENV, PATHS } from '@kelos/shared/constants';
import { envFromSecret, envValue } from './env.js';
import { parseGitHubRepo } from './git-url.js';
import type { V1EnvVar } from './kube-types.js';

const GITHUB_COM = 'github.com';
/** The Secret key holding the workspace token (PAT, or the minted GitHub App token). */
export const GITHUB_TOKEN_KEY = 'GITHUB_TOKEN';

/** The repository host when it is a GitHub host other than github.com (GitHub Enterprise). */
export function enterpriseHost(workspace: WorkspaceSpec): string | undefined {
  const host = parseGitHubRepo(workspace.repo)?.host;
  return host && host !== GITHUB_COM ? host : undefined;
}

/** `GH_HOST`, so gh targets the Enterprise host. */
export function ghHostEnv(workspace: WorkspaceSpec): V1EnvVar[] {
  const host = enterpriseHost(workspace);
  return host ? [envValue(ENV.ghHost, host)] : [];
}

/** `GITHUB_TOKEN` plus gh's variable: `GH_TOKEN` for github.com, `GH_ENTERPRISE_TOKEN` elsewhere. */
export function githubTokenEnv(workspace: WorkspaceSpec): V1EnvVar[] {
  const secretName = workspace.secretRef?.name;
  if (!secretName) return [];
  const ghTokenName = enterpriseHost(workspace) ? ENV.ghEnterpriseToken : ENV.ghToken;
  return [
    envFromSecret(ENV.githubToken, secretName, GITHUB_TOKEN_KEY),
    envFromSecret(ghTokenName, secretName, GITHUB_TOKEN_KEY),
  ];
}

/**
 * `KELOS_GITHUB_TOKEN_FILE`: the credential helper and the gh wrapper re-read this file on every
 * call, so a token the controller refreshes in the Secret reaches a running pod.
 */
export function githubTokenFileEnv(workspace: WorkspaceSpec): V1EnvVar[] {
  return workspace.secretRef?.name ? [envValue(ENV.githubTokenFile, PATHS.githubTokenFile)] : [];
}

/** The workspace env shared by the agent, git-clone and branch-setup (spec §4.3). */
export function workspaceInitEnv(workspace: WorkspaceSpec): V1EnvVar[] {
  return [...ghHostEnv(workspace), ...githubTokenEnv(workspace), ...githubTokenFileEnv(workspace)];
}
