import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKENS_FILE = 'tokens.json';

interface TokenFile {
  tokens: Record<string, string>;
}

/**
 * Bearer tokens → subjects. With a data dir the tokens are kept in `tokens.json`, so kubeconfigs and
 * ServiceAccount token volumes stay valid across restarts.
 */
export class TokenAuthenticator {
  private readonly tokens = new Map<string, string>();
  readonly adminToken: string;

  constructor(private readonly dataDir: string | undefined) {
    const path = dataDir ? join(dataDir, TOKENS_FILE) : undefined;
    if (path && existsSync(path)) {
      const file = JSON.parse(readFileSync(path, 'utf8')) as TokenFile;
      for (const [token, subject] of Object.entries(file.tokens)) this.tokens.set(token, subject);
    }
    const admin = [...this.tokens].find(([, subject]) => subject === 'admin');
    this.adminToken = admin?.[0] ?? this.issue('admin');
  }

  /** Mints a token for `subject` (e.g. `system:serviceaccount:ns:name`). */
  issue(subject: string): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, subject);
    this.save();
    return token;
  }

  /** The subject of an `Authorization` header, or undefined when it carries no valid bearer token. */
  authenticate(header: string | undefined): string | undefined {
    if (!header?.startsWith('Bearer ')) return undefined;
    const token = header.slice(7).trim();
    return this.tokens.get(token);
  }

  private save(): void {
    if (!this.dataDir) return;
    const file: TokenFile = { tokens: Object.fromEntries(this.tokens) };
    writeFileSync(join(this.dataDir, TOKENS_FILE), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }
}
