import type { IssueComment, IssueComments } from '../issue-comments.js';
import type { GitHubClient } from './client.js';
import { type GitHubIssueComment, loginOf } from './github-types.js';
import { listIssueComments } from './issues-source.js';

const toIssueComment = (comment: GitHubIssueComment): IssueComment => ({
  id: comment.id,
  body: comment.body ?? '',
  user: loginOf(comment.user),
  createdAt: comment.created_at,
  updatedAt: comment.updated_at,
});

/** The reporting loop's GitHub calls on one repository (§10.3 step 9), through the spawner's client. */
export class GitHubIssueComments implements IssueComments {
  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  async listComments(number: number, signal?: AbortSignal): Promise<IssueComment[]> {
    return (await listIssueComments(this.client, this.owner, this.repo, number, signal)).map(toIssueComment);
  }

  async createComment(number: number, body: string, signal?: AbortSignal): Promise<IssueComment> {
    const created = await this.client.octokit.request(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: this.owner,
        repo: this.repo,
        issue_number: number,
        body,
        request: { signal },
      },
    );
    return toIssueComment(created.data as GitHubIssueComment);
  }

  async updateComment(commentId: number, body: string, signal?: AbortSignal): Promise<IssueComment> {
    const updated = await this.client.octokit.request(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      {
        owner: this.owner,
        repo: this.repo,
        comment_id: commentId,
        body,
        request: { signal },
      },
    );
    return toIssueComment(updated.data as GitHubIssueComment);
  }

  selfLogin(signal?: AbortSignal): Promise<string> {
    return this.client.selfLogin({ signal });
  }
}
