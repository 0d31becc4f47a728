import { randomBytes } from 'node:crypto';
import type { InProcessClient } from '../apiserver/client.js';
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../node/time.js';

export interface EventSource {
  /** `kubelet`, `default-scheduler`, `job-controller`, … */
  component: string;
  /** The node name, for the node's own components. */
  host?: string;
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Repeats are folded into one Event per object, reason and message, as client-go's correlator does. */
const MAX_TRACKED = 4096;

/**
 * Writes core/v1 Events about objects, what `kubectl describe` and `kubectl get events` show. Recording is
 * best effort, like in Kubernetes: an event that cannot be written (its namespace is going away) is dropped.
 */
export class EventRecorder {
  /** `uid/reason/message` → name of the Event that already records it. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly client: InProcessClient) {}

  record(source: EventSource, obj: KObject, event: RecordedEvent): void {
    const { namespace = 'default', name = '', uid = '' } = obj.metadata;
    const key = `${uid}/${event.reason}/${event.message}`;
    const now = rfc3339();
    try {
      const existing = this.seen.get(key);
      if (existing !== undefined && this.bump(existing, namespace, now)) return;
      const created = this.client.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name,
          namespace,
          uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason: event.reason,
        message: event.message,
        type: event.type,
        source: source.host === undefined ? { component: source.component } : { ...source },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      this.remember(key, created.metadata.name ?? '');
    } catch {
      // Best effort: see the class comment.
    }
  }

  /** Counts a repeat on the existing Event; false when that Event is gone. */
  private bump(name: string, namespace: string, now: string): boolean {
    try {
      const current = structuredClone(this.client.get('events', name, namespace));
      current.count = (typeof current.count === 'number' ? current.count : 1) + 1;
      current.lastTimestamp = now;
      this.client.update('events', current);
      return true;
    } catch {
      return false;
    }
  }

  private remember(key: string, name: string): void {
    this.seen.delete(key);
    this.seen.set(key, name);
    if (this.seen.size > MAX_TRACKED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
