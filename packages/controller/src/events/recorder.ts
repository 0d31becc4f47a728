import type { CoreV1Api } from '@kubernetes/client-node';
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
  /** Best effort: never throws, because a lost event must not fail a reconcile. */
  record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void>;
}

export const EVENT_SOURCE_COMPONENT = 'kelos-controller';

/** Repeats folded per process; older entries are forgotten (a repeat then starts a new Event). */
const MAX_TRACKED = 4096;

/**
 * Writes one Event per (object, type, reason, message) and folds repeats into it by raising `count` and
 * `lastTimestamp` with a JSON patch, as client-go's EventRecorder does: a Task that waits for minutes
 * shows one "Waiting" line with a count, not hundreds. Names are `<object>.<hex nanoseconds>` like
 * client-go's. Messages are written by the reconciler from names and phases; they never carry Secret data.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number }>();
  private sequence = 0;

  constructor(
    private readonly core: CoreV1Api,
    private readonly log: Logger,
    private readonly component: string = EVENT_SOURCE_COMPONENT,
  ) {}

  async record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const { name = '', namespace = 'default', uid = '' } = subject.metadata ?? {};
    const key = `${namespace}/${uid || name}/${type}/${reason}/${message}`;
    const now = new Date();
    try {
      const known = this.seen.get(key);
      if (known && (await this.bump(namespace, known, now))) return;
      const eventName = `${name}.${this.nextSuffix(now)}`;
      await this.core.createNamespacedEvent({
        namespace,
        body: {
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
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
      this.remember(key, { name: eventName, count: 1 });
    } catch (err) {
      this.log.warn({ err, reason, object: `${namespace}/${name}` }, 'could not record event');
    }
  }

  /** Counts a repeat on the Event already written; false when it is gone (expired or deleted). */
  private async bump(namespace: string, known: { name: string; count: number }, now: Date): Promise<boolean> {
    const count = known.count + 1;
    try {
      await this.core.patchNamespacedEvent({
        name: known.name,
        namespace,
        body: [
          { op: 'replace', path: '/count', value: count },
          { op: 'replace', path: '/lastTimestamp', value: now.toISOString() },
        ],
      });
    } catch {
      return false;
    }
    known.count = count;
    return true;
  }

  /** Unique per process even within one millisecond; only the leader writes events. */
  private nextSuffix(now: Date): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }

  private remember(key: string, entry: { name: string; count: number }): void {
    if (this.seen.size >= MAX_TRACKED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, entry);
  }
}
