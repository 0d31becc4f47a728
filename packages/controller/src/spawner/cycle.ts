import type { TaskSpawner } from '@kelos/shared';
import { fetchContextSources } from '@kelos/shared/context-sources';
import {
  buildSpawnedTask,
  type CycleResult,
  creationBlocker,
  cycleStatus,
  failedCycleStatus,
  isSpawnedBy,
  type PlannedItem,
  planCycle,
  priorityLabelsOf,
  type StatusContext,
  suspendedStatus,
  type WorkItem,
  workItemTemplateVars,
} from '@kelos/shared/taskspawner';
import { isAlreadyExists } from '../runtime/kube-client.js';
import type { Logger } from '../runtime/logger.js';
import { rfc3339 } from './cron-source.js';
import type { SpawnerIntegrations } from './integrations.js';
import { spawnerMetrics } from './metrics.js';
import type { SpawnerApi } from './spawner-api.js';

export interface CycleDeps {
  api: SpawnerApi;
  integrations: SpawnerIntegrations;
  now: () => Date;
  log: Logger;
}

export interface CycleOutcome {
  /** The TaskSpawner as the cycle left it (status written). */
  spawner: TaskSpawner;
  suspended: boolean;
  created: number;
}

/** A cycle that recorded its status but could not create a Task for every item: the reconcile retries. */
export class CycleError extends Error {
  override readonly name = 'CycleError';
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const statusContext = (spawner: TaskSpawner, now: Date): StatusContext => ({
  generation: spawner.metadata.generation,
  now: rfc3339(now),
});

/** Step 1: a suspended TaskSpawner only says so (once) and discovers nothing. */
async function recordSuspended(deps: CycleDeps, now: Date): Promise<TaskSpawner> {
  return deps.api.writeStatus((fresh) =>
    // The user may have resumed in between: then there is nothing to record.
    fresh.spec.suspend ? suspendedStatus(fresh.status, statusContext(fresh, now)) : undefined,
  );
}

/** Step 8: a failure before any Task was created leaves the watermark alone and says why. */
async function recordFailure(deps: CycleDeps, message: string, now: Date): Promise<never> {
  try {
    await deps.api.writeStatus((fresh) =>
      failedCycleStatus(fresh.status, message, statusContext(fresh, now)),
    );
  } catch (err) {
    throw new Error(`${message}; recording it in the TaskSpawner status failed too: ${messageOf(err)}`);
  }
  throw new Error(message);
}

async function discover(deps: CycleDeps, spawner: TaskSpawner, now: Date): Promise<WorkItem[]> {
  try {
    return await deps.integrations.source(spawner, now).discover();
  } catch (err) {
    return recordFailure(deps, `discovering items: ${messageOf(err)}`, now);
  }
}

/** The item's `{{.Context.<name>}}` values, when the TaskTemplate has context sources. */
async function contextOf(
  deps: CycleDeps,
  spawner: TaskSpawner,
  item: WorkItem,
): Promise<Record<string, string> | undefined> {
  const sources = spawner.spec.taskTemplate.contextSources ?? [];
  if (sources.length === 0) return undefined;
  try {
    return await fetchContextSources(sources, workItemTemplateVars(item), {
      readSecretKey: deps.api.readSecretKey,
      onIgnoredFailure: (source, err) =>
        deps.log.warn(
          { item: item.id, source, err: err.message },
          'context source failed; using an empty value',
        ),
    });
  } catch (err) {
    throw new Error(`item ${item.id}: fetching context sources: ${messageOf(err)}`);
  }
}

/**
 * Creates one Task. A Task of that name that already exists is fine when it is this spawner's (a lagging
 * list, a concurrent cycle); anyone else's is an error, never overwritten.
 */
async function createTask(deps: CycleDeps, spawner: TaskSpawner, planned: PlannedItem): Promise<boolean> {
  const { item, taskName } = planned;
  const context = await contextOf(deps, spawner, item);
  let task: ReturnType<typeof buildSpawnedTask>;
  try {
    task = buildSpawnedTask(spawner, item, context ? { context } : {});
  } catch (err) {
    throw new Error(`item ${item.id}: building task: ${messageOf(err)}`);
  }
  try {
    await deps.api.createTask(task);
    deps.log.info({ task: taskName, item: item.id }, 'created Task');
    return true;
  } catch (err) {
    if (!isAlreadyExists(err))
      throw new Error(`item ${item.id}: creating Task ${taskName}: ${messageOf(err)}`);
  }
  const existing = await deps.api.getTask(taskName).catch((err: unknown) => {
    throw new Error(`item ${item.id}: reading existing Task ${taskName}: ${messageOf(err)}`);
  });
  if (existing && !isSpawnedBy(existing, spawner)) {
    throw new Error(
      `item ${item.id}: task ${taskName} name collides with an existing Task not owned by spawner ${spawner.metadata.name}`,
    );
  }
  deps.log.info({ task: taskName }, 'Task already exists, skipping');
  return false;
}

/**
 * One discovery cycle (spec §10.3 steps 1–8) for the process's TaskSpawner: discover, dedup against its
 * Tasks, retrigger, create in priority order within maxConcurrency and maxTotalTasks, record the status.
 * @throws when the cycle failed (its status says so when it could be written); a CycleError after the
 * status was written when some items got no Task.
 */
export async function runCycle(deps: CycleDeps): Promise<CycleOutcome> {
  const start = process.hrtime.bigint();
  try {
    return await cycle(deps);
  } catch (err) {
    spawnerMetrics.discoveryErrors.inc();
    throw err;
  } finally {
    spawnerMetrics.discoveryDuration.observe(Number(process.hrtime.bigint() - start) / 1e9);
  }
}

async function cycle(deps: CycleDeps): Promise<CycleOutcome> {
  const { api, log } = deps;
  // One instant for the whole cycle: the cron source enumerates ticks up to it and lastDiscoveryTime
  // records it, so a tick falling while the cycle runs is neither lost nor counted twice.
  const now = deps.now();
  const spawner = await api.getSpawner();
  if (spawner.spec.suspend) {
    log.info('TaskSpawner is suspended, skipping cycle');
    return { spawner: await recordSuspended(deps, now), suspended: true, created: 0 };
  }

  const items = await discover(deps, spawner, now);
  spawnerMetrics.itemsDiscovered.inc(items.length);
  log.info({ count: items.length }, 'discovered items');

  const tasks = (await api.listTasks()).filter((t) => isSpawnedBy(t, spawner));
  const plan = planCycle({
    spawnerName: spawner.metadata.name ?? '',
    items,
    tasks,
    priorityLabels: priorityLabelsOf(spawner),
  });

  const undeletable = new Set<string>();
  for (const { task, taskName } of plan.retrigger) {
    try {
      await api.deleteTask(task);
      log.info({ task: taskName }, 'deleted completed Task for retrigger');
    } catch (err) {
      log.error({ err, task: taskName }, 'deleting completed Task for retrigger failed');
      undeletable.add(taskName);
    }
  }

  const limits = { maxConcurrency: spawner.spec.maxConcurrency, maxTotalTasks: spawner.spec.maxTotalTasks };
  const totalTasksCreated = spawner.status?.totalTasksCreated ?? 0;
  let active = plan.active;
  let created = 0;
  const errors: string[] = [];
  for (const planned of plan.candidates) {
    if (undeletable.has(planned.taskName)) continue;
    const blocker = creationBlocker(limits, { active, totalTasksCreated, createdThisCycle: created });
    if (blocker) {
      log.info(
        { active, totalTasksCreated: totalTasksCreated + created, ...limits },
        `${blocker} reached, leaving the remaining items for later`,
      );
      break;
    }
    try {
      if (await createTask(deps, spawner, planned)) {
        created++;
        active++;
      }
    } catch (err) {
      log.error({ err: messageOf(err), item: planned.item.id }, 'creating Task failed');
      errors.push(messageOf(err));
    }
  }
  spawnerMetrics.tasksCreated.inc(created);

  const result: CycleResult = { discovered: items.length, created, active, errors };
  const written = await api.writeStatus((fresh) =>
    cycleStatus(fresh.status, result, limits.maxTotalTasks, statusContext(fresh, now)),
  );
  if (errors.length > 0) throw new CycleError(errors.join('\n'));
  spawnerMetrics.discoveries.inc();
  return { spawner: written, suspended: false, created };
}
