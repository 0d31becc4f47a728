import type { WorkspaceSpec } from '@kelos/shared';
import { INIT_CONTAINER_NAMES, PATHS } from '@kelos/shared/constants';
import { gitCredentialFlags, persistCredentialLines } from '../credential-helper.js';
import { isFullCommitSha } from '../git-url.js';
import type { V1Container } from '../kube-types.js';
import type { JobBuilderOptions } from '../options.js';
import { shellQuote } from '../shell.js';
import { workspaceMounts } from '../volumes.js';
import { workspaceInitEnv } from '../workspace-env.js';
import { gitInitContainer, shellCommand } from './common.js';

/**
 * `git clone` arguments. `--no-single-branch` keeps every branch's tip (depth 1) so branch-setup
 * and the agent can switch branches; a commit ref is not a valid `--branch`.
 */
export function cloneArgs(workspace: WorkspaceSpec): string[] {
  const ref = workspace.ref;
  const branch = ref && !isFullCommitSha(ref) ? ['--branch', ref] : [];
  return ['clone', ...branch, '--no-single-branch', '--depth', '1', '--', workspace.repo, PATHS.repo];
}

/** Clone through the credential helper, then keep the helper in the repository's config. */
function authenticatedCloneScript(): string {
  return [
    'set -eu',
    `git ${gitCredentialFlags()} "$@"`,
    ...persistCredentialLines(shellQuote(PATHS.repo)),
  ].join('\n');
}

/**
 * A commit cannot be cloned by name: init an empty repository, fetch just that commit and detach
 * onto it. Repository, target and commit arrive as `$1..$3` so no user value is spliced into code.
 */
export function commitCheckoutScript(authenticated: boolean): string {
  const flags = authenticated ? ` ${gitCredentialFlags()}` : '';
  return [
    'set -eu',
    'repo=$1',
    'target=$2',
    'ref=$3',
    'git init -q "$target"',
    'git -C "$target" remote add origin "$repo"',
    `git -C "$target"${flags} fetch --depth 1 origin "$ref"`,
    'git -C "$target" checkout -q --detach FETCH_HEAD',
    ...(authenticated ? persistCredentialLines('"$target"') : []),
  ].join('\n');
}

/** Init container 1 (spec §4.5): clone the workspace repository into `/workspace/repo`. */
export function gitCloneContainer(workspace: WorkspaceSpec, options: JobBuilderOptions): V1Container {
  const authenticated = Boolean(workspace.secretRef?.name);
  const common = { env: workspaceInitEnv(workspace), volumeMounts: workspaceMounts(workspace) };
  const name = INIT_CONTAINER_NAMES.gitClone;

  if (workspace.ref && isFullCommitSha(workspace.ref)) {
    return gitInitContainer(name, options, {
      command: shellCommand(commitCheckoutScript(authenticated)),
      args: ['--', workspace.repo, PATHS.repo, workspace.ref],
      ...common,
    });
  }
  if (authenticated) {
    // `sh -c script -- clone …`: `--` becomes $0, so "$@" is exactly the clone arguments.
    return gitInitContainer(name, options, {
      command: shellCommand(authenticatedCloneScript()),
      args: ['--', ...cloneArgs(workspace)],
      ...common,
    });
  }
  // The alpine/git entrypoint is git itself.
  return gitInitContainer(name, options, { args: cloneArgs(workspace), ...common });
}
