/**
 * One thing a TaskSpawner source found that may deserve a Task (api-controller §10.3–§10.5).
 * Sources (GitHub issues, pull requests, cron) produce these; the discovery cycle turns them into
 * Tasks. Field names follow the template variables users write in `promptTemplate`.
 */
export interface WorkItem {
  /** Stable per item: the issue/PR number as a string, or the cron tick as `20060102-1504`. */
  id: string;
  /** Issue or PR number; 0 for cron. */
  number: number;
  title: string;
  body: string;
  url: string;
  labels: string[];
  /** Conversation comments joined with `\n---\n`, newest kept within 64 KiB. */
  comments: string;
  /** `Issue` or `PR` for GitHub items; empty for cron. */
  kind: string;
  /** PR head branch. */
  branch?: string;
  /** PR head commit SHA. */
  headSHA?: string;
  /** Aggregated review state on the head commit: `approved`, `changes_requested` or `none`. */
  reviewState?: string;
  /** Inline review comments on the head commit. */
  reviewComments?: string;
  /** Cron tick, RFC 3339. */
  time?: string;
  /** Cron schedule. */
  schedule?: string;
  /**
   * Newest qualifying trigger (trigger comment or review). A terminal Task completed before this
   * is deleted and created again: the "retrigger" of §10.3 step 4.
   */
  triggerTime?: Date;
}

/** A source of work items for one TaskSpawner (§10.4). */
export interface WorkItemSource {
  discover(signal?: AbortSignal): Promise<WorkItem[]>;
}
