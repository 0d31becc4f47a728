import type { ContainerStatus, Pod, PodFailurePolicyRule } from './types.js';

export interface PolicyMatch {
  /** FailJob, Ignore or Count; undefined when no rule matched (the failure counts). */
  action?: string;
  /** Set for FailJob: the Job's failure message. */
  message?: string;
}

/**
 * The Job controller's matchPodFailurePolicy: the first rule whose onExitCodes or
 * onPodConditions matches the failed pod decides, with Kubernetes' messages.
 */
export function matchPodFailurePolicy(rules: PodFailurePolicyRule[], pod: Pod): PolicyMatch {
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod, rule.onExitCodes);
      if (!cs) continue;
      const code = cs.state.terminated?.exitCode;
      const message = `Container ${cs.name} for pod ${ref} failed with exit code ${code} matching ${rule.action} rule at index ${index}`;
      return decide(rule.action, message);
    }
    if (rule.onPodConditions) {
      const cond = pod.status?.conditions?.find((c) =>
        rule.onPodConditions?.some((p) => p.type === c.type && (p.status ?? 'True') === c.status),
      );
      if (!cond) continue;
      return decide(
        rule.action,
        `Pod ${ref} has condition ${cond.type} matching ${rule.action} rule at index ${index}`,
      );
    }
  }
  return {};
}

function decide(action: string, message: string): PolicyMatch {
  return action === 'FailJob' ? { action, message } : { action };
}

/** Regular containers first, then init containers; only non-zero exits of terminated containers. */
function matchOnExitCodes(
  pod: Pod,
  req: NonNullable<PodFailurePolicyRule['onExitCodes']>,
): ContainerStatus | undefined {
  const matches = (cs: ContainerStatus) => {
    const code = cs.state.terminated?.exitCode;
    if (code === undefined || code === 0) return false;
    if (req.containerName !== undefined && req.containerName !== cs.name) return false;
    const listed = req.values.includes(code);
    return req.operator === 'In' ? listed : !listed;
  };
  return pod.status?.containerStatuses?.find(matches) ?? pod.status?.initContainerStatuses?.find(matches);
}
