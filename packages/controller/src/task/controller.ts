import { LABELS } from '@kelos/shared/constants';
import { KubeEventRecorder } from '../events/recorder.js';
import type { JobBuilderOptions } from '../job/options.js';
import { metadataAndStatus, metadataOnly } from '../runtime/cache-transforms.js';
import type { Controller } from '../runtime/controller.js';
import { kinds } from '../runtime/kinds.js';
import { makeClients } from '../runtime/kube-client.js';
import type { Manager } from '../runtime/manager.js';
import { BranchLocks } from './branch-lock.js';
import type { TaskDeps } from './context.js';
import { DEFAULT_TASK_WORKERS } from './default-workers.js';
import { JobExpectations } from './job-expectations.js';
import { apiPodLogReader, type PodLogReader } from './outputs.js';
import { taskReconciler } from './reconciler.js';
import { taskOfPod, tasksUsingWorkspace, waitersOf, waitersOfFinished } from './watches.js';

export interface TaskControllerOptions {
  /** Tasks reconciled concurrently (default DEFAULT_TASK_WORKERS). */
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
 * cached only when they carry `kelos.dev/task`, which every Job the builder makes (and its pods) has,
 * and only with what the reconciler reads of them: metadata, and a Job's status.
 */
export function setupTaskController(mgr: Manager, options: TaskControllerOptions = {}): Controller {
  const clients = makeClients(mgr.kubeConfig);
  const caches = {
    tasks: mgr.informer(kinds.Task),
    jobs: mgr.informer(kinds.Job, { labelSelector: LABELS.task, transform: metadataAndStatus }),
    pods: mgr.informer(kinds.Pod, { labelSelector: LABELS.task, transform: metadataOnly }),
    workspaces: mgr.informer(kinds.Workspace),
    agentConfigs: mgr.informer(kinds.AgentConfig),
  };
  const deps: TaskDeps = {
    clients,
    caches,
    events: new KubeEventRecorder(clients.json, mgr.logger),
    locks: new BranchLocks(),
    expectedJobs: new JobExpectations(options.now ?? Date.now),
    jobOptions: options.jobOptions ?? {},
    ...(options.githubApiBaseUrl && { githubApiBaseUrl: options.githubApiBaseUrl }),
    readPodLog: options.readPodLog ?? apiPodLogReader(clients.core),
    now: options.now ?? Date.now,
  };
  const controller = mgr
    .controller({
      name: 'task',
      workers: options.workers ?? DEFAULT_TASK_WORKERS,
      reconcile: taskReconciler(deps),
    })
    .for(caches.tasks)
    .owns(caches.jobs)
    .watches(caches.tasks, waitersOfFinished(caches.tasks))
    .watches(caches.workspaces, tasksUsingWorkspace(caches.tasks))
    .watches(caches.pods, taskOfPod);
  // A deleted Task frees its branch and leaves its dependants failing or waiting, whatever its phase.
  caches.tasks.on('delete', (task) => {
    deps.expectedJobs.observed(task.metadata.uid ?? '');
    for (const key of waitersOf(caches.tasks, task)) controller.enqueue(key);
  });
  caches.jobs.on('add', (job) => {
    const owner = job.metadata?.ownerReferences?.find((r) => r.controller === true && r.kind === 'Task');
    if (owner) deps.expectedJobs.observed(owner.uid);
  });
  return controller;
}
