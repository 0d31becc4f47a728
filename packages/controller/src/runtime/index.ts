export type {
  ControllerOptions,
  Reconcile,
  ReconcileContext,
  ReconcileResult,
  Request,
} from './controller.js';
export { Controller, keyOf, requestOf } from './controller.js';
export type { HealthChecks } from './health.js';
export { serveHealth } from './health.js';
export type { HttpServer } from './http-server.js';
export type { InformerEvent, InformerOptions, ObjectHandler } from './informer.js';
export { Informer } from './informer.js';
export type { KubeObject, ResourceKind, Wire } from './kinds.js';
export { apiVersionOf, collectionPath, kinds, resourceKind } from './kinds.js';
export type { KubeClients, KubeConfigOptions } from './kube-client.js';
export {
  apiErrorCode,
  getJson,
  isAlreadyExists,
  isConflict,
  isNotFound,
  loadKubeConfig,
  makeClients,
} from './kube-client.js';
export type { LeaderElectionOptions } from './leader-election.js';
export { defaultIdentity, LeaderElector } from './leader-election.js';
export type { Logger, LoggerOptions } from './logger.js';
export { createLogger } from './logger.js';
export type { ManagerLeaderElection, ManagerOptions } from './manager.js';
export { Manager } from './manager.js';
export { metrics, registry, serveMetrics } from './metrics.js';
export type { RetryOptions } from './status.js';
export { updateStatusWithRetry } from './status.js';
export type { WorkQueueOptions } from './work-queue.js';
export { WorkQueue } from './work-queue.js';
