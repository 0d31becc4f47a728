import type { KubeConfig } from '@kubernetes/client-node';
import { Controller, type ControllerOptions } from './controller.js';
import { serveHealth } from './health.js';
import type { HttpServer } from './http-server.js';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeObject, ResourceKind } from './kinds.js';
import { makeClients } from './kube-client.js';
import { LeaderElector } from './leader-election.js';
import type { Logger } from './logger.js';
import { serveMetrics } from './metrics.js';

export interface ManagerLeaderElection {
  namespace: string;
  /** Lease name, e.g. `kelos-controller-leader-election`. */
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ManagerOptions {
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Without it this process reconciles at once (one replica, or tests). */
  leaderElection?: ManagerLeaderElection;
  /** Port of /healthz and /readyz (default 8081); false serves none. */
  healthPort?: number | false;
  /** Port of /metrics (default 8080); false serves none. */
  metricsPort?: number | false;
  /** Listen address of both (default 0.0.0.0). */
  host?: string;
  /** Give up when the caches have not synced after this long (default 120 s). */
  cacheSyncTimeoutMs?: number;
  /**
   * Called when the leader lease is lost: this replica must stop working at once, because another one may
   * already be reconciling. Defaults to exiting with status 1 so that Kubernetes restarts the pod, as
   * controller-runtime does.
   */
  onLeaderLost?: () => void;
}

function sameOptions(a: InformerOptions, b: InformerOptions): boolean {
  return (
    a.namespace === b.namespace &&
    a.labelSelector === b.labelSelector &&
    a.fieldSelector === b.fieldSelector &&
    a.transform === b.transform
  );
}

/**
 * Runs a set of controllers: starts their informers (on every replica, so a standby is ready to take over),
 * waits for the caches, then runs the controllers while this replica holds the leader lease.
 */
export class Manager {
  readonly logger: Logger;
  readonly kubeConfig: KubeConfig;
  private readonly opts: ManagerOptions;
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly controllers: Controller[] = [];
  private readonly servers: HttpServer[] = [];
  private elector: LeaderElector | undefined;
  private controllersStarted = false;
  private stopping: Promise<void> | undefined;
  private ports: { health?: number; metrics?: number } = {};

  constructor(options: ManagerOptions) {
    this.opts = options;
    this.logger = options.logger;
    this.kubeConfig = options.kubeConfig;
  }

  /**
   * An informer the manager starts, stops and waits for. Controllers asking for the same kind with the
   * same namespace, selectors and transform share one (as controller-runtime's shared cache does), so
   * each object is held and decoded once.
   */
  informer<T extends KubeObject>(
    kind: ResourceKind<T>,
    options: Omit<InformerOptions, 'logger'> = {},
  ): Informer<T> {
    const shared = this.informers.find(
      (i) => i.kind.group === kind.group && i.kind.plural === kind.plural && sameOptions(i.options, options),
    );
    if (shared) return shared as unknown as Informer<T>;
    const informer = new Informer(this.kubeConfig, kind, { ...options, logger: this.logger });
    this.informers.push(informer as unknown as Informer<KubeObject>);
    return informer;
  }

  controller(options: Omit<ControllerOptions, 'logger'>): Controller {
    const controller = new Controller({ ...options, logger: this.logger });
    this.controllers.push(controller);
    return controller;
  }

  get isLeader(): boolean {
    return this.controllersStarted;
  }

  /** Every cache holds a complete list (what /readyz reports). */
  get cachesSynced(): boolean {
    return this.informers.every((i) => i.hasSynced());
  }

  get healthPort(): number | undefined {
    return this.ports.health;
  }

  get metricsPort(): number | undefined {
    return this.ports.metrics;
  }

  /** Serves probes and metrics, starts the informers and waits for their caches, then campaigns to lead. */
  async start(): Promise<void> {
    const { host = '0.0.0.0', healthPort = 8081, metricsPort = 8080 } = this.opts;
    if (healthPort !== false) {
      const server = await serveHealth({ ready: () => this.cachesSynced }, healthPort, host);
      this.servers.push(server);
      this.ports.health = server.port;
    }
    if (metricsPort !== false) {
      const server = await serveMetrics(metricsPort, host);
      this.servers.push(server);
      this.ports.metrics = server.port;
    }
    await Promise.all(this.informers.map((i) => i.start()));
    await this.waitForCacheSync();
    const le = this.opts.leaderElection;
    if (!le) {
      this.startControllers();
      return;
    }
    this.elector = new LeaderElector({
      ...le,
      client: makeClients(this.kubeConfig).coordination,
      logger: this.logger,
      onStartedLeading: () => this.startControllers(),
      onStoppedLeading: () => {
        // Workers take no new key from now on, before the process gets to exit.
        for (const c of this.controllers) void c.stop();
        this.controllersStarted = false;
        (this.opts.onLeaderLost ?? (() => process.exit(1)))();
      },
    });
    this.elector.start();
  }

  /**
   * Graceful shutdown: controllers take no new key and finish the reconciles in flight, then the lease is
   * released (a standby takes over without waiting for it to expire), then informers and servers stop.
   */
  stop(options: { releaseLease?: boolean } = {}): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.controllers.map((c) => c.stop()));
      this.controllersStarted = false;
      await this.elector?.stop({ release: options.releaseLease !== false });
      await Promise.all(this.informers.map((i) => i.stop()));
      await Promise.all(this.servers.map((s) => s.close()));
      this.logger.info('manager stopped');
    })();
    return this.stopping;
  }

  /** Stops gracefully on SIGTERM or SIGINT, then exits; a second signal exits at once. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) process.exit(1);
      this.logger.info({ signal }, 'shutting down');
      this.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          this.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  private async waitForCacheSync(): Promise<void> {
    const timeoutMs = this.opts.cacheSyncTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const pending = this.informers.filter((i) => !i.hasSynced()).map((i) => i.kind.plural);
        reject(new Error(`caches not synced after ${timeoutMs} ms: ${pending.join(', ')}`));
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(this.informers.map((i) => i.waitForSync())), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.logger.info({ informers: this.informers.length }, 'caches synced');
  }

  private startControllers(): void {
    if (this.controllersStarted || this.stopping) return;
    this.controllersStarted = true;
    for (const c of this.controllers) c.start();
  }
}
