import type { TaskSpawner } from '@kelos/shared';
import { type SpawnerContext, type StepResult, spawnerName } from './context.js';
import { writeWorkloadStatus } from './spawner-api.js';
import { failedStatus } from './status.js';

/** How soon to look again at a workload name someone else holds: nothing of theirs wakes this spawner. */
export const FOREIGN_WORKLOAD_RECHECK_MS = 30_000;
/** The garbage collector removes an earlier spawner's workload shortly; its delete event also wakes us. */
export const EARLIER_WORKLOAD_RECHECK_MS = 2_000;

/**
 * The workload name is taken by an object this TaskSpawner does not control. An earlier TaskSpawner's
 * is waited for; anyone else's is left alone and reported in status, since taking it over would
 * overwrite a workload the user made.
 */
export async function workloadBlocked(
  ctx: SpawnerContext,
  spawner: TaskSpawner,
  kind: string,
  ownership: 'earlier' | 'foreign',
): Promise<StepResult> {
  const name = spawnerName(spawner);
  if (ownership === 'earlier') {
    ctx.log.info({ kind, name }, 'waiting for the workload of an earlier TaskSpawner to be deleted');
    return { requeueAfterMs: EARLIER_WORKLOAD_RECHECK_MS };
  }
  const message = `${kind} ${name} already exists and is not controlled by TaskSpawner ${name}; delete or rename it`;
  ctx.log.warn({ kind, name }, 'workload name taken by a foreign object');
  await writeWorkloadStatus(ctx.deps, spawner, () => failedStatus(message));
  return { requeueAfterMs: FOREIGN_WORKLOAD_RECHECK_MS };
}
