import { Counter, Histogram } from 'prom-client';
import { registry } from '../runtime/metrics.js';

/**
 * The spawner's metrics (spec §10.3), served at /metrics with the process defaults. One process serves one
 * TaskSpawner, so the pod's labels say which; the metrics carry none.
 */
export const spawnerMetrics = {
  discoveries: new Counter({
    name: 'kelos_spawner_discovery_total',
    help: 'Discovery cycles that completed and recorded their status.',
    registers: [registry],
  }),
  discoveryErrors: new Counter({
    name: 'kelos_spawner_discovery_errors_total',
    help: 'Discovery cycles that failed.',
    registers: [registry],
  }),
  itemsDiscovered: new Counter({
    name: 'kelos_spawner_items_discovered_total',
    help: 'Work items returned by the source, summed over cycles.',
    registers: [registry],
  }),
  tasksCreated: new Counter({
    name: 'kelos_spawner_tasks_created_total',
    help: 'Tasks the spawner created.',
    registers: [registry],
  }),
  discoveryDuration: new Histogram({
    name: 'kelos_spawner_discovery_duration_seconds',
    help: 'Time a discovery cycle took.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  }),
};
