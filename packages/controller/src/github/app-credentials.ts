/** The keys that make a workspace Secret a GitHub App Secret rather than a token (spec §7). */
export interface GitHubAppCredentials {
  appId: string;
  installationId: string;
  privateKey: string;
}

const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** GitHub App credentials from a Secret's `data` (base64), or undefined for any other Secret. */
export function githubAppCredentials(
  data: Record<string, string> | undefined,
): GitHubAppCredentials | undefined {
  const appId = data?.appID;
  const installationId = data?.installationID;
  const privateKey = data?.privateKey;
  if (!appId || !installationId || !privateKey) return undefined;
  return {
    appId: decode(appId).trim(),
    installationId: decode(installationId).trim(),
    privateKey: decode(privateKey),
  };
}
