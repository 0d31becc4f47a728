import type { MCPServer } from '@kelos/shared';
import { componentNameProblem } from './component-name.js';
import { JobBuildError } from './errors.js';

interface McpServerJson {
  type?: string;
  command?: string;
  args?: string[];
  url?: string;
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

function sortedMap(map: Record<string, string> | undefined): Record<string, string> | undefined {
  const keys = Object.keys(map ?? {}).sort();
  if (!map || keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, map[k] ?? '']));
}

function serverJson(server: MCPServer): McpServerJson {
  const headers = sortedMap(server.headers);
  const env = sortedMap(server.env);
  return {
    ...(server.type && { type: server.type }),
    ...(server.command && { command: server.command }),
    ...(server.args && server.args.length > 0 && { args: server.args }),
    ...(server.url && { url: server.url }),
    ...(headers && { headers }),
    ...(env && { env }),
  };
}

/**
 * `KELOS_MCP_SERVERS`: `{"mcpServers":{"<name>":{type,command,args,url,headers,env}}}` with empty
 * fields omitted. `headersFrom`/`envFrom` must already be resolved into `headers`/`env` by the
 * reconciler; they are not rendered. Names and map keys are sorted so the pod spec (and thus the
 * Job) is byte-for-byte stable across reconciles.
 */
export function buildMcpServersJson(servers: readonly MCPServer[]): string {
  const byName = new Map<string, McpServerJson>();
  for (const server of servers) {
    const problem = componentNameProblem(server.name, 'MCP server');
    if (problem) throw new JobBuildError(`invalid MCP server configuration: ${problem}`);
    if (byName.has(server.name)) {
      throw new JobBuildError(
        `invalid MCP server configuration: duplicate MCP server name ${JSON.stringify(server.name)}`,
      );
    }
    byName.set(server.name, serverJson(server));
  }
  const names = [...byName.keys()].sort();
  return JSON.stringify({ mcpServers: Object.fromEntries(names.map((n) => [n, byName.get(n)])) });
}
