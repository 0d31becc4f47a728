import type { Task, TaskStatus } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import {
  type CachedJob,
  type CachedPod,
  rfc3339,
  type StepResult,
  type TaskDeps,
  taskName,
  taskNamespace,
} from './context.js';
import { releaseBranch } from './fail-before-job.js';
import { type PhaseChange, phaseChangeFromJob } from './job-phase.js';
import { type CapturedOutputs, captureOutputs } from './outputs.js';
import { isTerminalPhase, taskPhase } from './phases.js';
import { writeTaskStatus } from './task-api.js';
import { recordCompletion, recordUsage } from './task-metrics.js';

/** An agent log may lag the Job's completion: capture is retried this often... */
export const OUTPUT_RETRY_MS = 5_000;
/** ...for this long after completionTime, while nothing was captured. */
export const OUTPUT_RETRY_WINDOW_MS = 30_000;

/** Newest Pod by creationTimestamp, ties by name (spec §3.3). */
export function newestPod(pods: readonly CachedPod[]): CachedPod | undefined {
  let newest: CachedPod | undefined;
  for (const pod of pods) {
    if (!newest) {
      newest = pod;
      continue;
    }
    const byTime = (pod.metadata?.creationTimestamp ?? '').localeCompare(
      newest.metadata?.creationTimestamp ?? '',
    );
    if (byTime > 0 || (byTime === 0 && (pod.metadata?.name ?? '') > (newest.metadata?.name ?? '')))
      newest = pod;
  }
  return newest;
}

/** A finished Task without outputs, recently enough that its log may still show up. */
export function awaitingOutputs(status: TaskStatus | undefined, nowMs: number): boolean {
  if (!isTerminalPhase(status?.phase) || (status?.outputs?.length ?? 0) > 0) return false;
  if (Object.keys(status?.results ?? {}).length > 0) return false;
  const completed = Date.parse(status?.completionTime ?? '');
  return !Number.isNaN(completed) && nowMs - completed < OUTPUT_RETRY_WINDOW_MS;
}

function applyChange(status: TaskStatus, change: PhaseChange, now: string): boolean {
  if (status.phase === change.phase) return false;
  status.phase = change.phase;
  if (change.message !== undefined) status.message = change.message;
  if (change.phase === 'Running') status.startTime = now;
  else status.completionTime ??= now;
  return true;
}

function applyPod(status: TaskStatus, podName: string | undefined): boolean {
  if (status.podName === podName) return false;
  if (podName) status.podName = podName;
  else delete status.podName;
  return true;
}

function applyOutputs(status: TaskStatus, captured: CapturedOutputs): boolean {
  if ((status.outputs?.length ?? 0) > 0 || Object.keys(status.results ?? {}).length > 0) return false;
  status.outputs = captured.outputs;
  if (Object.keys(captured.results).length > 0) status.results = captured.results;
  return true;
}

/** The Task, with a requeue while its outputs may still appear. */
function settled(task: Task, nowMs: number): { task: Task } & StepResult {
  return awaitingOutputs(task.status, nowMs) ? { task, requeueAfterMs: OUTPUT_RETRY_MS } : { task };
}

/**
 * Mirrors the Job into the Task (spec §3.3): the newest pod's name, the phase the Job's status asks for
 * (with its event), and on finishing the agent's outputs, the branch released and the metrics recorded.
 * Returns the Task as written, for the TTL check that follows.
 */
export async function updateStatus(
  deps: TaskDeps,
  task: Task,
  job: CachedJob,
): Promise<{ task: Task } & StepResult> {
  const namespace = taskNamespace(task);
  const pods = deps.caches.pods.list(namespace, { [LABELS.task]: taskName(task) });
  const podName = newestPod(pods)?.metadata?.name;
  const change = phaseChangeFromJob(taskPhase(task), job.status ?? {});
  const nowMs = deps.now();
  const finishing = change !== undefined && isTerminalPhase(change.phase);
  const captured =
    finishing || awaitingOutputs(task.status, nowMs)
      ? await captureOutputs(deps.readPodLog, namespace, podName ?? task.status?.podName)
      : undefined;
  // Nothing to write: spare the fresh read.
  if (!change && !captured && task.status?.podName === podName) return settled(task, nowMs);

  let changed = false;
  let stored = false;
  const { task: updated } = await writeTaskStatus(deps, task, (status) => {
    changed = change !== undefined && applyChange(status, change, rfc3339(nowMs));
    stored = captured !== undefined && applyOutputs(status, captured);
    const podChanged = applyPod(status, podName);
    return changed || stored || podChanged;
  });
  if (change && changed) recordTransition(deps, updated, change, job);
  if (captured && stored) recordCapture(deps, updated, captured);
  return settled(updated, nowMs);
}

function recordTransition(deps: TaskDeps, task: Task, change: PhaseChange, job: CachedJob): void {
  if (change.phase !== 'Running') {
    // Before the reconcile ends: the waiters this Task's terminal status wakes must find the branch free.
    releaseBranch(deps, task);
    recordCompletion(task, change.phase, task.status?.startTime ?? job.status?.startTime);
  }
  void deps.events.record(task, change.event.type, change.event.reason, change.event.message);
}

function recordCapture(deps: TaskDeps, task: Task, captured: CapturedOutputs): void {
  recordUsage(task, captured.results);
  const results = Object.keys(captured.results).length;
  void deps.events.record(
    task,
    'Normal',
    'OutputsCaptured',
    `Captured ${captured.outputs.length} outputs and ${results} results from agent`,
  );
}
