import type { GitHubIssues, WorkItem, WorkItemSource } from '@kelos/shared';
import type { GitHubClient } from './client.js';
import { issueMatches } from './filters.js';
import { type GitHubIssue, type GitHubIssueComment, labelNames, loginOf } from './github-types.js';
import { joinComments } from './join-comments.js';
import { mapLimit } from './map-limit.js';
import { CommentJudge, DEFAULT_CONCURRENCY, type GitHubSourceOptions } from './source-options.js';

/** Lists an issue's or pull request's conversation comments, oldest first (§10.4: ≤10 pages of 100). */
export function listIssueComments(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  signal?: AbortSignal,
): Promise<GitHubIssueComment[]> {
  return client.list<GitHubIssueComment>(
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { owner, repo, issue_number: number, per_page: 100 },
    { signal },
  );
}

/** The `githubIssues` source (§10.4): one work item per matching issue (and pull request, per `types`). */
export class GitHubIssuesSource implements WorkItemSource {
  constructor(private readonly options: GitHubSourceOptions<GitHubIssues>) {}

  async discover(signal?: AbortSignal): Promise<WorkItem[]> {
    const { client, owner, repo, settings } = this.options;
    const issues = await client
      .list<GitHubIssue>(
        'GET /repos/{owner}/{repo}/issues',
        {
          owner,
          repo,
          per_page: 100,
          state: settings.state ?? 'open',
          labels: settings.labels?.length ? settings.labels.join(',') : undefined,
          assignee: settings.assignee || undefined,
          creator: settings.author || undefined,
        },
        { signal },
      )
      .catch((error: Error) => {
        throw new Error(`listing the issues of ${owner}/${repo} at ${client.baseUrl}: ${error.message}`);
      });
    const judge = await CommentJudge.create(this.options, signal);
    const items = await mapLimit(
      issues.filter((issue) => issueMatches(issue, settings)),
      this.options.concurrency ?? DEFAULT_CONCURRENCY,
      (issue) => this.workItem(issue, judge, signal),
    );
    return items.filter((item): item is WorkItem => item !== undefined);
  }

  private async workItem(
    issue: GitHubIssue,
    judge: CommentJudge,
    signal?: AbortSignal,
  ): Promise<WorkItem | undefined> {
    const { client, owner, repo } = this.options;
    const what = `${issue.pull_request ? 'pull request' : 'issue'} #${issue.number}`;
    const comments = judge.othersComments(
      await listIssueComments(client, owner, repo, issue.number, signal).catch((error: Error) => {
        throw new Error(`fetching the comments of ${what}: ${error.message}`);
      }),
    );
    const body = issue.body ?? '';
    const decision = await judge
      .decide(
        body,
        loginOf(issue.user),
        comments.map((c) => ({ body: c.body ?? '', author: loginOf(c.user), createdAt: c.created_at })),
        signal,
      )
      .catch((error: Error) => {
        throw new Error(`evaluating the comment policy of ${what}: ${error.message}`);
      });
    if (!decision.allowed) return undefined;
    return {
      id: String(issue.number),
      number: issue.number,
      title: issue.title,
      body,
      url: issue.html_url,
      labels: labelNames(issue.labels),
      comments: joinComments(comments.map((c) => c.body ?? '')),
      kind: issue.pull_request ? 'PR' : 'Issue',
      ...(decision.triggerTime && { triggerTime: decision.triggerTime }),
    };
  }
}
