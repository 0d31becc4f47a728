import { PATHS } from '@kelos/shared/constants';
import { shellQuote } from './shell.js';

/** The username GitHub expects with an installation or personal access token. */
export const GIT_CREDENTIAL_USERNAME = 'x-access-token';

/**
 * The git credential helper (HEAD behaviour): read the token from the mounted Secret file on every
 * call so a refreshed token is picked up mid-task, and fall back to `$GITHUB_TOKEN` when the file
 * is absent. The username is not printed here but configured as `credential.username`, so a
 * username embedded in the repository URL still wins.
 */
export function gitCredentialHelper(): string {
  const file = PATHS.githubTokenFile;
  return `!f() { if [ -r "${file}" ]; then echo "password=$(cat "${file}")"; else echo "password=$GITHUB_TOKEN"; fi; }; f`;
}

/**
 * `git -c` flags for one authenticated command. The empty `credential.helper=` first clears helpers
 * inherited from system, global and repository config, so exactly this helper answers.
 */
export function gitCredentialFlags(): string {
  return (
    `-c credential.helper= -c credential.helper=${shellQuote(gitCredentialHelper())} ` +
    `-c credential.username=${GIT_CREDENTIAL_USERNAME}`
  );
}

/**
 * Script lines that store the helper and username in the cloned repository's config, so the agent
 * (and branch-setup) authenticate the same way without depending on image-level git config.
 * `repoDir` is a shell word (already quoted or a quoted variable).
 */
export function persistCredentialLines(repoDir: string): string[] {
  return [
    `git -C ${repoDir} config --unset-all credential.helper 2>/dev/null || true`,
    `git -C ${repoDir} config --add credential.helper ${shellQuote(gitCredentialHelper())}`,
    `git -C ${repoDir} config credential.username ${GIT_CREDENTIAL_USERNAME}`,
  ];
}
