import type { TaskSpawner } from '@kelos/shared';
import type { V1Deployment } from '@kubernetes/client-node';
import { SPAWNER_SERVICE_ACCOUNT, type SpawnerOptions } from './options.js';
import type { SpawnerConfig } from './spawner-config.js';
import { spawnerContainer, spawnerLabels, spawnerWorkloadMetadata } from './workload-meta.js';

/**
 * The long-running spawner of a polling TaskSpawner (spec §9 Deployment mode): same name and namespace,
 * one replica (none while suspended), controlled by the TaskSpawner.
 */
export function buildSpawnerDeployment(
  spawner: TaskSpawner,
  config: SpawnerConfig,
  options: SpawnerOptions,
): V1Deployment {
  const name = spawner.metadata.name ?? '';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: spawnerWorkloadMetadata(spawner),
    spec: {
      replicas: spawner.spec.suspend ? 0 : 1,
      selector: { matchLabels: spawnerLabels(name) },
      template: {
        metadata: { labels: spawnerLabels(name) },
        spec: {
          serviceAccountName: SPAWNER_SERVICE_ACCOUNT,
          restartPolicy: 'Always',
          containers: [spawnerContainer(config, options, { metricsPort: true })],
        },
      },
    },
  };
}
