import type { InProcessClient } from '../apiserver/client.js';
import { ApiError, isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import type { Reconciliation } from '../node/workload.js';
import { applyWorkloadActions } from './apply-actions.js';
import type { EventRecorder, RecordedEvent } from './event-recorder.js';
import { WorkQueue } from './work-queue.js';

/** What makes one workload controller: its kind, the kind it creates, and the pure reconcile function. */
export interface ControllerDefinition {
  /** Event source, as Kubernetes names the controller (`job-controller`). */
  component: string;
  /** The reconciled kind and resource: `Job`, `jobs.batch`. */
  kind: string;
  resource: string;
  /** The resource of the objects it owns (`pods`, `jobs.batch`), matched by controller ownerReference. */
  owned: string;
  reconcile(obj: KObject, owned: KObject[], nowMs: number): Reconciliation<unknown>;
  /** Reason of the Warning events for a reconciliation's warnings (`UnparseableSchedule`). */
  warningReason?: string;
  /** Events for a status change, such as a Job's Completed. */
  statusEvents?(before: KObject, after: KObject): RecordedEvent[];
}

export interface ControllerLoopOptions {
  client: InProcessClient;
  recorder: EventRecorder;
  /** Milliseconds since the epoch; injectable so schedules and deadlines can be tested without waiting. */
  clock: () => number;
}

/**
 * Retry delays after failed passes double from the first to the last; a lost write race (409) is retried at
 * once, a few times.
 */
const IMMEDIATE_CONFLICT_RETRIES = 3;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 60_000;
/** Floor for requeueAfterSeconds, so a deadline that is due right now cannot spin. */
const MIN_REQUEUE_MS = 100;

/**
 * Runs a controller against the API in-process: watches its kind and the objects it owns, queues the keys
 * (`namespace/name`) of the objects to look at, and for each key reads the object and what it owns fresh
 * from the API, calls the reconcile function and applies its actions in order, then schedules the requeue
 * the reconciliation asked for.
 */
export class ControllerLoop {
  private readonly queue = new WorkQueue((key) => this.process(key));
  private readonly stops: (() => void)[] = [];
  /** Consecutive failed passes per key. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly def: ControllerDefinition,
    private readonly opts: ControllerLoopOptions,
  ) {}

  start(): void {
    const { client } = this.opts;
    this.stops.push(client.watch(this.def.resource, {}, (_type, obj) => this.queue.add(keyOf(obj))));
    this.stops.push(
      client.watch(this.def.owned, {}, (_type, obj) => {
        const owner = obj.metadata.ownerReferences?.find((r) => r.controller === true);
        if (owner?.kind === this.def.kind) this.queue.add(`${obj.metadata.namespace}/${owner.name}`);
      }),
    );
  }

  /** Re-examines every object now, e.g. after the injected clock jumped. */
  resync(): void {
    for (const obj of this.opts.client.list(this.def.resource).items) this.queue.add(keyOf(obj));
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.queue.stop();
  }

  private process(key: string): void {
    const { client, recorder } = this.opts;
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    let obj: KObject;
    try {
      obj = client.get(this.def.resource, name, namespace);
    } catch (err) {
      if (isApiErrorCode(err, 404)) {
        this.queue.forget(key);
        this.failures.delete(key);
      } else this.retry(key, undefined, err);
      return;
    }
    const uid = obj.metadata.uid;
    const owned = client
      .list(this.def.owned, { namespace })
      .items.filter((o) => o.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === uid));
    const source = { component: this.def.component };
    try {
      const result = this.def.reconcile(obj, owned, this.opts.clock());
      for (const message of result.warnings ?? []) {
        const reason = this.def.warningReason ?? 'ReconcileWarning';
        recorder.record(source, obj, { type: 'Warning', reason, message });
      }
      const ctx = { client, recorder, source, owner: obj, ownerResource: this.def.resource };
      applyWorkloadActions(ctx, result.actions);
      for (const ev of ctx.owner === obj ? [] : (this.def.statusEvents?.(obj, ctx.owner) ?? [])) {
        recorder.record(source, ctx.owner, ev);
      }
      this.failures.delete(key);
      if (result.requeueAfterSeconds !== undefined) {
        this.queue.addAfter(key, Math.max(MIN_REQUEUE_MS, result.requeueAfterSeconds * 1000));
      }
    } catch (err) {
      this.retry(key, obj, err);
    }
  }

  private retry(key: string, obj: KObject | undefined, err: unknown): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    if (isApiErrorCode(err, 409) && n <= IMMEDIATE_CONFLICT_RETRIES) {
      this.queue.add(key);
      return;
    }
    // A rejected write (an invalid pod template, say) is reported on the object, as FailedCreate would be.
    const message = err instanceof ApiError ? err.message : String(err);
    if (obj) {
      this.opts.recorder.record({ component: this.def.component }, obj, {
        type: 'Warning',
        reason: 'ReconcileFailed',
        message,
      });
    }
    if (!(err instanceof ApiError)) console.error(`kelos-devcluster: ${this.def.component}: ${key}:`, err);
    this.queue.addAfter(key, Math.min(FIRST_RETRY_MS * 2 ** (n - 1), MAX_RETRY_MS));
  }
}

function keyOf(obj: KObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}
