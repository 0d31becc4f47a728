import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { dropManagedFields } from './cache-transforms.js';
import { collectionPath, type KubeObject, type ResourceKind } from './kinds.js';
import { getJson } from './kube-client.js';
import type { Logger } from './logger.js';

export type InformerEvent = 'add' | 'update' | 'delete';
export type ObjectHandler<T> = (obj: T) => void;
/** Shapes an object before it enters the cache; it receives the decoded object and may edit it in place. */
export type CacheTransform = (obj: KubernetesObject) => KubernetesObject;

export interface InformerOptions {
  /** Watch one namespace; all namespaces when unset (or for cluster-scoped kinds). */
  namespace?: string;
  /** Server-side selectors: only matching objects enter the cache. */
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Applied to every listed or watched object before the cache and the handlers see it (controller-runtime's
   * cache TransformFunc), to keep only what the controller reads. Default: `dropManagedFields`.
   */
  transform?: CacheTransform;
  logger?: Logger;
  /** Delay before restarting a failed list or watch; doubles on each failure up to maxRestartDelayMs. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

interface WatchHooks {
  /** ListWatch opens a watch only after a list filled the cache, or to resume one that had. */
  opening(): void;
  /** An event arrived: the connection works. */
  event(): void;
  stopped(): boolean;
}

/**
 * Tells the informer when ListWatch opens a watch and when events flow, and drops watches still connecting
 * when the informer stops: ListWatch.stop() cannot abort a request whose response has not arrived yet.
 */
class TrackedWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly hooks: WatchHooks,
    private readonly transform: CacheTransform,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    this.hooks.opening();
    const observed = (phase: string, apiObj: unknown, watchObj?: unknown) => {
      this.hooks.event();
      // ERROR events carry a Status, BOOKMARKs an empty object of the kind: nothing to shape.
      const cached = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
      callback(phase, cached ? this.transform(apiObj as KubernetesObject) : apiObj, watchObj);
    };
    const controller = await super.watch(path, queryParams, observed, done);
    if (this.hooks.stopped()) controller.abort();
    return controller;
  }
}

/**
 * A list+watch cache of one resource over client-node's ListWatch, which relists by itself on 410 Gone
 * (an expired resourceVersion, e.g. after the API server restarted) but stops for good on any other
 * error: this wrapper restarts it with exponential backoff, resuming from the last resourceVersion.
 */
export class Informer<T extends KubeObject> {
  readonly kind: ResourceKind<T>;
  readonly options: InformerOptions;
  private readonly lw: ListWatch<KubernetesObject>;
  private readonly handlers: Record<InformerEvent, ObjectHandler<T>[]> = { add: [], update: [], delete: [] };
  private readonly log: Logger | undefined;
  private readonly restartDelayMs: number;
  private readonly maxRestartDelayMs: number;
  private nextDelayMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running = false;

  constructor(kc: KubeConfig, kind: ResourceKind<T>, options: InformerOptions = {}) {
    this.kind = kind;
    this.options = options;
    this.log = options.logger?.child({ informer: kind.plural });
    this.restartDelayMs = options.restartDelayMs ?? 500;
    this.maxRestartDelayMs = options.maxRestartDelayMs ?? 30_000;
    this.nextDelayMs = this.restartDelayMs;
    const path = collectionPath(kind, options.namespace);
    const selectors: Record<string, string> = {};
    if (options.labelSelector) selectors.labelSelector = options.labelSelector;
    if (options.fieldSelector) selectors.fieldSelector = options.fieldSelector;
    const resetBackoff = () => {
      this.nextDelayMs = this.restartDelayMs;
    };
    const transform = options.transform ?? dropManagedFields;
    const list = async () => {
      const result = await getJson<KubernetesListObject<KubernetesObject>>(kc, path, selectors);
      resetBackoff();
      result.items = result.items.map(transform);
      return result;
    };
    const watch = new TrackedWatch(
      kc,
      { opening: () => this.markSynced(), event: resetBackoff, stopped: () => !this.running },
      transform,
    );
    this.lw = new ListWatch(path, watch, list, false, options.labelSelector, options.fieldSelector);
    for (const event of ['add', 'update', 'delete'] as const) {
      this.lw.on(event, (obj) => {
        if (!this.running) return;
        for (const h of this.handlers[event]) h(obj as T);
      });
    }
    this.lw.on('error', (err) => this.restart(err));
  }

  /** Handlers run in cache order; an update handler sees the new object, a delete handler the last one. */
  on(event: InformerEvent, handler: ObjectHandler<T>): void {
    this.handlers[event].push(handler);
  }

  /** Starts listing and watching; resolves once the first list was attempted (see waitForSync). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.lw.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restartTimer);
    await this.lw.stop();
  }

  /** True once the cache held a complete list: a missing object is then really absent. */
  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.lw.get(name, namespace) as T | undefined;
  }

  /** Cached objects, optionally of one namespace and carrying all of `matchLabels`. */
  list(namespace?: string, matchLabels?: Record<string, string>): T[] {
    const all = this.lw.list(namespace) as readonly T[];
    if (!matchLabels) return [...all];
    const wanted = Object.entries(matchLabels);
    return all.filter((o) => wanted.every(([k, v]) => o.metadata?.labels?.[k] === v));
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w();
  }

  private restart(err: unknown): void {
    if (!this.running) return;
    const delay = this.nextDelayMs;
    this.nextDelayMs = Math.min(delay * 2, this.maxRestartDelayMs);
    this.log?.warn({ err, delayMs: delay }, 'list/watch failed; restarting');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.running) this.lw.start().catch((e: unknown) => this.restart(e));
    }, delay);
  }
}
