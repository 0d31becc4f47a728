/**
 * The REST API base URL for a git host: api.github.com for github.com, `/api/v3` on a GitHub
 * Enterprise host. An explicit override (a controller flag) wins, so that tests and proxies can
 * point Kelos at another server.
 */
export function githubApiBaseUrl(host: string, override?: string): string {
  if (override) return override.replace(/\/+$/, '');
  return host.toLowerCase() === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}
