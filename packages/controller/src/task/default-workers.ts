/**
 * Tasks reconciled at once. A reconcile mostly waits on the API server (finalizer, Job, status: one
 * round trip after the other), and the workers are async calls on one thread, not threads: with 32 in
 * flight the controller kept the API server busy through a burst of 1,000 new Tasks (ratio to the raw
 * create rate 0.35–0.37, against 0.28–0.30 with 4 and 0.33–0.35 with 16; bench/controller.bench.mjs).
 */
export const DEFAULT_TASK_WORKERS = 32;
