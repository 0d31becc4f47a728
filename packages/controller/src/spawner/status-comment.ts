import type { Task, TaskPhase } from '@kelos/shared';

/** What a status comment says about its Task; also stored in `kelos.dev/github-report-phase`. */
export type ReportPhase = 'accepted' | 'succeeded' | 'failed';

export const STATUS_COMMENT_HEADER = '🤖 **Kelos Task Status**';

/** The phase to report for a Task phase; none before the Task controller has given it one. */
export function reportPhaseOf(phase: TaskPhase | undefined): ReportPhase | undefined {
  switch (phase) {
    case 'Pending':
    case 'Running':
    case 'Waiting':
      return 'accepted';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * The hidden line that finds a Task's comment again when its annotations do not say which it is (a crash
 * between posting and recording). It names the Task by UID: a retriggered Task of the same name is a new
 * Task and gets a comment of its own.
 */
export function statusCommentMarker(task: Pick<Task, 'metadata'>): string {
  const { namespace, name, uid } = task.metadata;
  return `<!-- kelos-task-status ${namespace}/${name} uid=${uid} -->`;
}

/** The pull requests the Task's agent reported (`pr:` output lines), in order, without repeats. */
export function pullRequestUrls(task: Pick<Task, 'status'>): string[] {
  const fromOutputs = (task.status?.outputs ?? [])
    .filter((line) => line.startsWith('pr: '))
    .map((line) => line.slice('pr: '.length).trim());
  const fromResults = task.status?.results?.pr ? [task.status.results.pr] : [];
  return [...new Set([...fromOutputs, ...fromResults].filter((url) => url !== ''))];
}

/** The comment text for a phase (spec §10.3 step 9), with the PR links of a success and the marker. */
export function statusCommentBody(task: Pick<Task, 'metadata' | 'status'>, phase: ReportPhase): string {
  const name = task.metadata.name ?? '';
  const lines = [STATUS_COMMENT_HEADER, ''];
  if (phase === 'accepted') lines.push(`Task \`${name}\` has been **accepted** and is being processed.`);
  else if (phase === 'succeeded') {
    lines.push(`Task \`${name}\` has **succeeded**. ✅`);
    const prs = pullRequestUrls(task);
    if (prs.length > 0) lines.push('', ...prs.map((url) => `Pull request: ${url}`));
  } else lines.push(`Task \`${name}\` has **failed**. ❌`);
  lines.push('', statusCommentMarker(task));
  return lines.join('\n');
}
