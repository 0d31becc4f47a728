/**
 * Tasks reconciled at once. A reconcile mostly waits on the API server (finalizer, Job, status: one
 * round trip after the other), and the workers are async calls on one thread, not threads. With 4 in
 * flight the controller and the API server both idled between round trips in a burst of 1,000 new
 * Tasks; with 32 the API server stays busy (bench/controller.bench.mjs, README "Benchmarks").
 */
export const DEFAULT_TASK_WORKERS = 32;
