import type { Informer } from './informer.js';
import type { KubeObject, ResourceKind } from './kinds.js';
import type { Logger } from './logger.js';
import { metrics } from './metrics.js';
import { WorkQueue } from './work-queue.js';

/** What a reconcile is about: an object of the controller's kind, by key (`namespace/name` or `name`). */
export interface Request {
  readonly key: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface ReconcileResult {
  /** Reconcile the key again after this delay; 0 requeues at once (after the current reconcile). */
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** Logger with `controller` and `key` fields. */
  readonly log: Logger;
}

/** Returning normally forgets the key's failures; throwing logs, counts and retries it with backoff. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a reconcile that never requeues be a plain async function.
export type Reconcile = (req: Request, ctx: ReconcileContext) => Promise<ReconcileResult | void>;

export interface ControllerOptions {
  /** Label of its metrics and logs, e.g. `task`. */
  name: string;
  reconcile: Reconcile;
  logger: Logger;
  /** Keys reconciled concurrently (never the same key twice at once). */
  workers?: number;
  /** Retry backoff of a failing key: first delay, doubling up to the maximum. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function requestOf(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0
    ? { key, namespace: undefined, name: key }
    : { key, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * A reconcile loop: informers feed keys into a work queue; workers take them and call `reconcile`.
 * Watches are declared before the manager starts it, in controller-runtime's vocabulary:
 * `for` the primary kind, `owns` the kinds it creates, `watches` anything else mapped to primary keys.
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly reconcileFn: Reconcile;
  private readonly log: Logger;
  private readonly workers: number;
  private forKind: ResourceKind | undefined;
  private running: Promise<void>[] = [];

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.reconcileFn = options.reconcile;
    this.log = options.logger.child({ controller: options.name });
    this.workers = options.workers ?? 1;
    this.queue = new WorkQueue({
      name: options.name,
      ...(options.backoffBaseMs !== undefined ? { baseDelayMs: options.backoffBaseMs } : {}),
      ...(options.backoffMaxMs !== undefined ? { maxDelayMs: options.backoffMaxMs } : {}),
    });
  }

  /** Reconciles every object of the informer's kind when it is added, changed or deleted. */
  for<T extends KubeObject>(informer: Informer<T>): this {
    this.forKind = informer.kind;
    return this.watches(informer, (obj) => {
      const name = obj.metadata?.name;
      return name ? [keyOf(obj.metadata?.namespace, name)] : [];
    });
  }

  /** Reconciles the controlling owner (of the `for` kind) of an object that changes, e.g. Job → Task. */
  owns<T extends KubeObject>(informer: Informer<T>): this {
    const owner = this.forKind;
    if (!owner) throw new Error(`controller ${this.name}: call for() before owns()`);
    return this.watches(informer, (obj) => {
      const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
      if (!ref || ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) return [];
      return [keyOf(owner.namespaced ? obj.metadata?.namespace : undefined, ref.name)];
    });
  }

  /** Reconciles the keys `map` derives from any change of an object (e.g. Workspace → its Tasks). */
  watches<T extends KubeObject>(informer: Informer<T>, map: (obj: T) => string[]): this {
    const enqueue = (obj: T) => {
      for (const key of map(obj)) this.queue.add(key);
    };
    informer.on('add', enqueue);
    informer.on('update', enqueue);
    informer.on('delete', enqueue);
    return this;
  }

  /** Queues a key from outside the watches (e.g. a timer or another controller). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Starts the workers; keys queued before (e.g. from the initial list) are reconciled now. */
  start(): void {
    if (this.running.length > 0) return;
    this.log.info({ workers: this.workers }, 'starting workers');
    for (let i = 0; i < this.workers; i++) this.running.push(this.work());
  }

  /** Takes no new key and resolves when the reconciles in flight have finished. */
  async stop(): Promise<void> {
    await this.queue.shutdown();
    await Promise.all(this.running);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const log = this.log.child({ key });
    try {
      const result = await this.reconcileFn(requestOf(key), { log });
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      metrics.reconcileErrors.inc({ controller: this.name });
      log.error({ err, retries: this.queue.numRequeues(key) }, 'reconcile failed');
      this.queue.addRateLimited(key);
    } finally {
      this.queue.done(key);
    }
  }
}

/** The group of an apiVersion: `batch` of `batch/v1`, '' of the core `v1`. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
