/** §10.4: the joined comments of one item stay within 64 KiB. */
export const MAX_COMMENT_BYTES = 64 * 1024;
export const COMMENT_SEPARATOR = '\n---\n';

/**
 * Comment bodies (oldest first) joined with `\n---\n`. Past `maxBytes` (UTF-8, separators included)
 * the oldest are dropped: the newest comments are the most relevant to an agent picking the item up.
 */
export function joinComments(bodies: string[], maxBytes = MAX_COMMENT_BYTES): string {
  const separatorBytes = Buffer.byteLength(COMMENT_SEPARATOR);
  const kept: string[] = [];
  let total = 0;
  for (let i = bodies.length - 1; i >= 0; i--) {
    const body = bodies[i] ?? '';
    const cost = Buffer.byteLength(body) + (kept.length > 0 ? separatorBytes : 0);
    if (total + cost > maxBytes) break;
    total += cost;
    kept.push(body);
  }
  return kept.reverse().join(COMMENT_SEPARATOR);
}

export interface InlineReviewComment {
  body: string;
  path: string;
  line?: number | null | undefined;
}

/** Inline review comments as `path:line` then the body, joined like conversation comments. */
export function joinReviewComments(comments: InlineReviewComment[], maxBytes = MAX_COMMENT_BYTES): string {
  const parts: string[] = [];
  for (const comment of comments) {
    const body = comment.body.trim();
    if (!body) continue;
    const path = comment.path.trim();
    const location = comment.line && comment.line > 0 ? `${path}:${comment.line}` : path;
    parts.push(location ? `${location}\n${body}` : body);
  }
  return joinComments(parts, maxBytes);
}
