import type { Task } from '@kelos/shared';
import { type StepResult, type TaskDeps, taskNamespace } from './context.js';
import { dependencyGate, type TaskLookup } from './dependencies.js';
import { failBeforeJob } from './fail-before-job.js';
import { setWaiting } from './set-waiting.js';

/** Tasks of the Task's namespace by name, from the cache. */
export function taskLookup(deps: TaskDeps, task: Task): TaskLookup {
  const namespace = taskNamespace(task);
  return (name) => deps.caches.tasks.get(namespace, name);
}

/**
 * The dependsOn gate (spec §3.4): undefined when every dependency has Succeeded; otherwise the Task is
 * Waiting (and looked at again) or Failed (a dependency failed, or the Tasks depend on each other).
 */
export async function checkDependencies(deps: TaskDeps, task: Task): Promise<StepResult | undefined> {
  if ((task.spec.dependsOn ?? []).length === 0) return undefined;
  const gate = dependencyGate(task, taskLookup(deps, task));
  switch (gate.kind) {
    case 'ready':
      return undefined;
    case 'waiting':
      await setWaiting(deps, task, gate.message);
      return { requeueAfterMs: gate.requeueAfterMs };
    case 'failed':
      await failBeforeJob(deps, task, 'DependencyFailed', gate.message);
      return {};
  }
}
