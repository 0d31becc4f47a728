import type { InProcessClient } from '../apiserver/client.js';
import { isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import type { Pod, PodCondition, PodStatus } from '../node/types.js';

interface PendingStatus {
  namespace: string;
  name: string;
  status: PodStatus;
}

const CONFLICT_RETRIES = 5;

/**
 * The kubelet's status manager: writes what the pod runtime reports to `pods/status`. Reports that arrive
 * together (a container exits, the pod turns Succeeded) are coalesced into one write of the latest status.
 * Conditions the node does not own (set by other writers) are kept, and a write that loses a race is redone
 * on the re-read object.
 */
export class PodStatusWriter {
  private readonly pending = new Map<string, PendingStatus>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly client: InProcessClient) {}

  enqueue(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata.uid ?? '';
    this.pending.set(uid, {
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      status,
    });
    this.scheduled ??= setImmediate(() => this.flushAll());
  }

  /** Writes a pod's pending status now: before the node removes the pod, its final status must be stored. */
  flush(uid: string): void {
    const p = this.pending.get(uid);
    if (!p) return;
    this.pending.delete(uid);
    this.write(uid, p);
  }

  /** Drops what is not written yet (the cluster is stopping). */
  stop(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.pending.clear();
  }

  private flushAll(): void {
    this.scheduled = undefined;
    for (const uid of [...this.pending.keys()]) this.flush(uid);
  }

  private write(uid: string, p: PendingStatus): void {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      let current: KObject;
      try {
        current = this.client.get('pods', p.name, p.namespace);
      } catch (err) {
        if (!isApiErrorCode(err, 404)) report(p, err);
        return;
      }
      // A pod recreated under the same name is another pod.
      if (current.metadata.uid !== uid) return;
      const status = mergeStatus(current.status as PodStatus | undefined, p.status);
      if (JSON.stringify(status) === JSON.stringify(current.status)) return;
      const next = structuredClone(current);
      next.status = status;
      try {
        this.client.updateStatus('pods', next);
        return;
      } catch (err) {
        if (isApiErrorCode(err, 409)) continue;
        if (!isApiErrorCode(err, 404)) report(p, err);
        return;
      }
    }
  }
}

// Runs on a timer with nobody to hand the error to; a status the API rejects is a bug worth seeing.
function report(p: PendingStatus, err: unknown): void {
  console.error(`kelos-devcluster: writing the status of pod ${p.namespace}/${p.name} failed:`, err);
}

/** The reported status, plus the conditions someone else put on the pod (readiness gates, eviction). */
function mergeStatus(stored: PodStatus | undefined, reported: PodStatus): PodStatus {
  const own = new Set((reported.conditions ?? []).map((c) => c.type));
  const foreign: PodCondition[] = (stored?.conditions ?? []).filter((c) => !own.has(c.type));
  if (foreign.length === 0) return reported;
  return { ...reported, conditions: [...(reported.conditions ?? []), ...foreign] };
}
