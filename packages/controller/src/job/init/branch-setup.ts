import type { WorkspaceSpec } from '@kelos/shared';
import { ENV, INIT_CONTAINER_NAMES, PATHS } from '@kelos/shared/constants';
import { gitCredentialFlags } from '../credential-helper.js';
import { envValue } from '../env.js';
import type { V1Container } from '../kube-types.js';
import type { JobBuilderOptions } from '../options.js';
import { workspaceMounts } from '../volumes.js';
import { workspaceInitEnv } from '../workspace-env.js';
import { gitInitContainer, shellCommand } from './common.js';

/**
 * Checks out `$KELOS_BRANCH` (HEAD behaviour). `ls-remote --exit-code` tells the cases apart:
 * 0 — the branch exists on origin: fetch it, then fast-forward a local branch of that name or
 * create one from the fetched tip, so a later Task continues where an earlier one pushed;
 * 2 — it does not: create it from the cloned HEAD;
 * anything else (auth, network) fails the init container rather than silently starting a new
 * branch that would later collide with the remote one.
 * The branch name is read from the environment, never spliced into the script; the trailing `--`
 * keeps a branch named like a file in the repository from being taken for a path.
 */
export function branchSetupScript(authenticated: boolean): string {
  const remoteGit = authenticated ? `git ${gitCredentialFlags()}` : 'git';
  return [
    'set -eu',
    `cd ${PATHS.repo}`,
    'rc=0',
    `${remoteGit} ls-remote --exit-code --heads origin "refs/heads/$${ENV.branch}" >/dev/null || rc=$?`,
    'if [ "$rc" -eq 0 ]; then',
    `  ${remoteGit} fetch origin "refs/heads/$${ENV.branch}"`,
    `  if git show-ref --verify --quiet "refs/heads/$${ENV.branch}"; then`,
    `    git checkout "$${ENV.branch}" --`,
    '    git merge --ff-only FETCH_HEAD',
    '  else',
    `    git checkout -b "$${ENV.branch}" FETCH_HEAD --`,
    '  fi',
    'elif [ "$rc" -eq 2 ]; then',
    `  git checkout -b "$${ENV.branch}" --`,
    'else',
    '  echo "branch-setup: git ls-remote origin failed with exit code $rc" >&2',
    '  exit "$rc"',
    'fi',
  ].join('\n');
}

/** Init container 3 (spec §4.5): the Task's branch, when the Task has both a branch and a workspace. */
export function branchSetupContainer(
  branch: string,
  workspace: WorkspaceSpec,
  options: JobBuilderOptions,
): V1Container {
  return gitInitContainer(INIT_CONTAINER_NAMES.branchSetup, options, {
    command: shellCommand(branchSetupScript(Boolean(workspace.secretRef?.name))),
    env: [...workspaceInitEnv(workspace), envValue(ENV.branch, branch)],
    volumeMounts: workspaceMounts(workspace),
  });
}
