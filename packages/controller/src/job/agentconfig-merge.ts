import type { AgentConfigReference, AgentConfigSpec, MCPServer, TaskSpec } from '@kelos/shared';

/** The AgentConfigs a Task references, in merge order (`agentConfigRefs`, else the single ref). */
export function agentConfigRefs(spec: TaskSpec): AgentConfigReference[] {
  if (spec.agentConfigRefs && spec.agentConfigRefs.length > 0) return spec.agentConfigRefs;
  return spec.agentConfigRef ? [spec.agentConfigRef] : [];
}

/**
 * Merges AgentConfigs in order (spec §5.1): agentsMD joined by a blank line (empty ones skipped),
 * plugins and skills concatenated, MCP servers appended with a later server replacing an earlier
 * one of the same name at the earlier one's position. A single config is used as it is.
 */
export function mergeAgentConfigs(specs: readonly AgentConfigSpec[]): AgentConfigSpec {
  if (specs.length === 1 && specs[0]) return specs[0];

  const agentsMD = specs
    .map((s) => s.agentsMD ?? '')
    .filter((md) => md !== '')
    .join('\n\n');
  const plugins = specs.flatMap((s) => s.plugins ?? []);
  const skills = specs.flatMap((s) => s.skills ?? []);
  const mcpServers: MCPServer[] = [];
  const position = new Map<string, number>();
  for (const server of specs.flatMap((s) => s.mcpServers ?? [])) {
    const at = position.get(server.name);
    if (at === undefined) {
      position.set(server.name, mcpServers.length);
      mcpServers.push(server);
    } else {
      mcpServers[at] = server;
    }
  }

  return {
    ...(agentsMD && { agentsMD }),
    ...(plugins.length > 0 && { plugins }),
    ...(skills.length > 0 && { skills }),
    ...(mcpServers.length > 0 && { mcpServers }),
  };
}
