import type { Task } from '@kelos/shared';
import { renderTemplate } from '@kelos/shared/template';
import type { TaskLookup } from './dependencies.js';

export interface DependencyData {
  Name: string;
  Outputs: string[];
  Results: Record<string, string>;
}

/**
 * The prompt the agent receives. With dependencies it is a Go template over their outputs
 * (`{{ index .Deps "a" "Results" "branch" }}`); any error falls back to the raw prompt, as the
 * reference does, because a prompt that merely contains `{{` must still run.
 */
export function resolvePrompt(task: Task, lookup: TaskLookup): string {
  const dependsOn = task.spec.dependsOn ?? [];
  if (dependsOn.length === 0) return task.spec.prompt;
  const deps: Record<string, DependencyData> = {};
  for (const name of dependsOn) {
    const dep = lookup(name);
    if (!dep) return task.spec.prompt;
    deps[name] = { Name: name, Outputs: dep.status?.outputs ?? [], Results: dep.status?.results ?? {} };
  }
  try {
    return renderTemplate(task.spec.prompt, { Deps: deps }, { missingKey: 'error', name: 'prompt' });
  } catch {
    return task.spec.prompt;
  }
}
