import { LABELS } from '@kelos/shared';
import { KubeEventRecorder } from '../events/recorder.js';
import type { JobBuilderOptions } from '../job/options.js';
import type { Controller } from '../runtime/controller.js';
import { kinds } from '../runtime/kinds.js';
import { makeClients } from '../runtime/kube-client.js';
import type { Manager } from '../runtime/manager.js';
import { BranchLocks } from './branch-lock.js';
import type { TaskDeps } from './context.js';
import { apiPodLogReader, type PodLogReader } from './outputs.js';
import { taskReconciler } from './reconciler.js';
import { taskOfPod, tasksUsingWorkspace, waitersOf, waitersOfFinished } from './watches.js';

export interface TaskControllerOptions {
  /** Tasks reconciled concurrently (default 4). */
  workers?: number;
  jobOptions?: JobBuilderOptions;
  /** GitHub API base URL for App tokens, instead of the one derived from the workspace host. */
  githubApiBaseUrl?: string;
  /** Defaults to the API's pod log endpoint. */
  readPodLog?: PodLogReader;
  now?: () => number;
}

/**
 * Registers the Task controller with a manager (spec §3): its caches and watches. Jobs and Pods are
 * cached only when they carry `kelos.dev/task`, which every Job the builder makes (and its pods) has.
 */
export function setupTaskController(mgr: Manager, options: TaskControllerOptions = {}): Controller {
  const clients = makeClients(mgr.kubeConfig);
  const caches = {
    tasks: mgr.informer(kinds.Task),
    jobs: mgr.informer(kinds.Job, { labelSelector: LABELS.task }),
    pods: mgr.informer(kinds.Pod, { labelSelector: LABELS.task }),
    workspaces: mgr.informer(kinds.Workspace),
    agentConfigs: mgr.informer(kinds.AgentConfig),
  };
  const deps: TaskDeps = {
    clients,
    caches,
    events: new KubeEventRecorder(clients.core, mgr.logger),
    locks: new BranchLocks(),
    jobOptions: options.jobOptions ?? {},
    ...(options.githubApiBaseUrl && { githubApiBaseUrl: options.githubApiBaseUrl }),
    readPodLog: options.readPodLog ?? apiPodLogReader(clients.core),
    now: options.now ?? Date.now,
  };
  const controller = mgr
    .controller({ name: 'task', workers: options.workers ?? 4, reconcile: taskReconciler(deps) })
    .for(caches.tasks)
    .owns(caches.jobs)
    .watches(caches.tasks, waitersOfFinished(caches.tasks))
    .watches(caches.workspaces, tasksUsingWorkspace(caches.tasks))
    .watches(caches.pods, taskOfPod);
  // A deleted Task frees its branch and leaves its dependants failing or waiting, whatever its phase.
  caches.tasks.on('delete', (task) => {
    for (const key of waitersOf(caches.tasks, task)) controller.enqueue(key);
  });
  return controller;
}
