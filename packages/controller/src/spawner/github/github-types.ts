/** The fields of GitHub REST responses the spawner reads; GitHub sends many more. */

export interface GitHubUser {
  login: string;
}

export interface GitHubLabel {
  name: string;
}

export interface GitHubIssue {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  labels: (GitHubLabel | string)[];
  user: GitHubUser | null;
  /** Present when the issue is a pull request. */
  pull_request?: unknown;
}

export interface GitHubPullRequest {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  labels: (GitHubLabel | string)[];
  user: GitHubUser | null;
  draft?: boolean;
  head: { ref: string; sha: string };
}

export interface GitHubIssueComment {
  id: number;
  body?: string;
  user: GitHubUser | null;
  created_at: string;
  updated_at: string;
}

export interface GitHubReview {
  id: number;
  body?: string | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
  user: GitHubUser | null;
}

export interface GitHubReviewComment {
  id: number;
  body: string;
  path: string;
  line?: number | null;
  commit_id: string;
  created_at: string;
  user: GitHubUser | null;
}

export interface GitHubPullRequestFile {
  filename: string;
}

export const labelNames = (labels: (GitHubLabel | string)[]): string[] =>
  labels.map((label) => (typeof label === 'string' ? label : label.name));

export const loginOf = (user: GitHubUser | null | undefined): string => user?.login ?? '';

/** GitHub logins are case-insensitive. */
export const sameLogin = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
