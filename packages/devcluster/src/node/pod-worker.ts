import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ContainerStartError,
  type ImageResolver,
  type RunningContainer,
  startContainer,
} from './container-runner.js';
import type { ApiServerEndpoint } from './env.js';
import { ContainerLog } from './log-store.js';
import { CachedObjectReader, type ObjectReader } from './object-reader.js';
import { computePodStatus, isSidecar } from './pod-status.js';
import { rfc3339 } from './time.js';
import type { Container, ContainerStateTerminated, ContainerStatus, Pod, PodStatus } from './types.js';
import { type PodVolumes, setUpVolumes } from './volumes.js';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface PodWorkerDeps {
  podDir: string;
  images: ImageResolver;
  objects: ObjectReader;
  api: ApiServerEndpoint & { caCert: string };
  bwrapPath: string;
  ip: string;
  restartBackoff: { initialMs: number; maxMs: number };
  retryMs: number;
  onStatus: (pod: Pod, status: PodStatus) => void;
  onEvent?: ((pod: Pod, event: PodEvent) => void) | undefined;
}

type Kind = 'init' | 'sidecar' | 'regular';

/** One container of the pod: its reported status, live process and per-attempt logs. */
export interface Slot {
  container: Container;
  kind: Kind;
  status: ContainerStatus;
  running?: RunningContainer | undefined;
  attempts: number;
  /** Consecutive crashes, for CrashLoopBackOff's delay. */
  crashes: number;
  /** Keyed by containerID, so `previous` is the log of lastState's container. */
  logs: Map<string, ContainerLog>;
}

/** The kubelet resets a container's crash backoff once it has run this long. */
const BACKOFF_RESET_MS = 10 * 60 * 1000;
const DEFAULT_GRACE_SECONDS = 30;

/**
 * Runs one pod through its lifecycle: volumes, init containers in order (sidecars left
 * running), then the containers concurrently with restarts per restartPolicy, and reports every
 * status change. stop() is how it ends early (deletion, activeDeadlineSeconds).
 */
export class PodWorker {
  readonly init: Slot[];
  readonly regular: Slot[];
  private readonly abort = new AbortController();
  private stopping = false;
  private terminal = false;
  private sandboxReady = false;
  private deadlineExceeded = false;
  private disruption: { reason: string; message: string } | undefined;
  private startTime: string | undefined;
  private volumes: PodVolumes = new Map();
  private readonly sidecarLoops: Promise<void>[] = [];
  private deadlineTimer: NodeJS.Timeout | undefined;
  private stopPromise: Promise<void> | undefined;
  /** The grace period of an explicit stop, which sidecars get too. */
  private stopGraceMs: number | undefined;
  private lastReported = '';
  status: PodStatus = {};
  readonly done: Promise<void>;

  constructor(
    readonly pod: Pod,
    private readonly deps: PodWorkerDeps,
  ) {
    const waiting = pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
    const slot = (container: Container, kind: Kind): Slot => ({
      container,
      kind,
      status: {
        name: container.name,
        state: { waiting: { reason: waiting } },
        lastState: {},
        ready: false,
        started: false,
        restartCount: 0,
        image: container.image ?? '',
        imageID: '',
      },
      attempts: 0,
      crashes: 0,
      logs: new Map(),
    });
    this.init = (pod.spec.initContainers ?? []).map((c) => slot(c, isSidecar(c) ? 'sidecar' : 'init'));
    this.regular = pod.spec.containers.map((c) => slot(c, 'regular'));
    // An unexpected error must still end the pod cleanly rather than surface as an unhandled rejection.
    this.done = this.run()
      .catch((err: Error) => this.event('Warning', 'Failed', `Error: ${err.message}`))
      .finally(() => this.finish());
  }

