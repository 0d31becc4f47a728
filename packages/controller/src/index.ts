export { type ControllerFlags, parseControllerFlags, UsageError } from './cmd/controller-flags.js';
export { startController } from './cmd/run-controller.js';
export * from './events/index.js';
export * from './job/index.js';
export { setupTaskController, type TaskControllerOptions } from './task/controller.js';
export type { PodLogReader, PodLogRequest } from './task/outputs.js';
