import type { GitHubClient } from './client.js';
import { CommentAuthorizer } from './comment-authorizer.js';
import { type CommentPolicySettings, commentPolicyOf } from './comment-commands.js';
import {
  type CommentPolicyDecision,
  commandAuthors,
  decideCommentPolicy,
  type PolicyComment,
} from './comment-policy.js';
import { type GitHubIssueComment, loginOf, sameLogin } from './github-types.js';

export interface GitHubSourceOptions<Settings> {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** `spec.when.githubIssues` or `spec.when.githubPullRequests` of the TaskSpawner. */
  settings: Settings;
  /**
   * Ignore comments written with the spawner's own credentials (its status comments, an agent's
   * replies), so they neither fill `{{.Comments}}` nor trigger or exclude items. Default true. Note
   * that with a personal access token this ignores every comment of that token's user.
   */
  ignoreOwnComments?: boolean;
  /** Items whose comments, reviews and files are fetched at the same time; default 4. */
  concurrency?: number;
}

export const DEFAULT_CONCURRENCY = 4;

/** What a discovery needs to judge comments, built once per discovery. */
export class CommentJudge {
  private readonly policy: CommentPolicySettings | undefined;
  private readonly authorizer: CommentAuthorizer | undefined;

  private constructor(
    options: GitHubSourceOptions<Parameters<typeof commentPolicyOf>[0]>,
    private readonly self: string,
  ) {
    this.policy = commentPolicyOf(options.settings);
    this.authorizer =
      this.policy && new CommentAuthorizer(options.client, options.owner, options.repo, this.policy);
  }

  static async create(
    options: GitHubSourceOptions<Parameters<typeof commentPolicyOf>[0]>,
    signal?: AbortSignal,
  ): Promise<CommentJudge> {
    const self =
      options.ignoreOwnComments === false
        ? ''
        : await options.client.selfLogin({ signal }).catch((error: Error) => {
            throw new Error(`finding the login the spawner's GitHub credentials act as: ${error.message}`);
          });
    return new CommentJudge(options, self);
  }

  /** Whether a comment is the spawner's own. */
  isOwn(author: string): boolean {
    return this.self !== '' && sameLogin(author, this.self);
  }

  othersComments(comments: GitHubIssueComment[]): GitHubIssueComment[] {
    return comments.filter((comment) => !this.isOwn(loginOf(comment.user)));
  }

  /** The comment policy's verdict; every item passes when the source has no comment commands. */
  async decide(
    body: string,
    bodyAuthor: string,
    comments: PolicyComment[],
    signal?: AbortSignal,
  ): Promise<CommentPolicyDecision> {
    const { policy, authorizer } = this;
    if (!policy || !authorizer) return { allowed: true };
    const others = comments.filter((comment) => !this.isOwn(comment.author));
    const authorized = await authorizer.authorizedAmong(
      commandAuthors(policy, body, bodyAuthor, others),
      signal,
    );
    return decideCommentPolicy({
      policy,
      body,
      bodyAuthor,
      comments: others,
      authorized: (login) => authorized.has(login.toLowerCase()),
    });
  }
}
