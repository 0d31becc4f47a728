/** One comment on a GitHub issue or pull request conversation. */
export interface IssueComment {
  id: number;
  body: string;
  /** Login of the author. */
  user: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The GitHub calls the spawner's status reporting needs (api-controller §10.3 step 9). The GitHub
 * client implements it; the reporting loop depends only on this, so it is tested with a fake.
 */
export interface IssueComments {
  listComments(number: number, signal?: AbortSignal): Promise<IssueComment[]>;
  createComment(number: number, body: string, signal?: AbortSignal): Promise<IssueComment>;
  updateComment(commentId: number, body: string, signal?: AbortSignal): Promise<IssueComment>;
  /** Login the credentials act as (a PAT's user or `<app-slug>[bot]`), so the spawner can ignore its own comments. */
  selfLogin(signal?: AbortSignal): Promise<string>;
}
