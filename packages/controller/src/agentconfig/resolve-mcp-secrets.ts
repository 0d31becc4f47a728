import type { AgentConfigSpec, MCPServer } from '@kelos/shared';

/** Reads a Secret's decoded data; undefined when the Secret does not exist. */
export type SecretReader = (name: string) => Promise<Record<string, string> | undefined>;

export class McpSecretError extends Error {}

async function secretValues(read: SecretReader, server: string, field: string, name: string) {
  const data = await read(name);
  if (!data) throw new McpSecretError(`MCP server "${server}": ${field} Secret "${name}" not found`);
  return data;
}

async function resolveServer(server: MCPServer, read: SecretReader): Promise<MCPServer> {
  const { headersFrom, envFrom, ...rest } = server;
  const resolved: MCPServer = { ...rest };
  if (headersFrom) {
    const values = await secretValues(read, server.name, 'headersFrom', headersFrom.secretRef.name);
    resolved.headers = { ...server.headers, ...values };
  }
  if (envFrom) {
    const values = await secretValues(read, server.name, 'envFrom', envFrom.secretRef.name);
    resolved.env = { ...server.env, ...values };
  }
  return resolved;
}

/**
 * The AgentConfig with every MCP `headersFrom`/`envFrom` replaced by literal values (Secret
 * values win over inline ones), since the agent reads its MCP config from one env var. A missing
 * Secret is an error the reconciler turns into a Failed Task (spec §3.2 step 2).
 */
export async function resolveMcpSecrets(spec: AgentConfigSpec, read: SecretReader): Promise<AgentConfigSpec> {
  if (!spec.mcpServers?.some((s) => s.headersFrom || s.envFrom)) return spec;
  const mcpServers: MCPServer[] = [];
  for (const server of spec.mcpServers) mcpServers.push(await resolveServer(server, read));
  return { ...spec, mcpServers };
}
