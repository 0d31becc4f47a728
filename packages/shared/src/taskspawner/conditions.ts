import type { Condition } from '../schema/common.js';

/**
 * Condition types, reasons and messages the spawner writes on a TaskSpawner (api-controller §10.3 steps 1
 * and 7). They are a public contract: tools and tests match these exact strings.
 */
export const SPAWNER_CONDITIONS = {
  suspended: 'Suspended',
  discoveryError: 'DiscoveryError',
  maxTotalTasksReached: 'MaxTotalTasksReached',
  /** The v1alpha1-era name of the maxTotalTasks condition, with its own reasons (BudgetReached/BudgetAvailable). */
  taskBudgetExhausted: 'TaskBudgetExhausted',
} as const;

export const SPAWNER_CONDITION_REASONS = {
  userSuspended: 'UserSuspended',
  running: 'Running',
  taskCreationFailed: 'TaskCreationFailed',
  noErrors: 'NoErrors',
  limitReached: 'LimitReached',
  limitAvailable: 'LimitAvailable',
  budgetReached: 'BudgetReached',
  budgetAvailable: 'BudgetAvailable',
} as const;

export const SPAWNER_MESSAGES = {
  suspendedByUser: 'Suspended by user',
  suspendedCondition: 'TaskSpawner is suspended by user',
  runningCondition: 'TaskSpawner is running',
  noErrors: 'Task creation succeeded for all discovered items',
  limitAvailable: 'maxTotalTasks limit has not been reached',
  budgetAvailable: 'Task budget has not been exhausted',
} as const;

/** `Total tasks created (N) has reached maxTotalTasks (M)`. */
export function limitReachedMessage(totalTasksCreated: number, maxTotalTasks: number): string {
  return `Total tasks created (${totalTasksCreated}) has reached maxTotalTasks (${maxTotalTasks})`;
}

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/**
 * apimachinery's `meta.SetStatusCondition` on a copy: a new type is appended; an existing one takes the new
 * reason, message and observedGeneration, and its lastTransitionTime moves only when its status changes.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: ConditionInput,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const existing = index < 0 ? undefined : list[index];
  const lastTransitionTime = existing && existing.status === next.status ? existing.lastTransitionTime : now;
  const condition: Condition = { ...next, lastTransitionTime };
  if (index < 0) list.push(condition);
  else list[index] = condition;
  return list;
}

/** The condition of a type, if present. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
