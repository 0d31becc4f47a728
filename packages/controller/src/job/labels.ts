import type { Task } from '@kelos/shared';
import { LABEL_VALUES, LABELS } from '@kelos/shared/constants';

/**
 * Labels of the Job and its Pod template. `podOverrides.labels` come first and the built-ins are
 * written over them, because selectors (pod discovery by `kelos.dev/task`) rely on the built-ins.
 */
export function jobLabels(task: Task, taskName: string): Record<string, string> {
  return {
    ...task.spec.podOverrides?.labels,
    [LABELS.name]: LABEL_VALUES.name,
    [LABELS.component]: LABEL_VALUES.componentTask,
    [LABELS.managedBy]: LABEL_VALUES.managedBy,
    [LABELS.task]: taskName,
  };
}
