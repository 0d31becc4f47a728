import type { KubeJsonClient } from '../runtime/json-client.js';
import type { Logger } from '../runtime/logger.js';

export type EventType = 'Normal' | 'Warning';

/** The parts of an object an Event points at (its `involvedObject`). */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

/** Records core/v1 Events about objects: what `kubectl describe` shows. */
export interface EventRecorder {
  /**
   * Queues an Event and returns at once with a promise that settles once it was written (or given up);
   * a reconcile need not wait for it. Best effort: the promise never rejects, because a lost event must
   * not fail a reconcile.
   */
  record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void>;
}

export const EVENT_SOURCE_COMPONENT = 'kelos-controller';

/** Repeats folded per process; older entries are forgotten (a repeat then starts a new Event). */
const MAX_TRACKED = 4096;
/** Events waiting to be written; more are dropped (client-go's broadcaster queues 1,000). */
export const MAX_QUEUED_EVENTS = 1000;
/**
 * Event writes in flight at once, beside the reconciles' own requests. Each Task's first reconcile
 * records TaskCreated, and with 32 workers (DEFAULT_TASK_WORKERS) fewer writers fell behind: with 2 the
 * queue filled in the benchmark's 9,000 sustained Tasks and more than half of their Events were dropped,
 * with 8 about one in eight; with 16 none are.
 */
export const MAX_EVENT_WRITES_IN_FLIGHT = 16;

interface Pending {
  key: string;
  object: string;
  /** Only what the Event names, not the whole object: a queued Event must not keep a Task alive. */
  subject: EventSubject;
  type: EventType;
  reason: string;
  message: string;
  /** Occurrences folded into this write. */
  count: number;
  first: string;
  last: string;
  settle: () => void;
  done: Promise<void>;
}

/**
 * Writes one Event per (object, type, reason, message) and folds repeats into it by raising `count` and
 * `lastTimestamp` with a JSON patch, as client-go's EventRecorder does: a Task that waits for minutes
 * shows one "Waiting" line with a count, not hundreds. Like client-go's, it writes in the background
 * from a bounded queue: a repeat of an Event still queued only raises the count that write will carry,
 * and one object's Events are written one after the other, so that they fold and keep their order.
 * Names are `<object>.<hex nanoseconds>` like client-go's. Messages are written by the reconciler from
 * names and phases; they never carry Secret data.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number }>();
  private readonly queue: Pending[] = [];
  private readonly queued = new Map<string, Pending>();
  /** Objects with a write in flight: their next Event waits for it. */
  private readonly writing = new Set<string>();
  private sequence = 0;
  private dropping = false;

  constructor(
    private readonly client: KubeJsonClient,
    private readonly log: Logger,
    private readonly component: string = EVENT_SOURCE_COMPONENT,
  ) {}

  record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const { name = '', namespace = 'default', uid = '' } = subject.metadata ?? {};
    const object = `${namespace}/${uid || name}`;
    const key = `${object}/${type}/${reason}/${message}`;
    const now = new Date().toISOString();
    const folded = this.queued.get(key);
    if (folded) {
      folded.count++;
      folded.last = now;
      return folded.done;
    }
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      if (!this.dropping)
        this.log.warn({ reason, object: `${namespace}/${name}` }, 'event queue full; dropping');
      this.dropping = true;
      return Promise.resolve();
    }
    this.dropping = false;
    let settle = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const { apiVersion, kind } = subject;
    const { resourceVersion } = subject.metadata ?? {};
    const entry: Pending = {
      key,
      object,
      subject: { apiVersion, kind, metadata: { name, namespace, uid, resourceVersion } },
      type,
      reason,
      message,
      count: 1,
      first: now,
      last: now,
      settle,
      done,
    };
    this.queue.push(entry);
    this.queued.set(key, entry);
    this.pump();
    return done;
  }

  private pump(): void {
    while (this.writing.size < MAX_EVENT_WRITES_IN_FLIGHT) {
      const i = this.queue.findIndex((e) => !this.writing.has(e.object));
      if (i < 0) return;
      const [entry] = this.queue.splice(i, 1) as [Pending];
      this.queued.delete(entry.key);
      this.writing.add(entry.object);
      void this.write(entry).finally(() => {
        this.writing.delete(entry.object);
        entry.settle();
        this.pump();
      });
    }
  }

  private async write(entry: Pending): Promise<void> {
    const { subject, type, reason, message } = entry;
    const { name = '', namespace = 'default', uid = '' } = subject.metadata ?? {};
    try {
      const known = this.seen.get(entry.key);
      if (known && (await this.bump(namespace, known, entry))) return;
      const eventName = `${name}.${this.nextSuffix()}`;
      await this.client.createIgnoringResult(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: eventName, namespace },
        involvedObject: {
          apiVersion: subject.apiVersion,
          kind: subject.kind,
          name,
          namespace,
          uid,
          resourceVersion: subject.metadata?.resourceVersion,
        },
        type,
        reason,
        message,
        source: { component: this.component },
        reportingComponent: this.component,
        firstTimestamp: entry.first,
        lastTimestamp: entry.last,
        count: entry.count,
      });
      this.remember(entry.key, { name: eventName, count: entry.count });
    } catch (err) {
      this.log.warn({ err, reason, object: `${namespace}/${name}` }, 'could not record event');
    }
  }

  /** Counts repeats on the Event already written; false when it is gone (expired or deleted). */
  private async bump(
    namespace: string,
    known: { name: string; count: number },
    entry: Pending,
  ): Promise<boolean> {
    const count = known.count + entry.count;
    try {
      await this.client.patch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/events/${encodeURIComponent(known.name)}`,
        [
          { op: 'replace', path: '/count', value: count },
          { op: 'replace', path: '/lastTimestamp', value: entry.last },
        ],
        'application/json-patch+json',
      );
    } catch {
      return false;
    }
    known.count = count;
    return true;
  }

  /** Unique per process even within one millisecond; only the leader writes events. */
  private nextSuffix(): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(Date.now()) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }

  private remember(key: string, entry: { name: string; count: number }): void {
    if (this.seen.size >= MAX_TRACKED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, entry);
  }
}
