import type { GitHubAppCredentials } from '../../github/app-credentials.js';
import { type InstallationToken, mintInstallationToken } from '../../github/mint-token.js';
import { tokenRefresh } from '../../github/token-secret.js';

/**
 * The spawner's GitHub App installation token, minted on first use and again when less than the
 * refresh margin (spec §7: five minutes) is left, or when GitHub refused it. Concurrent callers
 * share one mint.
 */
export class InstallationTokens {
  private current: InstallationToken | undefined;
  private minting: Promise<InstallationToken> | undefined;
  mints = 0;

  constructor(
    private readonly credentials: GitHubAppCredentials,
    private readonly baseUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.current && !tokenRefresh(this.current.expiresAt, this.now()).due) return this.current.token;
    this.minting ??= this.mint().finally(() => {
      this.minting = undefined;
    });
    return (await this.minting).token;
  }

  /** Forgets the token, after GitHub answered 401 with it. */
  invalidate(): void {
    this.current = undefined;
  }

  private async mint(): Promise<InstallationToken> {
    const { appId, installationId } = this.credentials;
    try {
      this.current = await mintInstallationToken(this.credentials, this.baseUrl);
      this.mints += 1;
      return this.current;
    } catch (error) {
      throw new Error(
        `minting a GitHub App installation token (app ${appId}, installation ${installationId}) at ${this.baseUrl}: ${(error as Error).message}; check the App ID, installation ID and private key in the workspace Secret`,
      );
    }
  }
}
