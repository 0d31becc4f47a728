import { LABELS } from '@kelos/shared/constants';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { KubeEventRecorder } from '../events/recorder.js';
import { secretKeysOnly } from '../runtime/cache-transforms.js';
import type { Controller } from '../runtime/controller.js';
import { kinds } from '../runtime/kinds.js';
import { makeClients } from '../runtime/kube-client.js';
import type { Manager } from '../runtime/manager.js';
import type { TaskSpawnerDeps } from './context.js';
import type { SpawnerOptions } from './options.js';
import { taskSpawnerReconciler } from './reconciler.js';
import { spawnerOfTask, spawnersUsingSecret, spawnersUsingWorkspace } from './watches.js';

export interface TaskSpawnerControllerOptions {
  /** TaskSpawners reconciled concurrently (default 2: there are few, and each reconcile is short). */
  workers?: number;
  spawner?: SpawnerOptions;
  now?: () => number;
}

/**
 * Registers the TaskSpawner controller with a manager (spec §9): its caches and watches. Workloads and
 * Tasks are cached only when they carry `kelos.dev/taskspawner`.
 */
export function setupTaskSpawnerController(
  mgr: Manager,
  options: TaskSpawnerControllerOptions = {},
): Controller {
  const clients = makeClients(mgr.kubeConfig);
  const caches = {
    spawners: mgr.informer(kinds.TaskSpawner),
    deployments: mgr.informer(kinds.Deployment, { labelSelector: LABELS.taskSpawner }),
    cronJobs: mgr.informer(kinds.CronJob, { labelSelector: LABELS.taskSpawner }),
    workspaces: mgr.informer(kinds.Workspace),
    secrets: mgr.informer(kinds.Secret, { transform: secretKeysOnly }),
    tasks: mgr.informer(kinds.Task, { labelSelector: LABELS.taskSpawner }),
  };
  const deps: TaskSpawnerDeps = {
    clients,
    rbac: mgr.kubeConfig.makeApiClient(RbacAuthorizationV1Api),
    caches,
    events: new KubeEventRecorder(clients.json, mgr.logger),
    options: options.spawner ?? {},
    rbacCheckedAt: new Map(),
    now: options.now ?? Date.now,
  };
  return mgr
    .controller({
      name: 'taskspawner',
      workers: options.workers ?? 2,
      reconcile: taskSpawnerReconciler(deps),
    })
    .for(caches.spawners)
    .owns(caches.deployments)
    .owns(caches.cronJobs)
    .watches(caches.workspaces, spawnersUsingWorkspace(caches.spawners))
    .watches(caches.secrets, spawnersUsingSecret(caches.spawners, caches.workspaces))
    .watches(caches.tasks, spawnerOfTask);
}
