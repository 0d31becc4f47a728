import type { AgentConfigSpec, AgentType, Task, WorkspaceSpec } from '@kelos/shared';
import { AGENT_CONTAINER_NAME, PATHS } from '@kelos/shared/constants';
import { builtinAgentEnv, withUserEnv } from './agent-env.js';
import type { V1Container, V1VolumeMount } from './kube-types.js';
import { agentImage, agentImagePullPolicy, isBundledAgentImage, type JobBuilderOptions } from './options.js';
import { usesPluginDir } from './plugins.js';
import { pluginMount, workspaceMounts } from './volumes.js';

/**
 * The agent process. Bundled images run the entrypoint under tini (`-g` forwards signals to the
 * whole process group and reaps the agent's children); a custom image need not ship tini, so it
 * runs the entrypoint directly. Either way the image's ENTRYPOINT is overridden.
 */
function agentCommand(image: string): string[] {
  return isBundledAgentImage(image) ? [PATHS.tini, '-g', '--', PATHS.entrypoint] : [PATHS.entrypoint];
}

export interface AgentContainerInput {
  task: Task;
  type: AgentType;
  workspace: WorkspaceSpec | undefined;
  agentConfig: AgentConfigSpec | undefined;
  prompt: string;
  options: JobBuilderOptions;
}

/** Workspace (and token) mounts, the plugin directory, then the user's mounts. */
function agentMounts(
  workspace: WorkspaceSpec | undefined,
  agentConfig: AgentConfigSpec | undefined,
  userMounts: readonly V1VolumeMount[] | undefined,
): V1VolumeMount[] {
  return [
    ...(workspace ? workspaceMounts(workspace) : []),
    ...(usesPluginDir(agentConfig) ? [pluginMount()] : []),
    ...(userMounts ?? []),
  ];
}

/** The `kelos-agent` container (spec §4.3): the prompt is its only argument. */
export function agentContainer(input: AgentContainerInput): V1Container {
  const { task, type, workspace, agentConfig, prompt, options } = input;
  const overrides = task.spec.podOverrides;
  const image = agentImage(type, task.spec.image, options);
  const pullPolicy = agentImagePullPolicy(type, options);
  const mounts = agentMounts(workspace, agentConfig, overrides?.volumeMounts);
  return {
    name: AGENT_CONTAINER_NAME,
    image,
    ...(pullPolicy && { imagePullPolicy: pullPolicy }),
    command: agentCommand(image),
    args: [prompt],
    ...(workspace && { workingDir: PATHS.repo }),
    env: withUserEnv(builtinAgentEnv(task, type, workspace, agentConfig), overrides?.env),
    ...(mounts.length > 0 && { volumeMounts: mounts }),
    ...(overrides?.resources && { resources: overrides.resources }),
    ...(overrides?.containerSecurityContext && { securityContext: overrides.containerSecurityContext }),
  };
}
