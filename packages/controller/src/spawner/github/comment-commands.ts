import type { GitHubCommentPolicy, GitHubIssues, GitHubPullRequests } from '@kelos/shared';

/** A command matches only as a whole line, surrounding spaces aside, so prose mentioning it does not. */
export function containsCommand(body: string, command: string): boolean {
  const wanted = command.trim();
  if (!wanted) return false;
  return body.split('\n').some((line) => line.trim() === wanted);
}

export function containsAnyCommand(body: string, commands: string[]): boolean {
  return commands.some((command) => containsCommand(body, command));
}

export type Permission = NonNullable<GitHubCommentPolicy['minimumPermission']>;

export interface CommentPolicySettings {
  trigger?: string;
  excludes: string[];
  allowedUsers: string[];
  allowedTeams: string[];
  minimumPermission?: Permission;
}

/**
 * The comment policy of a GitHub source: `commentPolicy`, or the deprecated top-level
 * `triggerComment`/`excludeComments` (the CRD forbids mixing them). Undefined when it names no
 * command, in which case comments neither pick nor exclude items.
 */
export function commentPolicyOf(
  source: GitHubIssues | GitHubPullRequests,
): CommentPolicySettings | undefined {
  const policy: GitHubCommentPolicy = source.commentPolicy ?? {
    ...(source.triggerComment !== undefined && { triggerComment: source.triggerComment }),
    ...(source.excludeComments !== undefined && { excludeComments: source.excludeComments }),
  };
  const trigger = policy.triggerComment?.trim();
  const excludes = (policy.excludeComments ?? []).map((c) => c.trim()).filter(Boolean);
  if (!trigger && excludes.length === 0) return undefined;
  return {
    ...(trigger && { trigger }),
    excludes,
    allowedUsers: policy.allowedUsers ?? [],
    allowedTeams: policy.allowedTeams ?? [],
    ...(policy.minimumPermission && { minimumPermission: policy.minimumPermission }),
  };
}
