import type { AgentConfigSpec, Task, WorkspaceSpec } from '@kelos/shared';
import { branchSetupContainer } from './init/branch-setup.js';
import { gitCloneContainer } from './init/git-clone.js';
import { pluginSetupContainer } from './init/plugin-setup.js';
import { remoteSetupContainer } from './init/remote-setup.js';
import { skillsInstallContainer } from './init/skills-install.js';
import { workspaceFilesContainer } from './init/workspace-files.js';
import type { V1Container } from './kube-types.js';
import type { JobBuilderOptions } from './options.js';

/**
 * The init containers in their fixed order (spec §4.5): clone, remotes, branch, files — so files
 * land on the Task's branch — then plugins and skills, then the user's own.
 */
export function initContainers(
  task: Task,
  workspace: WorkspaceSpec | undefined,
  agentConfig: AgentConfigSpec | undefined,
  options: JobBuilderOptions,
): V1Container[] {
  const containers: V1Container[] = [];
  if (workspace) {
    containers.push(gitCloneContainer(workspace, options));
    if (workspace.remotes && workspace.remotes.length > 0) {
      containers.push(remoteSetupContainer(workspace.remotes, options));
    }
    if (task.spec.branch) containers.push(branchSetupContainer(task.spec.branch, workspace, options));
    if (workspace.files && workspace.files.length > 0) {
      containers.push(workspaceFilesContainer(workspace.files, options));
    }
  }
  if (agentConfig?.plugins && agentConfig.plugins.length > 0) containers.push(pluginSetupContainer(options));
  if (agentConfig?.skills && agentConfig.skills.length > 0) {
    containers.push(skillsInstallContainer(agentConfig.skills, options));
  }
  return [...containers, ...(task.spec.podOverrides?.extraInitContainers ?? [])];
}
