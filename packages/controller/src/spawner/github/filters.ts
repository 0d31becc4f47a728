import type { GitHubIssues, GitHubPullRequests } from '@kelos/shared';
import picomatch from 'picomatch';
import { type GitHubIssue, type GitHubPullRequest, labelNames, loginOf, sameLogin } from './github-types.js';

const anyLogin = (logins: string[] | undefined, login: string) =>
  (logins ?? []).some((other) => sameLogin(other, login));

/**
 * The client-side filters of the issues source (§10.4); labels, state, assignee and author are
 * filtered by GitHub. The issues endpoint also returns pull requests, kept only when `types` asks.
 */
export function issueMatches(issue: GitHubIssue, source: GitHubIssues): boolean {
  const types = source.types?.length ? source.types : ['issues'];
  if (!types.includes(issue.pull_request ? 'pulls' : 'issues')) return false;
  if (anyLogin(source.excludeAuthors, loginOf(issue.user))) return false;
  const excluded = new Set(source.excludeLabels ?? []);
  return !labelNames(issue.labels).some((label) => excluded.has(label));
}

/** The pull-request source filters everything but state client-side (§10.4). */
export function pullRequestMatches(pr: GitHubPullRequest, source: GitHubPullRequests): boolean {
  const author = loginOf(pr.user);
  if (source.author && !sameLogin(source.author, author)) return false;
  if (anyLogin(source.excludeAuthors, author)) return false;
  if (source.draft !== undefined && (pr.draft ?? false) !== source.draft) return false;
  const labels = new Set(labelNames(pr.labels));
  if ((source.excludeLabels ?? []).some((label) => labels.has(label))) return false;
  return (source.labels ?? []).every((label) => labels.has(label));
}

export interface FilePatterns {
  include?: string[];
  exclude?: string[];
}

/**
 * `filePatterns` (doublestar globs, dot files included): excluded files are removed first; then at
 * least one remaining file must match an include pattern, or, without include patterns, at least
 * one file must remain.
 */
export function changedFilesMatch(files: string[], patterns: FilePatterns): boolean {
  const excluded = globMatcher(patterns.exclude);
  const remaining = excluded ? files.filter((file) => !excluded(file)) : files;
  const included = globMatcher(patterns.include);
  return included ? remaining.some(included) : remaining.length > 0;
}

function globMatcher(globs: string[] | undefined): ((file: string) => boolean) | undefined {
  if (!globs?.length) return undefined;
  return picomatch(globs, { dot: true });
}
