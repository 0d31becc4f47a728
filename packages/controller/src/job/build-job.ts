import type { AgentConfigSpec, Task, Workspace, WorkspaceSpec } from '@kelos/shared';
import { isAgentType, SKILLS_SH_PLUGIN_NAME } from '@kelos/shared/constants';
import { agentContainer } from './agent-container.js';
import { JobBuildError } from './errors.js';
import { BACKOFF_LIMIT, taskPodFailurePolicy } from './failure-policy.js';
import { initContainers } from './init-containers.js';
import type { V1Job, V1PodSpec, V1Volume } from './kube-types.js';
import { jobLabels } from './labels.js';
import type { JobBuilderOptions } from './options.js';
import { pluginPayload, usesPluginDir } from './plugins.js';
import { checkExtraContainers, checkUserVolumes, podSecurityContext } from './pod-overrides.js';
import { pluginSourceVolume, pluginVolume, workspaceVolumes } from './volumes.js';

export interface BuildJobInput {
  task: Task;
  /** The resolved Workspace; its secretRef may already name the minted `<task>-github-token` Secret. */
  workspace?: Workspace;
  /** The merged AgentConfig, MCP secret references already resolved into literal values. */
  agentConfig?: AgentConfigSpec;
  /** The prompt after dependency templating; `spec.prompt` is never rewritten. */
  prompt: string;
  options: JobBuilderOptions;
}

function checkAgentConfig(config: AgentConfigSpec | undefined): void {
  const hasSkills = (config?.skills?.length ?? 0) > 0;
  if (hasSkills && config?.plugins?.some((p) => p.name === SKILLS_SH_PLUGIN_NAME)) {
    throw new JobBuildError(
      `invalid plugin configuration: plugin name ${JSON.stringify(SKILLS_SH_PLUGIN_NAME)} is reserved for ` +
        'skills.sh packages when spec.skills is set',
    );
  }
}

function podVolumes(
  taskName: string,
  task: Task,
  workspace: WorkspaceSpec | undefined,
  config: AgentConfigSpec | undefined,
): V1Volume[] {
  const plugins = config?.plugins ?? [];
  return [
    ...(workspace ? workspaceVolumes(workspace) : []),
    ...(usesPluginDir(config) ? [pluginVolume()] : []),
    ...(plugins.length > 0 ? [pluginSourceVolume(taskName, pluginPayload(plugins).items)] : []),
    ...(task.spec.podOverrides?.volumes ?? []),
  ];
}

/**
 * Builds the Job that runs a Task (spec §4). Pure: the same input always gives the same Job, and
 * nothing is read or written. The reconciler adds the controller ownerReference and, when there are
 * plugins, creates the ConfigMap from `buildPluginConfigMap` first. Throws JobBuildError when the
 * Task cannot run as specified.
 */
export function buildJob(input: BuildJobInput): V1Job {
  const { task, agentConfig, prompt, options } = input;
  const name = task.metadata.name;
  if (!name) throw new JobBuildError('task has no metadata.name');
  const type: string = task.spec.type;
  if (!isAgentType(type)) throw new JobBuildError(`unsupported agent type ${JSON.stringify(type)}`);
  const workspace = input.workspace?.spec;
  const overrides = task.spec.podOverrides ?? {};

  checkUserVolumes(overrides.volumes ?? []);
  checkExtraContainers(overrides);
  checkAgentConfig(agentConfig);

  const inits = initContainers(task, workspace, agentConfig, options);
  const volumes = podVolumes(name, task, workspace, agentConfig);
  const securityContext = podSecurityContext(workspace !== undefined, overrides.podSecurityContext);
  const podSpec: V1PodSpec = {
    restartPolicy: 'Never',
    ...(securityContext && { securityContext }),
    ...(overrides.serviceAccountName && { serviceAccountName: overrides.serviceAccountName }),
    ...(inits.length > 0 && { initContainers: inits }),
    containers: [
      agentContainer({ task, type, workspace, agentConfig, prompt, options }),
      ...(overrides.extraContainers ?? []),
    ],
    ...(volumes.length > 0 && { volumes }),
    ...(overrides.nodeSelector && { nodeSelector: overrides.nodeSelector }),
    ...(overrides.tolerations && overrides.tolerations.length > 0 && { tolerations: overrides.tolerations }),
    ...(overrides.affinity && { affinity: overrides.affinity }),
    ...(overrides.imagePullSecrets &&
      overrides.imagePullSecrets.length > 0 && { imagePullSecrets: overrides.imagePullSecrets }),
  };

  const labels = jobLabels(task, name);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(task.metadata.namespace && { namespace: task.metadata.namespace }), labels },
    spec: {
      backoffLimit: BACKOFF_LIMIT,
      podFailurePolicy: taskPodFailurePolicy(),
      ...(overrides.activeDeadlineSeconds !== undefined && {
        activeDeadlineSeconds: overrides.activeDeadlineSeconds,
      }),
      template: { metadata: { labels: { ...labels } }, spec: podSpec },
    },
  };
}
