import type { V1PodFailurePolicy } from './kube-types.js';

/** One retry, spent only on disruptions (see the policy below). */
export const BACKOFF_LIMIT = 1;

/**
 * The v1alpha1-era policy (spec §4.2): a pod evicted or preempted (`DisruptionTarget`) counts
 * against the single retry, while a non-zero exit fails the Job at once — an agent that crashed
 * would likely crash again, and a second run would repeat its side effects (pushes, comments).
 */
export function taskPodFailurePolicy(): V1PodFailurePolicy {
  return {
    rules: [
      { action: 'Count', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0] } },
    ],
  };
}
