import type { Task } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import { metrics } from '../runtime/metrics.js';
import { taskNamespace } from './context.js';

/** A terminal transition observed from the Job (spec §3.7): counted, and timed when the start is known. */
export function recordCompletion(
  task: Task,
  phase: 'Succeeded' | 'Failed',
  startTime: string | undefined,
): void {
  const labels = { namespace: taskNamespace(task), type: task.spec.type, phase };
  metrics.taskCompleted.inc(labels);
  const start = startTime ? Date.parse(startTime) : Number.NaN;
  const end = Date.parse(task.status?.completionTime ?? '');
  if (!Number.isNaN(start) && !Number.isNaN(end))
    metrics.taskDuration.observe(labels, Math.max(0, (end - start) / 1000));
}

/** Cost and tokens an agent reported in its results; values that are not numbers are ignored. */
export function recordUsage(task: Task, results: Record<string, string>): void {
  const labels = {
    namespace: taskNamespace(task),
    type: task.spec.type,
    spawner: task.metadata.labels?.[LABELS.taskSpawner] ?? '',
    model: task.spec.model ?? '',
  };
  const add = (counter: typeof metrics.taskCostUsd, key: string) => {
    const value = Number(results[key]);
    if (results[key] !== undefined && Number.isFinite(value) && value > 0) counter.inc(labels, value);
  };
  add(metrics.taskCostUsd, 'cost-usd');
  add(metrics.taskInputTokens, 'input-tokens');
  add(metrics.taskOutputTokens, 'output-tokens');
}
