import type { Task } from '@kelos/shared';
import { ANNOTATIONS } from '@kelos/shared/constants';
import type { Logger } from '../runtime/logger.js';
import type { IssueComment, IssueComments } from './issue-comments.js';
import type { SpawnerApi } from './spawner-api.js';
import { reportPhaseOf, statusCommentBody, statusCommentMarker } from './status-comment.js';

export interface ReportingDeps {
  api: SpawnerApi;
  comments: IssueComments;
  log: Logger;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** An HTTP 404 from the GitHub client (Octokit's RequestError carries `status`). */
const isNotFound = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404;

/**
 * Keeps one status comment per Task on its issue or pull request (spec §10.3 step 9), after each cycle. The
 * comment's ID and the phase it shows live in the Task's annotations; when they are missing the comment is
 * looked up by its hidden marker among the comments this process's GitHub identity wrote, so a restart or
 * a failed annotation write never posts a second one. Errors are per Task: logged, and retried next cycle.
 */
export class StatusCommentReporter {
  private selfLogin: string | undefined;

  constructor(private readonly deps: ReportingDeps) {}

  /** Reports every Task of the TaskSpawner that asks for it. */
  async reportAll(tasks: readonly Task[]): Promise<void> {
    for (const task of tasks) {
      if (task.metadata.annotations?.[ANNOTATIONS.githubReporting] !== 'enabled') continue;
      try {
        await this.report(task);
      } catch (err) {
        this.deps.log.error(
          { err: messageOf(err), task: task.metadata.name },
          'reporting Task status failed',
        );
      }
    }
  }

  /** Brings the Task's comment up to its phase; does nothing when it already shows it. */
  async report(task: Task): Promise<void> {
    const annotations = task.metadata.annotations ?? {};
    const number = Number(annotations[ANNOTATIONS.sourceNumber]);
    const phase = reportPhaseOf(task.status?.phase);
    if (!Number.isInteger(number) || number <= 0 || !phase) return;
    if (annotations[ANNOTATIONS.githubReportPhase] === phase) return;

    const body = statusCommentBody(task, phase);
    const recorded = Number(annotations[ANNOTATIONS.githubCommentId]);
    let commentId = Number.isInteger(recorded) && recorded > 0 ? recorded : undefined;
    if (commentId !== undefined) {
      try {
        await this.deps.comments.updateComment(commentId, body);
      } catch (err) {
        // Someone deleted the comment on GitHub: post a new one rather than fail forever.
        if (!isNotFound(err)) throw err;
        commentId = undefined;
      }
    }
    if (commentId === undefined) {
      const found = await this.findComment(number, task);
      if (found && found.body !== body) await this.deps.comments.updateComment(found.id, body);
      commentId = found?.id ?? (await this.deps.comments.createComment(number, body)).id;
    }
    this.deps.log.info({ task: task.metadata.name, number, phase, commentId }, 'reported Task status');
    await this.deps.api.annotateTask(task.metadata.name ?? '', {
      [ANNOTATIONS.githubCommentId]: String(commentId),
      [ANNOTATIONS.githubReportPhase]: phase,
    });
  }

  private async findComment(number: number, task: Task): Promise<IssueComment | undefined> {
    this.selfLogin ??= await this.deps.comments.selfLogin();
    const self = this.selfLogin.toLowerCase();
    const marker = statusCommentMarker(task);
    return (await this.deps.comments.listComments(number)).find(
      (c) => c.user.toLowerCase() === self && c.body.includes(marker),
    );
  }
}
