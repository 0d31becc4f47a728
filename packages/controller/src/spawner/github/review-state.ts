import { loginOf } from './github-types.js';

export type ReviewState = 'approved' | 'changes_requested' | 'none';

export interface PullRequestReview {
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
  user: { login: string } | null;
}

export interface AggregatedReview {
  state: ReviewState;
  /** When the review deciding the state was submitted: the item's trigger time under a reviewState filter. */
  submittedAt?: Date;
}

const verdict = (state: string): Exclude<ReviewState, 'none'> | undefined => {
  const upper = state.trim().toUpperCase();
  if (upper === 'APPROVED') return 'approved';
  if (upper === 'CHANGES_REQUESTED') return 'changes_requested';
  return undefined;
};

/**
 * The review state of a pull request's current head commit: each reviewer's latest approving or
 * change-requesting review on that commit counts (comments and dismissed reviews do not, nor reviews
 * of older commits); any outstanding change request wins over approvals.
 */
export function aggregateReviewState(reviews: PullRequestReview[], headSha: string): AggregatedReview {
  const latest = new Map<string, { state: Exclude<ReviewState, 'none'>; at: number }>();
  for (const review of reviews) {
    const state = verdict(review.state);
    const reviewer = loginOf(review.user).trim().toLowerCase();
    const at = Date.parse(review.submitted_at ?? '');
    if (!state || review.commit_id !== headSha || !reviewer || Number.isNaN(at)) continue;
    const current = latest.get(reviewer);
    if (!current || at > current.at) latest.set(reviewer, { state, at });
  }
  let changesRequested = 0;
  let approved = 0;
  for (const { state, at } of latest.values()) {
    if (state === 'changes_requested') changesRequested = Math.max(changesRequested, at);
    else approved = Math.max(approved, at);
  }
  if (changesRequested) return { state: 'changes_requested', submittedAt: new Date(changesRequested) };
  if (approved) return { state: 'approved', submittedAt: new Date(approved) };
  return { state: 'none' };
}

/** Whether the aggregated state passes the source's `reviewState` (`any` passes everything). */
export function reviewStateMatches(desired: string | undefined, actual: ReviewState): boolean {
  const wanted = (desired ?? 'any').toLowerCase();
  return wanted === 'any' || wanted === actual;
}
