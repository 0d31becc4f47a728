import type { AgentConfigSpec, MCPServer, SkillsSh } from '@kelos/shared';
import { CliError, UsageError } from '../errors.js';
import { resolveContent } from '../util/content.js';

/** `name=content` or `name=@file` (cli spec §6.2). */
export function parseNamed(flag: string, value: string): { name: string; content: string } {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`invalid --${flag} value "${value}": must be name=content or name=@file`);
  const name = value.slice(0, at);
  return { name, content: resolveContent(value.slice(at + 1), `--${flag} ${name}`) };
}

/**
 * `source` or `source:skill`. The colon splits only when it is the last one and what follows has no
 * `/`, so that `https://host:8443/org/repo.git` stays whole (cli spec §6.2).
 */
export function parseSkillsSh(value: string): SkillsSh {
  const at = value.lastIndexOf(':');
  const tail = at === -1 ? '' : value.slice(at + 1);
  if (at === -1 || tail.includes('/')) {
    if (value.trim() === '') throw new UsageError(`invalid --skills-sh value "${value}": empty source`);
    return { source: value };
  }
  const source = value.slice(0, at);
  if (source === '') throw new UsageError(`invalid --skills-sh value "${value}": empty source`);
  if (tail === '') throw new UsageError(`invalid --skills-sh value "${value}": empty skill after ":"`);
  return { source, skill: tail };
}

type Fields = Record<string, unknown>;

function stringMap(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null) throw new CliError(`${what}: must be an object`);
  // The reference also accepts env as a list of {name, value}; v1alpha1 stores a map either way.
  if (Array.isArray(value)) {
    const map: Record<string, string> = {};
    for (const entry of value as Fields[]) {
      if (typeof entry?.name !== 'string' || typeof entry.value !== 'string') {
        throw new CliError(`${what}: list entries need string name and value (use envFrom for Secrets)`);
      }
      map[entry.name] = entry.value;
    }
    return map;
  }
  const entries = Object.entries(value as Fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, v] of entries)
    if (typeof v !== 'string') throw new CliError(`${what}.${key}: must be a string`);
  return Object.fromEntries(entries) as Record<string, string>;
}

const MCP_FIELDS = ['type', 'command', 'args', 'url', 'headers', 'headersFrom', 'env', 'envFrom'];

/** `name=JSON` or `name=@file`: an MCP server whose JSON needs a transport `type` and its endpoint. */
export function parseMcp(value: string): MCPServer {
  const { name, content } = parseNamed('mcp', value);
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (err) {
    throw new CliError(`invalid --mcp ${name}: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliError(`invalid --mcp ${name}: must be a JSON object`);
  }
  const fields = json as Fields;
  const unknown = Object.keys(fields).find((k) => !MCP_FIELDS.includes(k));
  // The API server would drop an unknown field silently, and with it the user's intent.
  if (unknown) throw new CliError(`invalid --mcp ${name}: unknown field "${unknown}"`);
  const type = fields.type;
  if (type !== 'stdio' && type !== 'http' && type !== 'sse') {
    throw new CliError(`invalid --mcp ${name}: type must be one of stdio, http, sse`);
  }
  if (type === 'stdio' && typeof fields.command !== 'string') {
    throw new CliError(`invalid --mcp ${name}: stdio servers need a command`);
  }
  if (type !== 'stdio' && typeof fields.url !== 'string') {
    throw new CliError(`invalid --mcp ${name}: ${type} servers need a url`);
  }
  const server: MCPServer = { name, ...(fields as Omit<MCPServer, 'name'>), type };
  if (fields.env !== undefined) server.env = stringMap(fields.env, `--mcp ${name} env`);
  if (fields.headers !== undefined) server.headers = stringMap(fields.headers, `--mcp ${name} headers`);
  return server;
}

export interface AgentConfigFlags {
  agentsMd?: string;
  skill?: string[];
  agent?: string[];
  mcp?: string[];
  skillsSh?: string[];
}

/** The AgentConfig spec `create agentconfig` builds from its flags (cli spec §6.2). */
export function agentConfigSpec(flags: AgentConfigFlags): AgentConfigSpec {
  const spec: AgentConfigSpec = {};
  if (flags.agentsMd !== undefined) spec.agentsMD = resolveContent(flags.agentsMd, '--agents-md');
  const skills = (flags.skill ?? []).map((v) => parseNamed('skill', v));
  const agents = (flags.agent ?? []).map((v) => parseNamed('agent', v));
  if (skills.length > 0 || agents.length > 0) {
    spec.plugins = [
      { name: 'kelos', ...(skills.length ? { skills } : {}), ...(agents.length ? { agents } : {}) },
    ];
  }
  if (flags.skillsSh?.length) {
    const seen = new Set<string>();
    spec.skills = flags.skillsSh.map((v) => {
      const parsed = parseSkillsSh(v);
      const key = `${parsed.source}:${parsed.skill ?? ''}`;
      if (seen.has(key)) throw new UsageError(`duplicate --skills-sh value "${v}"`);
      seen.add(key);
      return parsed;
    });
  }
  if (flags.mcp?.length) {
    const servers = flags.mcp.map(parseMcp);
    const names = servers.map((s) => s.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new UsageError(`duplicate --mcp name "${duplicate}"`);
    spec.mcpServers = servers;
  }
  return spec;
}
