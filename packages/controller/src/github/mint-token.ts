import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import type { GitHubAppCredentials } from './app-credentials.js';

export interface InstallationToken {
  token: string;
  /** RFC 3339. */
  expiresAt: string;
}

/** Mints an installation access token: a JWT signed with the App key, exchanged at the API. */
export async function mintInstallationToken(
  credentials: GitHubAppCredentials,
  baseUrl: string,
): Promise<InstallationToken> {
  const auth = createAppAuth({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    installationId: credentials.installationId,
    request: request.defaults({ baseUrl }),
  });
  const { token, expiresAt } = await auth({ type: 'installation' });
  return { token, expiresAt };
}
