import type { Task, TaskSpawner, Workspace } from '@kelos/shared';
import type { RbacAuthorizationV1Api, V1CronJob, V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { EventRecorder } from '../events/recorder.js';
import type { Informer } from '../runtime/informer.js';
import type { Wire } from '../runtime/kinds.js';
import type { KubeClients } from '../runtime/kube-client.js';
import type { Logger } from '../runtime/logger.js';
import type { SpawnerOptions } from './options.js';

export type CachedDeployment = Wire<V1Deployment>;
export type CachedCronJob = Wire<V1CronJob>;
/** A Secret as the controller caches it: which keys hold a value, not the values (`secretKeysOnly`). */
export type CachedSecret = Wire<V1Secret>;

/** The informer caches of the TaskSpawner controller (spec §9 watches). */
export interface TaskSpawnerCaches {
  spawners: Informer<TaskSpawner>;
  /** Only workloads labelled `kelos.dev/taskspawner`, as every one the controller builds is. */
  deployments: Informer<CachedDeployment>;
  cronJobs: Informer<CachedCronJob>;
  workspaces: Informer<Workspace>;
  /** Watched so that a new or switched workspace Secret (token ↔ GitHub App) re-reconciles its spawners. */
  secrets: Informer<CachedSecret>;
  /** Only Tasks labelled `kelos.dev/taskspawner`: each wakes its spawner. */
  tasks: Informer<Task>;
}

/** Everything a TaskSpawner reconcile uses, built once per controller. */
export interface TaskSpawnerDeps {
  clients: KubeClients;
  rbac: RbacAuthorizationV1Api;
  caches: TaskSpawnerCaches;
  events: EventRecorder;
  options: SpawnerOptions;
  /** Namespace → when its spawner ServiceAccount and RoleBinding were last seen to exist (ms). */
  rbacCheckedAt: Map<string, number>;
  /** Milliseconds since the epoch; tests may pin it. */
  now: () => number;
}

/** One reconcile of one TaskSpawner. */
export interface SpawnerContext {
  deps: TaskSpawnerDeps;
  log: Logger;
}

/** What a reconcile step asks of the work queue. */
export interface StepResult {
  requeueAfterMs?: number;
}

export function spawnerName(spawner: TaskSpawner): string {
  return spawner.metadata.name ?? '';
}

export function spawnerNamespace(spawner: TaskSpawner): string {
  return spawner.metadata.namespace ?? 'default';
}
