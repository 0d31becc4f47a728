import type { AgentConfigSpec } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { McpSecretError, resolveMcpSecrets } from '../src/agentconfig/resolve-mcp-secrets.js';

const secrets: Record<string, Record<string, string>> = {
  'mcp-headers': { Authorization: 'Bearer s3cret', 'X-Team': 'core' },
  'mcp-env': { API_TOKEN: 'tok', MODE: 'secret-mode' },
};
const read = async (name: string) => secrets[name];

describe('resolveMcpSecrets', () => {
  it('replaces headersFrom and envFrom with literal values; Secret values win', async () => {
    const spec: AgentConfigSpec = {
      agentsMD: 'keep me',
      mcpServers: [
        {
          name: 'remote',
          type: 'http',
          url: 'https://mcp.example.com',
          headers: { 'X-Team': 'inline', 'X-Other': 'kept' },
          headersFrom: { secretRef: { name: 'mcp-headers' } },
        },
        {
          name: 'local',
          type: 'stdio',
          command: 'mcp-server',
          env: { MODE: 'inline', DEBUG: '1' },
          envFrom: { secretRef: { name: 'mcp-env' } },
        },
        { name: 'plain', type: 'sse', url: 'https://sse.example.com' },
      ],
    };
    expect(await resolveMcpSecrets(spec, read)).toEqual({
      agentsMD: 'keep me',
      mcpServers: [
        {
          name: 'remote',
          type: 'http',
          url: 'https://mcp.example.com',
          headers: { 'X-Team': 'core', 'X-Other': 'kept', Authorization: 'Bearer s3cret' },
        },
        {
          name: 'local',
          type: 'stdio',
          command: 'mcp-server',
          env: { MODE: 'secret-mode', DEBUG: '1', API_TOKEN: 'tok' },
        },
        { name: 'plain', type: 'sse', url: 'https://sse.example.com' },
      ],
    });
  });

  it('returns the spec unchanged when nothing references a Secret', async () => {
    const spec: AgentConfigSpec = { mcpServers: [{ name: 'a', type: 'stdio', command: 'x' }] };
    expect(await resolveMcpSecrets(spec, read)).toBe(spec);
    expect(await resolveMcpSecrets({}, read)).toEqual({});
  });

  it('names the server, the field and the Secret when the Secret is missing, without leaking values', async () => {
    const spec: AgentConfigSpec = {
      mcpServers: [
        { name: 'remote', type: 'http', url: 'https://x', headersFrom: { secretRef: { name: 'gone' } } },
      ],
    };
    const error = await resolveMcpSecrets(spec, read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpSecretError);
    expect((error as Error).message).toBe('MCP server "remote": headersFrom Secret "gone" not found');
  });
});
