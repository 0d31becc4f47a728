import type { TaskSpawnerStatus } from '../schema/taskspawner.js';
import {
  SPAWNER_CONDITIONS as CONDITIONS,
  type ConditionInput,
  limitReachedMessage,
  SPAWNER_MESSAGES as MESSAGES,
  SPAWNER_CONDITION_REASONS as REASONS,
  setCondition,
} from './conditions.js';

/** What a completed cycle found and did (§10.3 step 7). */
export interface CycleResult {
  discovered: number;
  created: number;
  /** Non-terminal Tasks after the cycle. */
  active: number;
  /** One line per item that got no Task because of an error. */
  errors: readonly string[];
}

export interface StatusContext {
  /** metadata.generation of the TaskSpawner the status describes. */
  generation: number | undefined;
  /** RFC 3339, for lastDiscoveryTime and condition transitions. */
  now: string;
}

function withConditions(
  status: TaskSpawnerStatus,
  conditions: readonly ConditionInput[],
  now: string,
): TaskSpawnerStatus {
  let list = status.conditions;
  for (const c of conditions) list = setCondition(list, c, now);
  return { ...status, conditions: list };
}

const generationOf = (ctx: StatusContext) =>
  ctx.generation === undefined ? {} : { observedGeneration: ctx.generation };

function discoveryErrorCondition(error: string | undefined, ctx: StatusContext): ConditionInput {
  return error === undefined
    ? {
        type: CONDITIONS.discoveryError,
        status: 'False',
        reason: REASONS.noErrors,
        message: MESSAGES.noErrors,
        ...generationOf(ctx),
      }
    : {
        type: CONDITIONS.discoveryError,
        status: 'True',
        reason: REASONS.taskCreationFailed,
        message: error,
        ...generationOf(ctx),
      };
}

/**
 * The status after a cycle (§10.3 step 7): phase Running, the cron watermark moved to now, counters, the
 * summary message, and the DiscoveryError, Suspended, MaxTotalTasksReached and (v1alpha1-era)
 * TaskBudgetExhausted conditions.
 */
export function cycleStatus(
  previous: TaskSpawnerStatus | undefined,
  result: CycleResult,
  maxTotalTasks: number | undefined,
  ctx: StatusContext,
): TaskSpawnerStatus {
  const totalTasksCreated = (previous?.totalTasksCreated ?? 0) + result.created;
  let message = `Discovered ${result.discovered} items, created ${totalTasksCreated} tasks total`;
  const error = result.errors.length > 0 ? result.errors.join('\n') : undefined;
  if (error !== undefined) message += `; ${result.errors.length} creation error(s): ${error}`;
  const reached = (maxTotalTasks ?? 0) > 0 && totalTasksCreated >= (maxTotalTasks ?? 0);
  const reachedMessage = limitReachedMessage(totalTasksCreated, maxTotalTasks ?? 0);
  return withConditions(
    {
      ...previous,
      phase: 'Running',
      lastDiscoveryTime: ctx.now,
      totalDiscovered: result.discovered,
      totalTasksCreated,
      activeTasks: result.active,
      message,
    },
    [
      discoveryErrorCondition(error, ctx),
      {
        type: CONDITIONS.suspended,
        status: 'False',
        reason: REASONS.running,
        message: MESSAGES.runningCondition,
        ...generationOf(ctx),
      },
      {
        type: CONDITIONS.maxTotalTasksReached,
        status: reached ? 'True' : 'False',
        reason: reached ? REASONS.limitReached : REASONS.limitAvailable,
        message: reached ? reachedMessage : MESSAGES.limitAvailable,
        ...generationOf(ctx),
      },
      {
        type: CONDITIONS.taskBudgetExhausted,
        status: reached ? 'True' : 'False',
        reason: reached ? REASONS.budgetReached : REASONS.budgetAvailable,
        message: reached ? reachedMessage : MESSAGES.budgetAvailable,
        ...generationOf(ctx),
      },
    ],
    ctx.now,
  );
}

/**
 * The status of a suspended TaskSpawner (§10.3 step 1), or undefined when it already says so: a suspended
 * spawner writes once, not every poll.
 */
export function suspendedStatus(
  previous: TaskSpawnerStatus | undefined,
  ctx: StatusContext,
): TaskSpawnerStatus | undefined {
  if (previous?.phase === 'Suspended') return undefined;
  return withConditions(
    { ...previous, phase: 'Suspended', message: MESSAGES.suspendedByUser },
    [
      {
        type: CONDITIONS.suspended,
        status: 'True',
        reason: REASONS.userSuspended,
        message: MESSAGES.suspendedCondition,
        ...generationOf(ctx),
      },
    ],
    ctx.now,
  );
}

/**
 * The status after a cycle that failed before creating anything (§10.3 step 8), e.g. a source that cannot
 * be read: phase Failed with the error, and lastDiscoveryTime left alone so no cron tick is lost.
 */
export function failedCycleStatus(
  previous: TaskSpawnerStatus | undefined,
  error: string,
  ctx: StatusContext,
): TaskSpawnerStatus {
  return withConditions(
    { ...previous, phase: 'Failed', message: error },
    [discoveryErrorCondition(error, ctx)],
    ctx.now,
  );
}
