import type { InProcessClient } from '../apiserver/client.js';
import { isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import { PodRuntime, type PodRuntimeOptions } from '../node/pod-runtime.js';
import type { Pod } from '../node/types.js';
import type { EventRecorder } from './event-recorder.js';
import { PodStatusWriter } from './pod-status-writer.js';

export interface KubeletOptions {
  client: InProcessClient;
  nodeName: string;
  recorder: EventRecorder;
  runtime: Omit<PodRuntimeOptions, 'onStatus' | 'onEvent'>;
}

/**
 * A DELETE of a running pod is a disruption here: the node marks the pod DisruptionTarget before stopping
 * it, so a Job's podFailurePolicy can tell "deleted" from "the program failed" (a real kubelet only does so
 * for evictions and node shutdown; a plain delete looks like exit code 143 there).
 */
const DELETION_DISRUPTION = {
  reason: 'TerminationByKubelet',
  message: 'Pod was deleted through the API while it was running',
};

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * The local node's control loop over the API: it "schedules" every unscheduled pod onto this node (what the
 * scheduler's binding does), runs the node's pods with the PodRuntime, writes their status, and finishes
 * graceful deletions: stop the containers within the grace period, store the final status, then remove
 * the pod (DELETE with gracePeriodSeconds 0).
 */
export class Kubelet {
  readonly runtime: PodRuntime;
  private readonly status: PodStatusWriter;
  /** Pods being stopped, so the burst of watch events during a deletion starts it only once. */
  private readonly terminating = new Map<string, Promise<void>>();
  private stopWatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: KubeletOptions) {
    this.status = new PodStatusWriter(opts.client);
    this.runtime = new PodRuntime({
      ...opts.runtime,
      onStatus: (pod, status) => {
        if (!this.stopped) this.status.enqueue(pod, status);
      },
      onEvent: (pod, event) => {
        if (!this.stopped) this.opts.recorder.record(this.source, pod as unknown as KObject, event);
      },
    });
  }

  start(): void {
    this.stopWatch = this.opts.client.watch('pods', {}, (type, obj) => {
      try {
        this.onPod(type, obj as unknown as Pod);
      } catch (err) {
        console.error(
          `kelos-devcluster: node: handling pod ${obj.metadata.namespace}/${obj.metadata.name}:`,
          err,
        );
      }
    });
  }

  /** Stops watching and kills every pod without grace; their API objects are left as they are. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWatch?.();
    this.status.stop();
    await this.runtime.shutdown();
    await Promise.all(this.terminating.values());
  }

  private get source() {
    return { component: 'kubelet', host: this.opts.nodeName };
  }

  private onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? '';
    if (type === 'DELETED') {
      // Removed without the node's involvement (force delete, or never scheduled here): kill what is left.
      if (!this.terminating.has(uid) && this.runtime.podUids().includes(uid)) {
        this.runtime.deletePod(uid, { gracePeriodSeconds: 0 }).catch((err: unknown) => {
          console.error(`kelos-devcluster: node: cleaning up pod ${pod.metadata.name}:`, err);
        });
      }
      this.terminating.delete(uid);
      return;
    }
    const nodeName = pod.spec.nodeName;
    if (!nodeName) {
      if (pod.metadata.deletionTimestamp === undefined) this.bind(pod);
      return;
    }
    if (nodeName !== this.opts.nodeName) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (!this.terminating.has(uid)) this.terminating.set(uid, this.terminate(pod));
      return;
    }
    if (!isTerminal(pod)) this.runtime.runPod(pod);
  }

  /** What a scheduler's Binding does: set spec.nodeName (only for pods meant for the default scheduler). */
  private bind(pod: Pod): void {
    const spec = pod.spec as Pod['spec'] & { schedulerName?: string };
    if (spec.schedulerName !== undefined && spec.schedulerName !== 'default-scheduler') return;
    const next = structuredClone(pod) as unknown as KObject & Pod;
    next.spec.nodeName = this.opts.nodeName;
    try {
      this.opts.client.update('pods', next);
    } catch (err) {
      // Changed or gone meanwhile: the watch event of that change brings the pod back here.
      if (isApiErrorCode(err, 409) || isApiErrorCode(err, 404)) return;
      throw err;
    }
    const { namespace, name } = pod.metadata;
    this.opts.recorder.record({ component: 'default-scheduler' }, next, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${this.opts.nodeName}`,
    });
  }

  private async terminate(pod: Pod): Promise<void> {
    const { uid = '', namespace, name = '' } = pod.metadata;
    try {
      if (this.runtime.podUids().includes(uid)) {
        const grace =
          (pod.metadata as { deletionGracePeriodSeconds?: number }).deletionGracePeriodSeconds ??
          pod.spec.terminationGracePeriodSeconds;
        // The runtime knows better than the API whether the pod has finished: its last status may be unwritten.
        const phase = this.runtime.getPodStatus(uid)?.phase;
        const finished = phase === 'Succeeded' || phase === 'Failed';
        await this.runtime.deletePod(uid, {
          ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
          ...(finished ? {} : { disruption: DELETION_DISRUPTION }),
        });
        if (this.stopped) return;
        this.status.flush(uid);
      }
      this.remove(uid, namespace ?? 'default', name);
    } catch (err) {
      console.error(`kelos-devcluster: node: deleting pod ${namespace}/${name}:`, err);
    }
  }

  /** The final DELETE; a pod already at grace 0 is only waiting for its finalizers and needs none. */
  private remove(uid: string, namespace: string, name: string): void {
    let current: KObject;
    try {
      current = this.opts.client.get('pods', name, namespace);
    } catch (err) {
      if (isApiErrorCode(err, 404)) return;
      throw err;
    }
    if (current.metadata.uid !== uid || (current.metadata.deletionGracePeriodSeconds ?? 0) === 0) return;
    try {
      this.opts.client.delete('pods', name, { namespace, gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!isApiErrorCode(err, 404) && !isApiErrorCode(err, 409)) throw err;
    }
  }
}
