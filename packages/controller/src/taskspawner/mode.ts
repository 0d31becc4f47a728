import type { TaskSpawner } from '@kelos/shared';

/**
 * Which workload runs the spawner (spec §9 step 3): a CronJob for `when.cron`, else a Deployment for the
 * polling sources. Our v1alpha1 schema has no webhook, Jira or Slack sources, so there is no webhook mode.
 */
export type SpawnerMode = 'cronjob' | 'deployment';

export function spawnerMode(spawner: TaskSpawner): SpawnerMode {
  return spawner.spec.when.cron ? 'cronjob' : 'deployment';
}
