import { type Static, Type } from '@sinclair/typebox';
import {
  AgentConfigReferenceSchema,
  AgentTypeSchema,
  CredentialsSchema,
  PodOverridesSchema,
  WorkspaceReferenceSchema,
} from './common.js';
import { DateTime, Int32, StringEnum, StringMap } from './helpers.js';
import type { KubeObject } from './object-meta.js';

export const TASK_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Waiting'] as const;
export type TaskPhase = (typeof TASK_PHASES)[number];

export const AGENT_CONFIG_REFS_EXCLUSIVE_RULE = {
  rule: '!(has(self.agentConfigRef) && has(self.agentConfigRefs))',
  message: 'agentConfigRef and agentConfigRefs are mutually exclusive',
};

export const TaskSpecSchema = Type.Object(
  {
    type: AgentTypeSchema,
    prompt: Type.String({
      description:
        'The task for the agent, passed as the container argument. With `dependsOn` it is rendered as a ' +
        'Go template first, e.g. `{{ index .Deps "plan" "Results" "branch" }}`.',
    }),
    credentials: CredentialsSchema,
    model: Type.Optional(Type.String({ description: 'Model the agent uses (`KELOS_MODEL`).' })),
    effort: Type.Optional(
      Type.String({ description: 'Reasoning effort hint (`KELOS_EFFORT`); not validated.' }),
    ),
    image: Type.Optional(
      Type.String({
        description:
          'Custom agent image; it must implement the agent image interface. Overrides the default.',
      }),
    ),
    workspaceRef: Type.Optional(
      Type.Object(WorkspaceReferenceSchema.properties, {
        description: 'Workspace cloned into `/workspace/repo` before the agent starts.',
      }),
    ),
    agentConfigRef: Type.Optional(
      Type.Object(AgentConfigReferenceSchema.properties, { description: 'A single AgentConfig to inject.' }),
    ),
    agentConfigRefs: Type.Optional(
      Type.Array(AgentConfigReferenceSchema, {
        minItems: 1,
        description:
          'AgentConfigs merged in order; a later MCP server replaces an earlier one of the same name.',
      }),
    ),
    dependsOn: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Tasks in the same namespace that must have Succeeded before this one starts.',
      }),
    ),
    branch: Type.Optional(
      Type.String({
        description:
          'Git branch checked out (or created) before the agent runs. Only one Task at a time runs per ' +
          'workspace and branch.',
      }),
    ),
    upstreamRepo: Type.Optional(
      Type.String({
        description: 'Upstream repository `owner/repo` for fork workflows (`KELOS_UPSTREAM_REPO`).',
      }),
    ),
    ttlSecondsAfterFinished: Type.Optional(
      Int32({
        minimum: 0,
        description:
          'Delete the Task this many seconds after it finished; unset keeps it, 0 deletes it at once.',
      }),
    ),
    podOverrides: Type.Optional(PodOverridesSchema),
  },
  {
    description: 'What the agent should do, and with what.',
    'x-kubernetes-validations': [
      AGENT_CONFIG_REFS_EXCLUSIVE_RULE,
      { rule: 'self == oldSelf', message: 'Task spec is immutable after creation' },
    ],
  },
);
export type TaskSpec = Static<typeof TaskSpecSchema>;

export const TaskStatusSchema = Type.Object(
  {
    phase: Type.Optional(
      StringEnum(TASK_PHASES, {
        description: 'Where the Task is in its life; empty before the first reconcile.',
      }),
    ),
    jobName: Type.Optional(
      Type.String({ description: 'Name of the Job running the agent (= the Task name).' }),
    ),
    podName: Type.Optional(Type.String({ description: 'Newest Pod of the Job.' })),
    startTime: Type.Optional(DateTime({ description: 'When the Task started Running.' })),
    completionTime: Type.Optional(DateTime({ description: 'When the Task Succeeded or Failed.' })),
    message: Type.Optional(Type.String({ description: 'Why the Task is in its phase, for humans.' })),
    outputs: Type.Optional(
      Type.Array(Type.String(), { description: 'Raw `key: value` lines of the agent output block.' }),
    ),
    results: Type.Optional(
      StringMap({ description: 'The outputs as a map, e.g. branch, commit, pr, cost-usd, input-tokens.' }),
    ),
  },
  { description: 'What the controller observed.' },
);
export type TaskStatus = Static<typeof TaskStatusSchema>;

export type Task = KubeObject<'Task', TaskSpec, TaskStatus>;
