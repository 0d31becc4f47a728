import type { Task, Workspace } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import { keyOf } from '../runtime/controller.js';
import type { Informer } from '../runtime/informer.js';
import { branchLockKey } from './branch-lock.js';
import type { CachedPod } from './context.js';
import { isTerminalPhase, taskPhase } from './phases.js';

const keyOfTask = (task: Task) => keyOf(task.metadata.namespace, task.metadata.name ?? '');

/**
 * Tasks that may move on because `task` finished or went away (spec §3 watches): those depending on it
 * and those waiting for the same (workspace, branch). Terminal ones are left out: nothing moves them.
 */
export function waitersOf(tasks: Informer<Task>, task: Task): string[] {
  const name = task.metadata.name ?? '';
  const branchKey = branchLockKey(task);
  return tasks
    .list(task.metadata.namespace)
    .filter(
      (other) =>
        other.metadata.name !== name &&
        !isTerminalPhase(taskPhase(other)) &&
        ((other.spec.dependsOn ?? []).includes(name) ||
          (branchKey !== undefined && branchLockKey(other) === branchKey)),
    )
    .map(keyOfTask);
}

/** Map function of the Task → waiters watch: only a Task that has finished wakes anyone. */
export function waitersOfFinished(tasks: Informer<Task>): (task: Task) => string[] {
  return (task) => (isTerminalPhase(taskPhase(task)) ? waitersOf(tasks, task) : []);
}

/** Workspace → the Tasks naming it, e.g. those retrying because it did not exist yet. */
export function tasksUsingWorkspace(tasks: Informer<Task>): (workspace: Workspace) => string[] {
  return (workspace) =>
    tasks
      .list(workspace.metadata.namespace)
      .filter((t) => t.spec.workspaceRef?.name === workspace.metadata.name)
      .map(keyOfTask);
}

/** Pod → its Task, by the `kelos.dev/task` label the Job's pod template carries. */
export function taskOfPod(pod: CachedPod): string[] {
  const task = pod.metadata?.labels?.[LABELS.task];
  return task ? [keyOf(pod.metadata?.namespace, task)] : [];
}
