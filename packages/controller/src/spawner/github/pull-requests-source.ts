import type { GitHubPullRequests, WorkItem, WorkItemSource } from '@kelos/shared';
import type { PolicyComment } from './comment-policy.js';
import { changedFilesMatch, pullRequestMatches } from './filters.js';
import {
  type GitHubPullRequest,
  type GitHubPullRequestFile,
  type GitHubReview,
  type GitHubReviewComment,
  labelNames,
  loginOf,
} from './github-types.js';
import { listIssueComments } from './issues-source.js';
import { joinComments, joinReviewComments } from './join-comments.js';
import { mapLimit } from './map-limit.js';
import { aggregateReviewState, reviewStateMatches } from './review-state.js';
import { CommentJudge, DEFAULT_CONCURRENCY, type GitHubSourceOptions } from './source-options.js';

/**
 * The `githubPullRequests` source (§10.4): one work item per matching pull request, with its head
 * branch and commit, the review state of that commit and the inline comments on it.
 */
export class GitHubPullRequestsSource implements WorkItemSource {
  constructor(private readonly options: GitHubSourceOptions<GitHubPullRequests>) {}

  async discover(signal?: AbortSignal): Promise<WorkItem[]> {
    const { client, owner, repo, settings } = this.options;
    const pulls = await client
      .list<GitHubPullRequest>(
        'GET /repos/{owner}/{repo}/pulls',
        { owner, repo, per_page: 100, state: settings.state ?? 'open', sort: 'updated', direction: 'desc' },
        { signal },
      )
      .catch((error: Error) => {
        throw new Error(
          `listing the pull requests of ${owner}/${repo} at ${client.baseUrl}: ${error.message}`,
        );
      });
    const judge = await CommentJudge.create(this.options, signal);
    const items = await mapLimit(
      pulls.filter((pr) => pullRequestMatches(pr, settings)),
      this.options.concurrency ?? DEFAULT_CONCURRENCY,
      (pr) =>
        this.workItem(pr, judge, signal).catch((error: Error) => {
          throw new Error(`pull request #${pr.number}: ${error.message}`);
        }),
    );
    return items.filter((item): item is WorkItem => item !== undefined);
  }

  private async workItem(
    pr: GitHubPullRequest,
    judge: CommentJudge,
    signal?: AbortSignal,
  ): Promise<WorkItem | undefined> {
    const { client, owner, repo, settings } = this.options;
    const params = { owner, repo, pull_number: pr.number, per_page: 100 };
    const patterns = settings.filePatterns;
    // Cheap filters first: the changed files, then the reviews, before the comments.
    if (patterns && (patterns.include?.length || patterns.exclude?.length)) {
      const files = await client.list<GitHubPullRequestFile>(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
        params,
        {
          signal,
        },
      );
      if (
        !changedFilesMatch(
          files.map((file) => file.filename),
          patterns,
        )
      )
        return undefined;
    }
    const reviews = await client.list<GitHubReview>(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      params,
      {
        signal,
      },
    );
    const review = aggregateReviewState(reviews, pr.head.sha);
    if (!reviewStateMatches(settings.reviewState, review.state)) return undefined;

    const conversation = judge.othersComments(
      await listIssueComments(client, owner, repo, pr.number, signal),
    );
    const inline = (
      await client.list<GitHubReviewComment>(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
        params,
        {
          signal,
        },
      )
    ).filter((comment) => !judge.isOwn(loginOf(comment.user)));

    const policyComments: PolicyComment[] = [
      ...conversation.map((c) => ({ body: c.body ?? '', author: loginOf(c.user), createdAt: c.created_at })),
      ...inline.map((c) => ({ body: c.body, author: loginOf(c.user), createdAt: c.created_at })),
      ...reviews
        .filter((r) => r.body?.trim())
        .map((r) => ({ body: r.body ?? '', author: loginOf(r.user), createdAt: r.submitted_at ?? '' })),
    ];
    const body = pr.body ?? '';
    const decision = await judge.decide(body, loginOf(pr.user), policyComments, signal);
    if (!decision.allowed) return undefined;

    const reviewTime = (settings.reviewState ?? 'any') !== 'any' ? review.submittedAt : undefined;
    const triggerTime = latest(decision.triggerTime, reviewTime);
    return {
      id: String(pr.number),
      number: pr.number,
      title: pr.title,
      body,
      url: pr.html_url,
      labels: labelNames(pr.labels),
      comments: joinComments(conversation.map((c) => c.body ?? '')),
      kind: 'PR',
      branch: pr.head.ref,
      headSHA: pr.head.sha,
      reviewState: review.state,
      reviewComments: joinReviewComments(inline.filter((c) => c.commit_id === pr.head.sha)),
      ...(triggerTime && { triggerTime }),
    };
  }
}

function latest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
