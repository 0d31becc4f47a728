import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type HttpServer, startHttpServer } from './http-server.js';

/** The process-wide registry served at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const taskLabels = ['namespace', 'type'] as const;
const usageLabels = ['namespace', 'type', 'spawner', 'model'] as const;

/**
 * Every metric the controller exports. The runtime records the reconcile and workqueue ones; the Kelos
 * reconcilers call the task ones (spec §3.7), whose names and labels are part of the public contract.
 */
export const metrics = {
  reconcileErrors: new Counter({
    name: 'kelos_reconcile_errors_total',
    help: 'Reconciles that returned an error, per controller.',
    labelNames: ['controller'] as const,
    registers: [registry],
  }),
  workqueueDepth: new Gauge({
    name: 'workqueue_depth',
    help: 'Keys waiting in a controller work queue.',
    labelNames: ['name'] as const,
    registers: [registry],
  }),
  workqueueAdds: new Counter({
    name: 'workqueue_adds_total',
    help: 'Keys added to a controller work queue.',
    labelNames: ['name'] as const,
    registers: [registry],
  }),
  workqueueRetries: new Counter({
    name: 'workqueue_retries_total',
    help: 'Rate-limited re-adds of failed keys to a controller work queue.',
    labelNames: ['name'] as const,
    registers: [registry],
  }),
  taskCreated: new Counter({
    name: 'kelos_task_created_total',
    help: 'Tasks whose Job the controller created.',
    labelNames: taskLabels,
    registers: [registry],
  }),
  taskCompleted: new Counter({
    name: 'kelos_task_completed_total',
    help: 'Tasks that reached a terminal phase.',
    labelNames: [...taskLabels, 'phase'] as const,
    registers: [registry],
  }),
  taskDuration: new Histogram({
    name: 'kelos_task_duration_seconds',
    help: 'Time from a Task start to its completion.',
    labelNames: [...taskLabels, 'phase'] as const,
    // Agent runs last from seconds to hours.
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400],
    registers: [registry],
  }),
  taskCostUsd: new Counter({
    name: 'kelos_task_cost_usd_total',
    help: 'Cost in USD reported by finished Tasks.',
    labelNames: usageLabels,
    registers: [registry],
  }),
  taskInputTokens: new Counter({
    name: 'kelos_task_input_tokens_total',
    help: 'Input tokens reported by finished Tasks.',
    labelNames: usageLabels,
    registers: [registry],
  }),
  taskOutputTokens: new Counter({
    name: 'kelos_task_output_tokens_total',
    help: 'Output tokens reported by finished Tasks.',
    labelNames: usageLabels,
    registers: [registry],
  }),
};

/** Serves the registry in the Prometheus text format at /metrics (port 0 picks a free one). */
export function serveMetrics(port = 8080, host = '0.0.0.0'): Promise<HttpServer> {
  return startHttpServer(port, host, (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split('?')[0] !== '/metrics') return false;
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      },
    );
    return true;
  });
}
