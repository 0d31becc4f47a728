import { API_GROUP_VERSION, type Task, type TaskSpec } from '@kelos/shared';
import type { CredentialChoice } from './credentials.js';
import type { EnvVar } from './options.js';

/** Everything a Task is made of, resolved from flags and config. */
export interface TaskInput {
  name: string;
  namespace: string;
  type: string;
  prompt: string;
  credentials: CredentialChoice;
  model?: string;
  effort?: string;
  image?: string;
  workspace?: string;
  agentConfigs: string[];
  dependsOn: string[];
  branch?: string;
  ttlSeconds?: number;
  timeoutSeconds?: number;
  env: EnvVar[];
}

/** The Task `run` creates (cli spec §5.2 step 6), fields in the reference's order, unset ones omitted. */
export function buildTask(input: TaskInput): Task {
  const spec: Record<string, unknown> = {
    type: input.type,
    prompt: input.prompt,
    credentials: {
      type: input.credentials.type,
      ...(input.credentials.secret ? { secretRef: { name: input.credentials.secret } } : {}),
    },
  };
  if (input.model) spec.model = input.model;
  if (input.effort) spec.effort = input.effort;
  if (input.image) spec.image = input.image;
  if (input.dependsOn.length > 0) spec.dependsOn = input.dependsOn;
  if (input.branch) spec.branch = input.branch;
  if (input.workspace) spec.workspaceRef = { name: input.workspace };
  if (input.agentConfigs.length > 0) spec.agentConfigRefs = input.agentConfigs.map((name) => ({ name }));
  if (input.ttlSeconds !== undefined) spec.ttlSecondsAfterFinished = input.ttlSeconds;
  const podOverrides: Record<string, unknown> = {};
  if (input.timeoutSeconds !== undefined) podOverrides.activeDeadlineSeconds = input.timeoutSeconds;
  if (input.env.length > 0) podOverrides.env = input.env;
  if (Object.keys(podOverrides).length > 0) spec.podOverrides = podOverrides;
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'Task',
    metadata: { name: input.name, namespace: input.namespace },
    spec: spec as TaskSpec,
  };
}
