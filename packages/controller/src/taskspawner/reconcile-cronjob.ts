import type { TaskSpawner } from '@kelos/shared';
import { updateStatusWithRetry } from '../runtime/status.js';
import { workloadBlocked } from './blocked-workload.js';
import { buildSpawnerCronJob } from './build-cronjob.js';
import { type SpawnerContext, type StepResult, spawnerName, spawnerNamespace } from './context.js';
import { cronJobCandidate, missingLabels, sameJson } from './drift.js';
import { writeWorkloadStatus } from './spawner-api.js';
import type { SpawnerConfig } from './spawner-config.js';
import { cronJobModeStatus } from './status.js';
import { cronJobApi, findOrCreateWorkload } from './workload-api.js';

/**
 * CronJob mode (spec §9): create the spawner CronJob, or update it when the built spec differs from the
 * stored one. The comparison is by server-side dry-run: the built spec goes through the API server's
 * defaulting, so a default the server fills in (or a newer server adds) is never seen as drift.
 */
export async function reconcileCronJob(
  ctx: SpawnerContext,
  spawner: TaskSpawner,
  config: SpawnerConfig,
): Promise<StepResult> {
  const { deps, log } = ctx;
  const api = cronJobApi(deps);
  const namespace = spawnerNamespace(spawner);
  const name = spawnerName(spawner);
  const suspended = spawner.spec.suspend === true;
  const desired = buildSpawnerCronJob(spawner, config, deps.options);
  const schedule = desired.spec?.schedule ?? '';
  const found = await findOrCreateWorkload(api, spawner, desired);
  if (found.created) {
    log.info({ cronJob: name, schedule, suspended }, 'created spawner CronJob');
    await deps.events.record(
      spawner,
      'Normal',
      'CronJobCreated',
      `Created spawner CronJob ${name} with schedule ${schedule}`,
    );
    await writeWorkloadStatus(deps, spawner, (s) => cronJobModeStatus(s, { name, suspended }));
    return {};
  }
  if (found.ownership !== 'this') return workloadBlocked(ctx, spawner, api.kind, found.ownership);
  let written = false;
  await updateStatusWithRetry(
    async () => {
      const fresh = await api.read(namespace, name);
      const candidate = cronJobCandidate(fresh, desired);
      const defaulted = await api.replace(namespace, name, candidate, true);
      const changed = !sameJson(defaulted.spec, fresh.spec) || missingLabels(fresh, desired);
      return { candidate, changed };
    },
    ({ changed }) => changed,
    async ({ candidate, changed }) => {
      await api.replace(namespace, name, candidate);
      written = true;
      return { candidate, changed };
    },
  );
  if (written) {
    log.info({ cronJob: name, schedule, suspended }, 'updated spawner CronJob');
    await deps.events.record(spawner, 'Normal', 'CronJobUpdated', `Updated spawner CronJob ${name}`);
  }
  await writeWorkloadStatus(deps, spawner, (s) => cronJobModeStatus(s, { name, suspended }));
  return {};
}
