import type { TaskSpawner } from '@kelos/shared';
import type { V1CronJob, V1Deployment } from '@kubernetes/client-node';
import type { Informer } from '../runtime/informer.js';
import type { Wire } from '../runtime/kinds.js';
import { isAlreadyExists, isNotFound } from '../runtime/kube-client.js';
import type { Logger } from '../runtime/logger.js';
import { spawnerName, spawnerNamespace, type TaskSpawnerDeps } from './context.js';
import type { SpawnerMode } from './mode.js';
import { type OwnedObject, workloadOwnership } from './workload-meta.js';

/** The calls the controller makes on a spawner workload, the same for a Deployment and a CronJob. */
export interface WorkloadApi<T extends V1Deployment | V1CronJob> {
  kind: 'Deployment' | 'CronJob';
  cache: Informer<Wire<T>>;
  read(namespace: string, name: string): Promise<T>;
  create(namespace: string, body: T): Promise<T>;
  /** `dryRun` runs admission (defaulting) and returns the result without storing it. */
  replace(namespace: string, name: string, body: T, dryRun?: boolean): Promise<T>;
  delete(namespace: string, name: string): Promise<void>;
}

export function deploymentApi(deps: TaskSpawnerDeps): WorkloadApi<V1Deployment> {
  const apps = deps.clients.apps;
  return {
    kind: 'Deployment',
    cache: deps.caches.deployments,
    read: (namespace, name) => apps.readNamespacedDeployment({ name, namespace }),
    create: (namespace, body) => apps.createNamespacedDeployment({ namespace, body }),
    replace: (namespace, name, body, dryRun) =>
      apps.replaceNamespacedDeployment({ name, namespace, body, ...(dryRun && { dryRun: 'All' }) }),
    delete: async (namespace, name) => {
      await apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' });
    },
  };
}

export function cronJobApi(deps: TaskSpawnerDeps): WorkloadApi<V1CronJob> {
  const batch = deps.clients.batch;
  return {
    kind: 'CronJob',
    cache: deps.caches.cronJobs,
    read: (namespace, name) => batch.readNamespacedCronJob({ name, namespace }),
    create: (namespace, body) => batch.createNamespacedCronJob({ namespace, body }),
    replace: (namespace, name, body, dryRun) =>
      batch.replaceNamespacedCronJob({ name, namespace, body, ...(dryRun && { dryRun: 'All' }) }),
    delete: async (namespace, name) => {
      await batch.deleteNamespacedCronJob({ name, namespace, propagationPolicy: 'Background' });
    },
  };
}

/** What deleting a workload of either kind needs. */
export interface DeletableWorkload {
  kind: string;
  cache: { get(namespace: string, name: string): OwnedObject | undefined };
  delete(namespace: string, name: string): Promise<void>;
}

export function workloadApi(deps: TaskSpawnerDeps, mode: SpawnerMode): DeletableWorkload {
  return mode === 'cronjob' ? cronJobApi(deps) : deploymentApi(deps);
}

/**
 * Deletes the spawner's workload of this kind if a TaskSpawner controls it: the one of the other mode
 * after a source switch (spec §9 step 3), or the current one when the spawner cannot run. Someone else's
 * object of the same name is left alone.
 */
export async function deleteOwnedWorkload(
  api: DeletableWorkload,
  spawner: TaskSpawner,
  log: Logger,
): Promise<void> {
  const namespace = spawnerNamespace(spawner);
  const name = spawnerName(spawner);
  const existing = api.cache.get(namespace, name);
  if (!existing || workloadOwnership(existing, spawner) === 'foreign') return;
  try {
    await api.delete(namespace, name);
    log.info({ kind: api.kind, name }, 'deleted spawner workload');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The outcome of looking for the workload and creating it when absent. */
export type FoundWorkload<T> =
  | { created: true }
  | { created: false; current: T | Wire<T>; ownership: ReturnType<typeof workloadOwnership> };

/**
 * The cached workload, else a new one from `desired`. When the create finds one the cache does not hold
 * (it lags behind, or its labels were removed so it fell out of the label-selected cache), that one is
 * read and returned instead.
 */
export async function findOrCreateWorkload<T extends V1Deployment | V1CronJob>(
  api: WorkloadApi<T>,
  spawner: TaskSpawner,
  desired: T,
): Promise<FoundWorkload<T>> {
  const namespace = spawnerNamespace(spawner);
  const name = spawnerName(spawner);
  const cached = api.cache.get(namespace, name);
  if (cached) return { created: false, current: cached, ownership: workloadOwnership(cached, spawner) };
  try {
    await api.create(namespace, desired);
    return { created: true };
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const current = await api.read(namespace, name);
  return { created: false, current, ownership: workloadOwnership(current, spawner) };
}
