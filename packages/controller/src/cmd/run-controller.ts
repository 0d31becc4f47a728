import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKubeConfig } from '../runtime/kube-client.js';
import { createLogger, type Logger } from '../runtime/logger.js';
import { Manager, type ManagerOptions } from '../runtime/manager.js';
import { setupTaskController } from '../task/controller.js';
import { setupTaskSpawnerController } from '../taskspawner/controller.js';
import type { BindAddress, ControllerFlags } from './controller-flags.js';

export const LEADER_ELECTION_ID = 'kelos-controller-leader-election';
export const DEFAULT_NAMESPACE = 'kelos-system';
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface RunEnvironment {
  /** Where a pod finds its service account token and namespace; tests point it elsewhere. */
  serviceAccountDir?: string;
  logger?: Logger;
}

/** The namespace the pod runs in, from its service account; undefined outside a cluster. */
function podNamespace(dir: string): string | undefined {
  const file = join(dir, 'namespace');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** Probes and metrics share the Manager's one listen host (the flag parser refused two different ones). */
function servers(flags: ControllerFlags): Pick<ManagerOptions, 'healthPort' | 'metricsPort' | 'host'> {
  const hostOf = (address: BindAddress) => (address ? address.host : undefined);
  const host = hostOf(flags.metrics) ?? hostOf(flags.health) ?? '0.0.0.0';
  return {
    metricsPort: flags.metrics ? flags.metrics.port : false,
    healthPort: flags.health ? flags.health.port : false,
    host,
  };
}

/**
 * Starts the kelos-controller: kubeconfig (flag, else the in-cluster service account, else the default
 * lookup), then a Manager running the Task and TaskSpawner controllers, behind a Lease when leader
 * election is on.
 * Resolves once the caches synced; the returned Manager stops it.
 */
export async function startController(flags: ControllerFlags, env: RunEnvironment = {}): Promise<Manager> {
  const logger = env.logger ?? createLogger(flags.logLevel ? { level: flags.logLevel } : {});
  const placement = controllerPlacement(flags, env.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  const kubeConfig = loadKubeConfig({
    ...(flags.kubeconfig && { kubeconfig: flags.kubeconfig }),
    ...(flags.context && { context: flags.context }),
    inCluster: placement.inCluster,
  });
  const manager = new Manager({
    kubeConfig,
    logger,
    ...servers(flags),
    ...(placement.leaderElect && {
      leaderElection: { namespace: placement.leaseNamespace, name: LEADER_ELECTION_ID },
    }),
  });
  setupTaskController(manager, {
    workers: flags.workers,
    jobOptions: {
      images: flags.images,
      imagePullPolicies: flags.imagePullPolicies,
      ...(flags.version && { version: flags.version }),
    },
    ...(flags.githubApiBaseUrl && { githubApiBaseUrl: flags.githubApiBaseUrl }),
  });
  setupTaskSpawnerController(manager, {
    spawner: {
      ...(flags.spawnerImage && { image: flags.spawnerImage }),
      ...(flags.spawnerImagePullPolicy && { imagePullPolicy: flags.spawnerImagePullPolicy }),
      ...(flags.version && { version: flags.version }),
      ...(flags.spawnerResources && { resources: flags.spawnerResources }),
      ...(flags.githubApiBaseUrl && { githubApiBaseUrl: flags.githubApiBaseUrl }),
    },
  });
  logger.info({ ...placement, workers: flags.workers }, 'starting kelos-controller');
  await manager.start();
  return manager;
}

/**
 * Where the controller runs decides its defaults: in a pod (service account token present, no
 * --kubeconfig) it uses the in-cluster config and elects a leader in its own namespace.
 */
export function controllerPlacement(
  flags: ControllerFlags,
  serviceAccountDir: string,
): { inCluster: boolean; leaderElect: boolean; leaseNamespace: string } {
  const inCluster = !flags.kubeconfig && existsSync(join(serviceAccountDir, 'token'));
  return {
    inCluster,
    leaderElect: flags.leaderElect ?? inCluster,
    leaseNamespace: flags.leaderElectionNamespace ?? podNamespace(serviceAccountDir) ?? DEFAULT_NAMESPACE,
  };
}