  get graceMs(): number {
    return (this.pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  }

  /** Kills the containers (SIGTERM, SIGKILL after the grace period) and ends the pod. */
  stop(graceMs: number, disruption?: { reason: string; message: string }): Promise<void> {
    if (disruption && !this.disruption) {
      this.disruption = disruption;
      this.report();
    }
    this.stopPromise ??= (async () => {
      this.stopGraceMs = graceMs;
      this.stopping = true;
      this.abort.abort();
      await Promise.all(this.regular.map((s) => this.kill(s, graceMs)));
      await this.done;
    })();
    return this.stopPromise;
  }

  private async run(): Promise<void> {
    this.startTime = rfc3339();
    const deadline = this.pod.spec.activeDeadlineSeconds;
    if (deadline !== undefined) {
      this.deadlineTimer = setTimeout(() => {
        this.deadlineExceeded = true;
        this.event(
          'Normal',
          'DeadlineExceeded',
          'Pod was active on the node longer than the specified deadline',
        );
        void this.stop(this.graceMs);
      }, deadline * 1000);
    }
    this.report();
    if (!(await this.setUpVolumes())) return;
    this.sandboxReady = true;
    this.report();
    for (const slot of this.init) {
      if (this.stopping) return;
      if (slot.kind === 'sidecar') {
        const started = new Promise<void>((resolve) =>
          this.sidecarLoops.push(this.runSidecar(slot, resolve)),
        );
        await Promise.race([started, this.aborted()]);
      } else if (!(await this.runInit(slot))) {
        return;
      }
    }
    await Promise.all(this.regular.map((s) => this.runRegular(s)));
  }

  /** After the containers are done: stop sidecars, then report the terminal status. */
  private async finish(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    for (const slot of [...this.init].reverse()) await this.kill(slot, this.stopGraceMs ?? this.graceMs);
    await Promise.all(this.sidecarLoops);
    clearTimeout(this.deadlineTimer);
    this.terminal = true;
    for (const slot of this.regular) {
      if (slot.status.state.terminated) continue;
      slot.status.state = {
        terminated: {
          exitCode: 137,
          reason: 'ContainerStatusUnknown',
          message: 'The container could not be located when the pod was terminated',
        },
      };
    }
    this.report();
  }

  private async setUpVolumes(): Promise<boolean> {
    const ns = this.pod.metadata.namespace ?? 'default';
    while (!this.stopping) {
      try {
        this.volumes = await setUpVolumes({
          pod: this.pod,
          podDir: this.deps.podDir,
          objects: new CachedObjectReader(this.deps.objects, ns),
          net: { podIP: this.deps.ip, hostIP: this.deps.ip },
          caCert: this.deps.api.caCert,
        });
        return true;
      } catch (err) {
        this.event('Warning', 'FailedMount', (err as Error).message);
        await this.pause(this.deps.retryMs);
      }
    }
    return false;
  }

  private async runInit(slot: Slot): Promise<boolean> {
    for (;;) {
      const term = await this.runAttempt(slot);
      if (!term) return false;
      if (term.exitCode === 0) return true;
      if (this.restartPolicy === 'Never' || this.stopping) return false;
      await this.backoff(slot, term);
    }
  }

  private async runRegular(slot: Slot): Promise<void> {
    for (;;) {
      const term = await this.runAttempt(slot);
      if (!term || this.stopping) return;
      if (this.restartPolicy === 'Never' || (this.restartPolicy === 'OnFailure' && term.exitCode === 0))
        return;
      await this.backoff(slot, term);
    }
  }

  private async runSidecar(slot: Slot, started: () => void): Promise<void> {
    for (;;) {
      const term = await this.runAttempt(slot, started);
      if (!term || this.stopping) return;
      await this.backoff(slot, term);
    }
  }

  private get restartPolicy(): string {
    return this.pod.spec.restartPolicy ?? 'Always';
  }

  /** Starts the container (retrying start errors) and waits for it to exit; undefined if stopped first. */
  private async runAttempt(
    slot: Slot,
    onRunning?: () => void,
  ): Promise<ContainerStateTerminated | undefined> {
    const { container } = slot;
    while (!this.stopping) {
      let running: RunningContainer;
      try {
        running = await startContainer({
          pod: this.pod,
          container,
          attempt: slot.attempts,
          podDir: this.deps.podDir,
          volumes: this.volumes,
          objects: new CachedObjectReader(this.deps.objects, this.pod.metadata.namespace ?? 'default'),
          images: this.deps.images,
          api: this.deps.api,
          net: { podIP: this.deps.ip, hostIP: this.deps.ip },
          bwrapPath: this.deps.bwrapPath,
          openLog: () =>
            new ContainerLog(join(this.deps.podDir, 'logs', container.name, `${slot.attempts}.log`)),
        });
      } catch (err) {
        const { reason = 'RunContainerError', message } = err as ContainerStartError;
        slot.status.state = { waiting: { reason, message } };
        this.event('Warning', 'Failed', `Error: ${message}`);
        this.report();
        await this.pause(this.deps.retryMs);
        continue;
      }
      slot.running = running;
      slot.logs.set(running.containerID, running.log);
      slot.status = {
        ...slot.status,
        state: { running: { startedAt: running.startedAt } },
        restartCount: slot.attempts,
        imageID: running.image.imageID,
        containerID: running.containerID,
      };
      slot.attempts++;
      // Starting is one step here; the kubelet's three events still tell `kubectl describe` readers the story.
      this.event('Normal', 'Pulled', `Container image "${container.image ?? ''}" already present on machine`);
      this.event('Normal', 'Created', `Created container ${container.name}`);
      this.event('Normal', 'Started', `Started container ${container.name}`);
      this.report();
      onRunning?.();
      // A stop that raced with the start would not have seen this process.
      if (this.stopping) void running.stop(this.stopGraceMs ?? this.graceMs);
      const term = await running.exited;
      slot.running = undefined;
      slot.status = { ...slot.status, state: { terminated: term } };
      this.report();
      return term;
    }
    return undefined;
  }

  /** CrashLoopBackOff: immediate first restart, then 10s doubling to 5m (configurable). */
  private async backoff(slot: Slot, term: ContainerStateTerminated): Promise<void> {
    slot.status.lastState = { terminated: term };
    const ranMs = Date.parse(term.finishedAt ?? '') - Date.parse(term.startedAt ?? '');
    slot.crashes = ranMs >= BACKOFF_RESET_MS ? 1 : slot.crashes + 1;
    const { initialMs, maxMs } = this.deps.restartBackoff;
    const delay = slot.crashes <= 1 ? 0 : Math.min(initialMs * 2 ** (slot.crashes - 2), maxMs);
    if (delay === 0) return;
    const { name, namespace, uid } = this.pod.metadata;
    slot.status.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(delay)} restarting failed container=${slot.container.name} pod=${name}_${namespace}(${uid})`,
      },
    };
    this.event(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${slot.container.name} in pod ${name}_${namespace}(${uid})`,
    );
    this.report();
    await this.pause(delay);
  }

  private async kill(slot: Slot, graceMs: number): Promise<void> {
    if (!slot.running) return;
    this.event('Normal', 'Killing', `Stopping container ${slot.container.name}`);
    await slot.running.stop(graceMs);
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  private aborted(): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) resolve();
      else this.abort.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  private event(type: PodEvent['type'], reason: string, message: string): void {
    this.deps.onEvent?.(this.pod, { type, reason, message });
  }

  private report(): void {
    this.status = computePodStatus({
      spec: this.pod.spec,
      initContainerStatuses: this.init.map((s) => s.status),
      containerStatuses: this.regular.map((s) => s.status),
      ...(this.startTime ? { startTime: this.startTime } : {}),
      sandboxReady: this.sandboxReady,
      terminal: this.terminal,
      deadlineExceeded: this.deadlineExceeded,
      ...(this.disruption ? { disruption: this.disruption } : {}),
      previous: this.status,
      now: rfc3339(),
      ip: this.deps.ip,
    });
    const json = JSON.stringify(this.status);
    if (json === this.lastReported) return;
    this.lastReported = json;
    this.deps.onStatus(this.pod, structuredClone(this.status));
  }
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
