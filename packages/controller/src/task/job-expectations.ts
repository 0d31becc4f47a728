/** How long a created Job is waited for in the cache before the API is asked instead. */
export const JOB_EXPECTATION_TTL_MS = 30_000;

/**
 * Jobs this controller created that its Job cache has not shown yet, by the uid of their Task (client-go's
 * ControllerExpectations). Until the Job's ADDED event arrives, which requeues the Task anyway, a reconcile
 * of that Task neither creates the Job again nor asks the API for it: the Task's own watch events (the
 * finalizer, the Pending status) often arrive before the Job's. An entry leaves when the Job is seen,
 * when the Task is deleted, or once it is older than the TTL; so the map holds only Jobs in flight.
 */
export class JobExpectations {
  private readonly created = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = JOB_EXPECTATION_TTL_MS,
  ) {}

  /** Before the create is sent: its ADDED event may overtake the response. */
  expect(taskUid: string): void {
    this.created.set(taskUid, this.now());
  }

  /** The Job was seen (or its create failed, or its Task is gone). */
  observed(taskUid: string): void {
    this.created.delete(taskUid);
  }

  /** Milliseconds left to wait for the Task's Job; undefined when none is expected (any more). */
  pendingMs(taskUid: string): number | undefined {
    const at = this.created.get(taskUid);
    if (at === undefined) return undefined;
    const left = at + this.ttlMs - this.now();
    if (left > 0) return left;
    this.created.delete(taskUid);
    return undefined;
  }

  get size(): number {
    return this.created.size;
  }
}
