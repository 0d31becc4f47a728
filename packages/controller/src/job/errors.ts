/**
 * A Task that cannot become a Job. The reconciler marks the Task Failed with
 * `Failed to build Job: <message>`, so the message is written for the Task's owner.
 */
export class JobBuildError extends Error {
  override readonly name = 'JobBuildError';
}
