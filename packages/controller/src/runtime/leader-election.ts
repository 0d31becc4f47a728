import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type CoordinationV1Api, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { isConflict, isNotFound } from './kube-client.js';
import type { Logger } from './logger.js';

export interface LeaderElectionOptions {
  client: CoordinationV1Api;
  namespace: string;
  /** Lease name; Kelos uses `kelos-controller-leader-election`. */
  name: string;
  /** Defaults to `<hostname>_<random>`, unique per process. */
  identity?: string;
  /** How long a lease stays valid after its last renewal, as standbys see it. */
  leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long (must be shorter than leaseDurationMs). */
  renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew. */
  retryPeriodMs?: number;
  logger: Logger;
  onStartedLeading: () => void;
  /** Called when the lease is lost (not when stop() releases it): the work must stop at once. */
  onStoppedLeading: () => void;
}

export function defaultIdentity(): string {
  return `${hostname()}_${randomBytes(4).toString('hex')}`;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package:
 * a candidate takes the lease when it is free or has not been renewed for leaseDuration (measured on this
 * process's clock from when the lease was last seen to change, so clock skew between nodes does not matter);
 * the leader renews every retryPeriod; every write carries the resourceVersion read, so two candidates
 * cannot both win. stop() releases the lease (empty holderIdentity) so a standby takes over at once.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly opts: Required<Omit<LeaderElectionOptions, 'identity'>>;
  private leading = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** resourceVersion of the lease as last read, and when (local clock) it last changed. */
  private observedVersion: string | undefined;
  private observedAt = 0;
  private lastRenew = 0;

  constructor(options: LeaderElectionOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.opts = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      ...options,
    };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops campaigning. With `release` (the default) a leader hands the lease back; without it the lease is
   * left to expire, as when the process dies.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (this.leading && options.release !== false) await this.release();
    this.leading = false;
  }

  private async run(): Promise<void> {
    const log = this.opts.logger;
    while (!this.stopped) {
      const ok = await this.attempt().catch((err: unknown) => {
        log.warn({ err }, 'leader election: lease request failed');
        return false;
      });
      const now = Date.now();
      if (ok) {
        this.lastRenew = now;
        // Set even when stopping meanwhile, so that stop() releases the lease just taken.
        const acquired = !this.leading;
        this.leading = true;
        if (this.stopped) return;
        if (acquired) {
          log.info({ identity: this.identity, lease: this.opts.name }, 'became leader');
          this.opts.onStartedLeading();
        }
      } else if (this.stopped) {
        return;
      } else if (this.leading && now - this.lastRenew >= this.opts.renewDeadlineMs) {
        this.leading = false;
        log.error({ identity: this.identity, lease: this.opts.name }, 'leader election lost');
        this.opts.onStoppedLeading();
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.retryPeriodMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * One acquire-or-renew bounded by the renew deadline: a request that hangs must count as a failed renewal,
   * or a partitioned leader would keep working after its lease expired for the others.
   */
  private attempt(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('lease request timed out')), this.opts.renewDeadlineMs);
    });
    return Promise.race([this.tryAcquireOrRenew(), timeout]).finally(() => clearTimeout(timer));
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name } = this.opts;
    const now = new V1MicroTime();
    const durationSeconds = Math.max(1, Math.ceil(this.opts.leaseDurationMs / 1000));
    let lease: V1Lease;
    try {
      lease = await client.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await client.createNamespacedLease({
        namespace,
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        },
      });
      return true;
    }
    const version = lease.metadata?.resourceVersion;
    if (version !== this.observedVersion) {
      this.observedVersion = version;
      this.observedAt = Date.now();
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (
      holder !== '' &&
      holder !== this.identity &&
      this.observedAt + this.opts.leaseDurationMs > Date.now()
    ) {
      return false;
    }
    const takeover = holder !== this.identity;
    lease.spec = {
      ...spec,
      holderIdentity: this.identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: now,
      ...(takeover ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
    };
    try {
      const written = await client.replaceNamespacedLease({ name, namespace, body: lease });
      this.observedVersion = written.metadata?.resourceVersion;
      this.observedAt = Date.now();
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  private async release(): Promise<void> {
    const { client, namespace, name, logger } = this.opts;
    try {
      const lease = await client.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== this.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: '', renewTime: new V1MicroTime() };
      await client.replaceNamespacedLease({ name, namespace, body: lease });
      logger.info({ identity: this.identity, lease: name }, 'released leader lease');
    } catch (err) {
      // The lease then expires after leaseDuration instead: slower hand-over, nothing worse.
      logger.warn({ err }, 'could not release leader lease');
    }
  }
}
