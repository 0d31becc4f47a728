import type { TaskSpawner } from '@kelos/shared';
import type { V1CronJob } from '@kubernetes/client-node';
import { SPAWNER_SERVICE_ACCOUNT, type SpawnerOptions } from './options.js';
import type { SpawnerConfig } from './spawner-config.js';
import { spawnerContainer, spawnerLabels, spawnerWorkloadMetadata } from './workload-meta.js';

/**
 * The spawner of a cron TaskSpawner (spec §9 CronJob mode): one `--one-shot` discovery cycle per tick,
 * never two at once, no retry of a failed run (the next tick catches up from lastDiscoveryTime).
 */
export function buildSpawnerCronJob(
  spawner: TaskSpawner,
  config: SpawnerConfig,
  options: SpawnerOptions,
): V1CronJob {
  const name = spawner.metadata.name ?? '';
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: spawnerWorkloadMetadata(spawner),
    spec: {
      schedule: spawner.spec.when.cron?.schedule ?? '',
      concurrencyPolicy: 'Forbid',
      suspend: spawner.spec.suspend ?? false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: spawnerLabels(name) },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: { labels: spawnerLabels(name) },
            spec: {
              serviceAccountName: SPAWNER_SERVICE_ACCOUNT,
              restartPolicy: 'Never',
              containers: [spawnerContainer(config, options, { args: ['--one-shot'] })],
            },
          },
        },
      },
    },
  };
}
