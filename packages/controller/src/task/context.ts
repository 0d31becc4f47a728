import type { AgentConfig, Task, Workspace } from '@kelos/shared';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { EventRecorder } from '../events/recorder.js';
import type { JobBuilderOptions } from '../job/options.js';
import type { Informer } from '../runtime/informer.js';
import type { Wire } from '../runtime/kinds.js';
import type { KubeClients } from '../runtime/kube-client.js';
import type { Logger } from '../runtime/logger.js';
import type { BranchLocks } from './branch-lock.js';
import type { JobExpectations } from './job-expectations.js';
import type { PodLogReader } from './outputs.js';

export type CachedJob = Wire<V1Job>;
export type CachedPod = Wire<V1Pod>;

/** The informer caches the Task reconciler reads (wire form: timestamps are strings). */
export interface TaskCaches {
  tasks: Informer<Task>;
  jobs: Informer<CachedJob>;
  pods: Informer<CachedPod>;
  workspaces: Informer<Workspace>;
  agentConfigs: Informer<AgentConfig>;
}

/** Everything a Task reconcile uses, built once per controller. */
export interface TaskDeps {
  clients: KubeClients;
  caches: TaskCaches;
  events: EventRecorder;
  /** In-memory branch mutex; survives nothing, so the branch gate also reads the Tasks' status. */
  locks: BranchLocks;
  /** Jobs created but not in the cache yet. */
  expectedJobs: JobExpectations;
  jobOptions: JobBuilderOptions;
  /** Overrides the GitHub API base URL for App token minting (GitHub Enterprise proxies, tests). */
  githubApiBaseUrl?: string;
  readPodLog: PodLogReader;
  /** Milliseconds since the epoch; tests may pin it. */
  now: () => number;
}

/** One reconcile of one Task: its dependencies and a logger naming it. */
export interface TaskContext {
  deps: TaskDeps;
  log: Logger;
}

/** What a reconcile step asks of the work queue; undefined means "nothing to ask". */
export interface StepResult {
  requeueAfterMs?: number;
}

/** The earliest of several requested requeues. */
export function soonest(...results: (StepResult | undefined)[]): StepResult {
  const delays = results.flatMap((r) => (r?.requeueAfterMs === undefined ? [] : [r.requeueAfterMs]));
  return delays.length > 0 ? { requeueAfterMs: Math.min(...delays) } : {};
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function taskName(task: Task): string {
  return task.metadata.name ?? '';
}

export function taskNamespace(task: Task): string {
  return task.metadata.namespace ?? 'default';
}
