import type { Task, TaskPhase } from '@kelos/shared';

export function isTerminalPhase(phase: TaskPhase | '' | undefined): phase is 'Succeeded' | 'Failed' {
  return phase === 'Succeeded' || phase === 'Failed';
}

export function taskPhase(task: Task): TaskPhase | '' {
  return task.status?.phase ?? '';
}
