import type { TaskSpawner } from '@kelos/shared';
import { updateStatusWithRetry } from '../runtime/status.js';
import { workloadBlocked } from './blocked-workload.js';
import { buildSpawnerDeployment } from './build-deployment.js';
import { type SpawnerContext, type StepResult, spawnerName, spawnerNamespace } from './context.js';
import { correctDeploymentDrift } from './drift.js';
import { writeWorkloadStatus } from './spawner-api.js';
import type { SpawnerConfig } from './spawner-config.js';
import { deploymentModeStatus } from './status.js';
import { deploymentApi, findOrCreateWorkload } from './workload-api.js';

/**
 * Deployment mode (spec §9): create the spawner Deployment, or put back what drifted (a suspend or
 * resume is such a change: replicas 0 or 1), then the coarse status.
 */
export async function reconcileDeployment(
  ctx: SpawnerContext,
  spawner: TaskSpawner,
  config: SpawnerConfig,
): Promise<StepResult> {
  const { deps, log } = ctx;
  const api = deploymentApi(deps);
  const namespace = spawnerNamespace(spawner);
  const name = spawnerName(spawner);
  const suspended = spawner.spec.suspend === true;
  const desired = buildSpawnerDeployment(spawner, config, deps.options);
  const found = await findOrCreateWorkload(api, spawner, desired);
  if (found.created) {
    log.info({ deployment: name, replicas: desired.spec?.replicas }, 'created spawner Deployment');
    await deps.events.record(spawner, 'Normal', 'DeploymentCreated', `Created spawner Deployment ${name}`);
    await writeWorkloadStatus(deps, spawner, (s) =>
      deploymentModeStatus(s, { name, suspended, created: true }),
    );
    return {};
  }
  if (found.ownership !== 'this') return workloadBlocked(ctx, spawner, api.kind, found.ownership);
  if (correctDeploymentDrift(found.current, desired)) {
    let written = false;
    await updateStatusWithRetry(
      () => api.read(namespace, name),
      (fresh) => {
        const corrected = correctDeploymentDrift(fresh, desired);
        if (!corrected) return false;
        fresh.metadata = corrected.metadata;
        fresh.spec = corrected.spec;
        return true;
      },
      async (fresh) => {
        const result = await api.replace(namespace, name, fresh);
        written = true;
        return result;
      },
    );
    if (written) {
      log.info({ deployment: name, replicas: desired.spec?.replicas }, 'updated spawner Deployment');
      await deps.events.record(spawner, 'Normal', 'DeploymentUpdated', `Updated spawner Deployment ${name}`);
    }
  }
  await writeWorkloadStatus(deps, spawner, (s) =>
    deploymentModeStatus(s, { name, suspended, created: false }),
  );
  return {};
}
