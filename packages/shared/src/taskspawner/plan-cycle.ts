import type { Task, TaskPhase } from '../schema/task.js';
import { spawnedTaskName } from './task-name.js';
import type { WorkItem } from './work-item.js';

/** A work item with the name of its Task. */
export interface PlannedItem {
  item: WorkItem;
  taskName: string;
}

/** What a cycle reads of an existing Task. */
export type ExistingTask = Pick<Task, 'metadata' | 'status'>;

export interface CyclePlanInput {
  spawnerName: string;
  /** What the source discovered this cycle, in its order. */
  items: readonly WorkItem[];
  /** The TaskSpawner's own Tasks (see isSpawnedBy); others must not suppress or count. */
  tasks: readonly ExistingTask[];
  /** `priorityLabels` of the source, highest first. */
  priorityLabels?: readonly string[];
}

export interface CyclePlan {
  /**
   * Items that need a Task, in creation order (priority labels first). Creation goes down this list until
   * `creationBlocker` says stop; the retriggered ones are among them and may be created only once their old
   * Task is deleted.
   */
  candidates: PlannedItem[];
  /** Completed Tasks whose item was triggered again after they finished: delete them, then create anew. */
  retrigger: (PlannedItem & { task: ExistingTask })[];
  /** Items whose Task exists and stays (dedup). */
  skipped: PlannedItem[];
  /** Non-terminal Tasks of the spawner: what maxConcurrency compares against. */
  active: number;
}

export const isTerminalTaskPhase = (phase: TaskPhase | undefined): boolean =>
  phase === 'Succeeded' || phase === 'Failed';

/**
 * The item's trigger came after the Task completed: §10.3 step 4's retrigger test. completionTime has
 * whole seconds (metav1.Time), so the trigger is compared at that precision: a trigger in the second the
 * Task completed cannot be told from one before it, and counting it as after would run the Task again
 * for the trigger it has just answered. (GitHub's timestamps have whole seconds too.)
 */
function triggeredAfterCompletion(item: WorkItem, task: ExistingTask): boolean {
  if (!item.triggerTime || !isTerminalTaskPhase(task.status?.phase)) return false;
  const completed = Date.parse(task.status?.completionTime ?? '');
  const triggerSecond = Math.floor(item.triggerTime.getTime() / 1000) * 1000;
  return !Number.isNaN(completed) && triggerSecond > completed;
}

/**
 * Index of the item's highest-priority label in `priorityLabels`; items with none of them come after all
 * others (§10.3 step 5).
 */
export function labelPriority(item: WorkItem, priorityLabels: readonly string[]): number {
  const index = priorityLabels.findIndex((label) => item.labels.includes(label));
  return index < 0 ? priorityLabels.length : index;
}

/** A stable sort by labelPriority: equal priorities keep the source's order. */
export function sortByPriorityLabels<T extends { item: WorkItem }>(
  entries: readonly T[],
  priorityLabels: readonly string[],
): T[] {
  if (priorityLabels.length === 0) return [...entries];
  return entries
    .map((entry, index) => ({ entry, index, priority: labelPriority(entry.item, priorityLabels) }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index)
    .map(({ entry }) => entry);
}

/**
 * Decides a discovery cycle from what the source found and the spawner's Tasks (§10.3 steps 3–5):
 * dedup by deterministic Task name, retrigger, priority order. Pure; the runner acts on it.
 */
export function planCycle(input: CyclePlanInput): CyclePlan {
  const byName = new Map(input.tasks.map((t) => [t.metadata.name ?? '', t]));
  const active = input.tasks.filter((t) => !isTerminalTaskPhase(t.status?.phase)).length;
  const fresh: PlannedItem[] = [];
  const retrigger: CyclePlan['retrigger'] = [];
  const skipped: PlannedItem[] = [];
  for (const item of input.items) {
    const planned = { item, taskName: spawnedTaskName(input.spawnerName, item.id) };
    const task = byName.get(planned.taskName);
    if (!task) fresh.push(planned);
    else if (triggeredAfterCompletion(item, task)) {
      retrigger.push({ ...planned, task });
      fresh.push(planned);
    } else skipped.push(planned);
  }
  return { candidates: sortByPriorityLabels(fresh, input.priorityLabels ?? []), retrigger, skipped, active };
}

export interface CreationLimits {
  /** 0 or unset: no limit. */
  maxConcurrency?: number;
  /** 0 or unset: no limit. */
  maxTotalTasks?: number;
}

export interface CreationProgress {
  /** Non-terminal Tasks now, counting those created this cycle. */
  active: number;
  /** status.totalTasksCreated before the cycle. */
  totalTasksCreated: number;
  createdThisCycle: number;
}

/**
 * Why the create loop must stop before the next item, if it must (§10.3 step 6). It stops rather than
 * skips: the remaining items wait for a later cycle.
 */
export function creationBlocker(
  limits: CreationLimits,
  progress: CreationProgress,
): 'maxConcurrency' | 'maxTotalTasks' | undefined {
  const { maxConcurrency = 0, maxTotalTasks = 0 } = limits;
  if (maxConcurrency > 0 && progress.active >= maxConcurrency) return 'maxConcurrency';
  if (maxTotalTasks > 0 && progress.totalTasksCreated + progress.createdThisCycle >= maxTotalTasks)
    return 'maxTotalTasks';
  return undefined;
}
