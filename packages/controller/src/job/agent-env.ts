import type { AgentConfigSpec, AgentType, Task, WorkspaceSpec } from '@kelos/shared';
import { ALWAYS_RESERVED_ENV, ENV, LABELS, PATHS } from '@kelos/shared/constants';
import { credentialEnv } from './credential-env.js';
import { envValue } from './env.js';
import { parseGitHubRepo } from './git-url.js';
import type { V1EnvVar } from './kube-types.js';
import { buildMcpServersJson } from './mcp.js';
import { usesPluginDir } from './plugins.js';
import { ghHostEnv, githubTokenEnv, githubTokenFileEnv } from './workspace-env.js';

const UPSTREAM_REMOTE = 'upstream';

/** `spec.upstreamRepo`, else `owner/repo` of a workspace remote named `upstream`. */
function upstreamRepo(task: Task, workspace: WorkspaceSpec): string | undefined {
  if (task.spec.upstreamRepo) return task.spec.upstreamRepo;
  for (const remote of workspace.remotes ?? []) {
    if (remote.name !== UPSTREAM_REMOTE) continue;
    const parsed = parseGitHubRepo(remote.url);
    if (parsed) return `${parsed.owner}/${parsed.repo}`;
  }
  return undefined;
}

/** Rows 7–14 of the env table: what a workspace adds. */
function workspaceAgentEnv(task: Task, workspace: WorkspaceSpec): V1EnvVar[] {
  const upstream = upstreamRepo(task, workspace);
  return [
    ...ghHostEnv(workspace),
    ...(workspace.ref ? [envValue(ENV.baseBranch, workspace.ref)] : []),
    ...(upstream ? [envValue(ENV.upstreamRepo, upstream)] : []),
    ...githubTokenEnv(workspace),
    ...(workspace.secretRef?.name ? [envValue(ENV.ghConfigDir, PATHS.ghConfigDir)] : []),
    ...githubTokenFileEnv(workspace),
    ...(workspace.setupCommand && workspace.setupCommand.length > 0
      ? [envValue(ENV.setupCommand, JSON.stringify(workspace.setupCommand))]
      : []),
  ];
}

/** Rows 15–17: what the merged AgentConfig adds. */
function agentConfigEnv(config: AgentConfigSpec): V1EnvVar[] {
  const mcpServers = config.mcpServers ?? [];
  return [
    ...(config.agentsMD ? [envValue(ENV.agentsMd, config.agentsMD)] : []),
    ...(usesPluginDir(config) ? [envValue(ENV.pluginDir, PATHS.pluginDir)] : []),
    ...(mcpServers.length > 0 ? [envValue(ENV.mcpServers, buildMcpServersJson(mcpServers))] : []),
  ];
}

/**
 * The agent container's built-in env in the order of spec §4.3 (rows 1–17). Tests and agent images
 * rely on the order, so each row is appended exactly where the table puts it.
 */
export function builtinAgentEnv(
  task: Task,
  type: AgentType,
  workspace: WorkspaceSpec | undefined,
  agentConfig: AgentConfigSpec | undefined,
): V1EnvVar[] {
  const { spec } = task;
  const spawner = task.metadata.labels?.[LABELS.taskSpawner];
  return [
    ...(spec.model ? [envValue(ENV.model, spec.model)] : []),
    ...(spec.effort ? [envValue(ENV.effort, spec.effort)] : []),
    ...(spec.branch ? [envValue(ENV.branch, spec.branch)] : []),
    envValue(ENV.agentType, type),
    ...(spawner ? [envValue(ENV.taskSpawner, spawner)] : []),
    ...credentialEnv(type, spec.credentials),
    ...(workspace ? workspaceAgentEnv(task, workspace) : []),
    ...(agentConfig ? agentConfigEnv(agentConfig) : []),
  ];
}

/**
 * Appends `podOverrides.env` (row 18+). A name Kelos already set is dropped so the built-in value
 * wins, and the always-reserved names are dropped because they make the entrypoint run commands.
 */
export function withUserEnv(builtin: V1EnvVar[], user: readonly V1EnvVar[] | undefined): V1EnvVar[] {
  const taken = new Set([...builtin.map((e) => e.name), ...ALWAYS_RESERVED_ENV]);
  return [...builtin, ...(user ?? []).filter((e) => !taken.has(e.name))];
}
