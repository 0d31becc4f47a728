import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageResolver } from './container-runner.js';
import type { ApiServerEndpoint } from './env.js';
import { type ContainerLog, type LogOptions, readContainerLog } from './log-store.js';
import type { ObjectReader } from './object-reader.js';
import { type PodEvent, PodWorker, type Slot } from './pod-worker.js';
import { findBwrap } from './sandbox.js';
import type { Pod, PodStatus } from './types.js';

export interface PodRuntimeOptions {
  /** Node data dir; pods live in `<dataDir>/pods/<uid>`. */
  dataDir: string;
  images: ImageResolver;
  objects: ObjectReader;
  /** Where pods reach the API server (KUBERNETES_SERVICE_HOST/PORT) and the CA for ca.crt. */
  apiServer: ApiServerEndpoint & { caCert: string };
  /** Called with the full status after every change; the server should write it to pods/status. */
  onStatus: (pod: Pod, status: PodStatus) => void;
  /** Kubelet-style events (Pulled, Created, Started, Killing, BackOff, Failed, FailedMount). */
  onEvent?: (pod: Pod, event: PodEvent) => void;
  /** Defaults to `bwrap` on PATH. */
  bwrapPath?: string;
  /** CrashLoopBackOff delays; the kubelet's are 10s doubling to 5m. */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Retry interval for pods stuck on ErrImagePull, CreateContainerConfigError or FailedMount. */
  retryMs?: number;
}

/** Why a log cannot be read; `code` maps to the HTTP status the API server should answer with. */
export class LogError extends Error {
  constructor(
    readonly code: 'NotFound' | 'BadRequest',
    message: string,
  ) {
    super(message);
  }
}

export interface DeletePodOptions {
  /** Defaults to the pod's terminationGracePeriodSeconds (30). */
  gracePeriodSeconds?: number;
  /** Set when the node itself evicts the pod: adds the DisruptionTarget condition. */
  disruption?: { reason: string; message: string };
}

const NODE_IP = '127.0.0.1';

/**
 * The local node's kubelet: runs pods it is given, reports their status, serves their logs and
 * kills them on deletion. It never talks to the API server itself; a binding layer feeds it pods
 * (runPod/deletePod) and persists what it reports (onStatus/onEvent).
 */
export class PodRuntime {
  private readonly workers = new Map<string, PodWorker>();
  private readonly bwrapPath: string;

  constructor(private readonly opts: PodRuntimeOptions) {
    this.bwrapPath = findBwrap(opts.bwrapPath);
  }

  /** Starts a pod scheduled to this node; a pod already known (by UID) is left alone. */
  runPod(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid) throw new Error('pod has no metadata.uid');
    if (this.workers.has(uid)) return;
    this.workers.set(
      uid,
      new PodWorker(structuredClone(pod), {
        podDir: this.podDir(uid),
        images: this.opts.images,
        objects: this.opts.objects,
        api: this.opts.apiServer,
        bwrapPath: this.bwrapPath,
        ip: NODE_IP,
        restartBackoff: this.opts.restartBackoff ?? { initialMs: 10_000, maxMs: 300_000 },
        retryMs: this.opts.retryMs ?? 2_000,
        onStatus: this.opts.onStatus,
        onEvent: this.opts.onEvent,
      }),
    );
  }

  /**
   * Stops the pod (SIGTERM to every process, SIGKILL after the grace period), reports its final
   * (terminal) status, then removes its directory, volumes and logs. Resolves with the final
   * status once the pod can be removed from the API server.
   */
  async deletePod(uid: string, options: DeletePodOptions = {}): Promise<PodStatus | undefined> {
    const worker = this.workers.get(uid);
    if (!worker) return undefined;
    const grace =
      options.gracePeriodSeconds !== undefined ? options.gracePeriodSeconds * 1000 : worker.graceMs;
    await worker.stop(grace, options.disruption);
    this.workers.delete(uid);
    await rm(this.podDir(uid), { recursive: true, force: true });
    return worker.status;
  }

  getPodStatus(uid: string): PodStatus | undefined {
    const status = this.workers.get(uid)?.status;
    return status ? structuredClone(status) : undefined;
  }

  podUids(): string[] {
    return [...this.workers.keys()];
  }

  /**
   * A container's log as `kubectl logs` reads it. Validation errors are thrown here, before any
   * output, so the caller can answer with a proper status code.
   */
  readLog(
    uid: string,
    containerName: string | undefined,
    options: LogOptions & { previous?: boolean } = {},
    signal?: AbortSignal,
  ): AsyncIterable<Buffer> {
    const worker = this.workers.get(uid);
    if (!worker) throw new LogError('NotFound', `pod with UID ${uid} is not on this node`);
    const podName = worker.pod.metadata.name ?? '';
    const slots = [...worker.init, ...worker.regular];
    const name =
      containerName ?? (worker.regular.length === 1 ? worker.regular[0]?.container.name : undefined);
    if (name === undefined) {
      const names = worker.regular.map((s) => s.container.name).join(' ');
      throw new LogError(
        'BadRequest',
        `a container name must be specified for pod ${podName}, choose one of: [${names}]`,
      );
    }
    const slot = slots.find((s) => s.container.name === name);
    if (!slot) throw new LogError('BadRequest', `container ${name} is not valid for pod ${podName}`);
    const log = options.previous ? previousLog(slot, podName) : currentLog(slot, podName);
    return readContainerLog(log, options, signal);
  }

  /** Kills every pod (no grace) and removes their directories: for tests and process exit. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((uid) => this.deletePod(uid, { gracePeriodSeconds: 0 })));
  }

  private podDir(uid: string): string {
    return join(this.opts.dataDir, 'pods', uid);
  }
}

function currentLog(slot: Slot, podName: string): ContainerLog {
  const id = slot.status.containerID;
  const log = id ? slot.logs.get(id) : undefined;
  if (!log) {
    const reason = slot.status.state.waiting?.reason ?? 'ContainerCreating';
    throw new LogError(
      'BadRequest',
      `container "${slot.container.name}" in pod "${podName}" is waiting to start: ${reason}`,
    );
  }
  return log;
}

function previousLog(slot: Slot, podName: string): ContainerLog {
  const id = slot.status.lastState.terminated?.containerID;
  const log = id ? slot.logs.get(id) : undefined;
  if (!log) {
    throw new LogError(
      'BadRequest',
      `previous terminated container "${slot.container.name}" in pod "${podName}" not found`,
    );
  }
  return log;
}
