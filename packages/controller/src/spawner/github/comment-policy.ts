import { type CommentPolicySettings, containsAnyCommand, containsCommand } from './comment-commands.js';

/** A comment as the policy sees it: a conversation comment, inline review comment or review body. */
export interface PolicyComment {
  body: string;
  author: string;
  /** RFC 3339. */
  createdAt: string;
}

export interface CommentPolicyInput {
  policy: CommentPolicySettings;
  /** The issue or pull request description, which counts like a comment without a time. */
  body: string;
  bodyAuthor: string;
  comments: PolicyComment[];
  /** Whether a login's commands count (allowedUsers/allowedTeams/minimumPermission, resolved beforehand). */
  authorized: (login: string) => boolean;
}

export interface CommentPolicyDecision {
  allowed: boolean;
  /** When the deciding trigger comment was written; absent when the trigger is in the body. */
  triggerTime?: Date;
}

/** The logins whose authorization the decision depends on: authors of text carrying a command. */
export function commandAuthors(
  policy: CommentPolicySettings,
  body: string,
  bodyAuthor: string,
  comments: PolicyComment[],
): string[] {
  const commands = [...(policy.trigger ? [policy.trigger] : []), ...policy.excludes];
  const authors = new Set<string>();
  if (containsAnyCommand(body, commands)) authors.add(bodyAuthor);
  for (const comment of comments) if (containsAnyCommand(comment.body, commands)) authors.add(comment.author);
  return [...authors];
}

interface Match {
  at: number;
  index: number;
}

/** The newest authorized comment carrying one of `commands`: by time, then by position. */
function newestMatch(input: CommentPolicyInput, commands: string[]): Match | undefined {
  let best: Match | undefined;
  input.comments.forEach((comment, index) => {
    if (!containsAnyCommand(comment.body, commands) || !input.authorized(comment.author)) return;
    const parsed = Date.parse(comment.createdAt);
    const at = Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
    if (!best || at > best.at || (at === best.at && index > best.index)) best = { at, index };
  });
  return best;
}

const newer = (a: Match, b: Match) => a.at > b.at || (a.at === b.at && a.index > b.index);

const triggered = (match: Match): CommentPolicyDecision =>
  Number.isFinite(match.at) ? { allowed: true, triggerTime: new Date(match.at) } : { allowed: true };

/**
 * §10.4 comment policy. Only a trigger: an authorized trigger (comment or body) is needed. Only
 * excludes: any authorized exclude excludes. Both: the most recent comment command wins; without
 * any comment command the body decides, an exclude there winning over a trigger.
 */
export function decideCommentPolicy(input: CommentPolicyInput): CommentPolicyDecision {
  const { policy } = input;
  const bodyAuthorized = input.authorized(input.bodyAuthor);
  const bodyTrigger = !!policy.trigger && bodyAuthorized && containsCommand(input.body, policy.trigger);
  const bodyExclude = bodyAuthorized && containsAnyCommand(input.body, policy.excludes);
  const trigger = policy.trigger ? newestMatch(input, [policy.trigger]) : undefined;
  const exclude = policy.excludes.length > 0 ? newestMatch(input, policy.excludes) : undefined;

  if (policy.excludes.length === 0) {
    if (trigger) return triggered(trigger);
    return { allowed: bodyTrigger };
  }
  if (!policy.trigger) return { allowed: !exclude && !bodyExclude };
  if (trigger && (!exclude || newer(trigger, exclude))) return triggered(trigger);
  if (exclude) return { allowed: false };
  return { allowed: bodyTrigger && !bodyExclude };
}
