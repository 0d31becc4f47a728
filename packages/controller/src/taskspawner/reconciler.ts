import type { TaskSpawner } from '@kelos/shared';
import type { Reconcile } from '../runtime/controller.js';
import { isNotFound } from '../runtime/kube-client.js';
import { type SpawnerContext, type StepResult, spawnerNamespace, type TaskSpawnerDeps } from './context.js';
import type { SpawnerProblem } from './github-repo.js';
import { type InputLookup, resolveInputs } from './inputs.js';
import { type SpawnerMode, spawnerMode } from './mode.js';
import { reconcileCronJob } from './reconcile-cronjob.js';
import { reconcileDeployment } from './reconcile-deployment.js';
import { hasFinalizer, setFinalizer, writeWorkloadStatus } from './spawner-api.js';
import { spawnerConfig } from './spawner-config.js';
import { ensureSpawnerRbac } from './spawner-rbac.js';
import { failedStatus } from './status.js';
import { deleteOwnedWorkload, workloadApi } from './workload-api.js';

/** Retry interval for a Workspace or Secret that does not exist yet (spec §9 step 4). */
export const MISSING_INPUT_REQUEUE_MS = 2_000;

const OTHER_MODE: Record<SpawnerMode, SpawnerMode> = { cronjob: 'deployment', deployment: 'cronjob' };

function cacheLookup(deps: TaskSpawnerDeps): InputLookup {
  return {
    workspace: (namespace, name) => deps.caches.workspaces.get(namespace, name),
    secretData: (namespace, name) => {
      const secret = deps.caches.secrets.get(namespace, name);
      return secret ? (secret.data ?? null) : undefined;
    },
  };
}

/**
 * The TaskSpawner reconcile of spec §9: finalizer, the spawner's identity in the namespace, then one
 * workload (Deployment or CronJob) built from the TaskSpawner, its Workspace and the kind of its Secret.
 * The controller never polls a source: the spawner process does, and writes the rest of the status.
 */
export function taskSpawnerReconciler(deps: TaskSpawnerDeps): Reconcile {
  return async (req, { log }) => {
    const spawner = deps.caches.spawners.get(req.namespace, req.name);
    if (!spawner) return;
    // Owned workloads go with the TaskSpawner through their owner references; the finalizer only
    // has to come off.
    if (spawner.metadata.deletionTimestamp) {
      if (hasFinalizer(spawner)) await setFinalizer(deps, spawner, false).catch(ignoreNotFound);
      return;
    }
    if (!hasFinalizer(spawner)) {
      await setFinalizer(deps, spawner, true);
      return { requeueAfterMs: 0 };
    }
    const ctx: SpawnerContext = { deps, log };
    await ensureSpawnerRbac(deps, spawnerNamespace(spawner), log);
    const mode = spawnerMode(spawner);
    await deleteOwnedWorkload(workloadApi(deps, OTHER_MODE[mode]), spawner, log);
    const resolved = resolveInputs(spawner, cacheLookup(deps));
    if ('waiting' in resolved) {
      log.info({ reason: resolved.waiting.reason }, resolved.waiting.message);
      await deps.events.record(spawner, 'Normal', resolved.waiting.reason, resolved.waiting.message);
      return { requeueAfterMs: MISSING_INPUT_REQUEUE_MS };
    }
    const built = spawnerConfig(spawner, resolved.inputs, deps.options);
    if ('problem' in built) return cannotRun(ctx, spawner, mode, built.problem);
    return mode === 'cronjob'
      ? reconcileCronJob(ctx, spawner, built.config)
      : reconcileDeployment(ctx, spawner, built.config);
  };
}

/**
 * A spawner that cannot be configured runs no workload: an old one would keep polling what the user
 * just changed away from (spec §9: a bad repo override deletes the workload and fails the spawner).
 * Nothing to retry: a change of the TaskSpawner or its Workspace reconciles again.
 */
async function cannotRun(
  ctx: SpawnerContext,
  spawner: TaskSpawner,
  mode: SpawnerMode,
  problem: SpawnerProblem,
): Promise<StepResult> {
  await deleteOwnedWorkload(workloadApi(ctx.deps, mode), spawner, ctx.log);
  ctx.log.warn({ reason: problem.reason }, problem.message);
  await ctx.deps.events.record(spawner, 'Warning', problem.reason, problem.message);
  await writeWorkloadStatus(ctx.deps, spawner, () => failedStatus(problem.message));
  return {};
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
