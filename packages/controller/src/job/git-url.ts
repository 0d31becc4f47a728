export interface GitHubRepo {
  /** Host name, lower-cased, with the port when the URL has one. */
  host: string;
  owner: string;
  repo: string;
}

const SCP_LIKE = /^(?:[^@/:]+@)?([^/:]+):(.+)$/;

/**
 * Splits a clone URL (`https://host/owner/repo.git`, `git://…`, `ssh://git@host/…` or scp-like
 * `git@host:owner/repo.git`) into host, owner and repository. Anything that is not exactly
 * `owner/repo` on a host yields undefined, so callers treat it as "not a GitHub repository".
 */
export function parseGitHubRepo(url: string): GitHubRepo | undefined {
  const trimmed = url.trim();
  let host: string;
  let path: string;
  if (trimmed.includes('://')) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    host = parsed.host;
    path = decodeURIComponent(parsed.pathname);
  } else {
    const match = SCP_LIKE.exec(trimmed);
    if (!match?.[1] || !match[2]) return undefined;
    host = match[1];
    path = match[2];
  }
  const parts = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo || !host) return undefined;
  return { host: host.toLowerCase(), owner, repo };
}

/** Whether a workspace ref names a commit (40 hex digits) rather than a branch or tag. */
export function isFullCommitSha(ref: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(ref);
}
