import type { Task } from '@kelos/shared';
import { taskPhase } from './phases.js';

/** What the dependency gate decided for a Task (spec §3.4). */
export type DependencyGate =
  | { kind: 'ready' }
  | { kind: 'waiting'; message: string; requeueAfterMs: number }
  | { kind: 'failed'; message: string };

export type TaskLookup = (name: string) => Task | undefined;

/**
 * The first Task on a dependency cycle through `start`, found by a depth-first walk over
 * `spec.dependsOn` of existing Tasks; a missing Task ends its branch of the walk.
 */
export function findDependencyCycle(start: Task, lookup: TaskLookup): string | undefined {
  const startName = start.metadata.name ?? '';
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, task: Task): string | undefined => {
    if (visiting.has(name)) return name;
    if (done.has(name)) return undefined;
    visiting.add(name);
    for (const dep of task.spec.dependsOn ?? []) {
      const depTask = dep === startName ? start : lookup(dep);
      if (!depTask) continue;
      const found = visit(dep, depTask);
      if (found) return found;
    }
    visiting.delete(name);
    done.add(name);
    return undefined;
  };
  return visit(startName, start);
}

/** Checks dependencies in order: the first one that is not Succeeded decides. */
export function dependencyGate(task: Task, lookup: TaskLookup): DependencyGate {
  if (taskPhase(task) !== 'Waiting') {
    const cycle = findDependencyCycle(task, lookup);
    if (cycle) return { kind: 'failed', message: `Circular dependency detected: cycle involves "${cycle}"` };
  }
  for (const name of task.spec.dependsOn ?? []) {
    const dep = lookup(name);
    if (!dep) {
      return {
        kind: 'waiting',
        message: `Waiting for dependency "${name}" to be created`,
        requeueAfterMs: 5_000,
      };
    }
    const phase = taskPhase(dep);
    if (phase === 'Failed') return { kind: 'failed', message: `Dependency "${name}" failed` };
    if (phase !== 'Succeeded') {
      return { kind: 'waiting', message: `Waiting for dependency "${name}"`, requeueAfterMs: 10_000 };
    }
  }
  return { kind: 'ready' };
}
