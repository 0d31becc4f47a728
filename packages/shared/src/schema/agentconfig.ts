import { type Static, Type } from '@sinclair/typebox';
import { SecretReferenceSchema } from './common.js';
import { StringEnum, StringMap } from './helpers.js';
import type { KubeObject } from './object-meta.js';

const namedContent = (what: string, file: string) =>
  Type.Object(
    {
      name: Type.String({ minLength: 1, description: `Name of the ${what}.` }),
      content: Type.String({ description: `Content of ${file}.` }),
    },
    { description: `A ${what} of a plugin.` },
  );

export const PluginSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Plugin name, used as its directory and namespace.' }),
    skills: Type.Optional(
      Type.Array(namedContent('skill', '`<plugin>/skills/<name>/SKILL.md`'), { description: 'Skills.' }),
    ),
    agents: Type.Optional(
      Type.Array(namedContent('sub-agent', '`<plugin>/agents/<name>.md`'), { description: 'Sub-agents.' }),
    ),
  },
  { description: 'A bundle of skills and sub-agents.' },
);
export type Plugin = Static<typeof PluginSchema>;

export const SkillsShSchema = Type.Object(
  {
    source: Type.String({ minLength: 1, description: 'skills.sh package, `owner/repo`.' }),
    skill: Type.Optional(Type.String({ description: 'Install only this skill of the package.' })),
  },
  { description: 'A skills.sh package installed with `npx skills add`.' },
);
export type SkillsSh = Static<typeof SkillsShSchema>;

const secretSource = (what: string) =>
  Type.Object(
    {
      secretRef: Type.Object(SecretReferenceSchema.properties, {
        description: `Secret whose keys become ${what}.`,
      }),
    },
    { description: `${what} taken from a Secret; they win over inline values.` },
  );

export const MCP_SERVER_TYPES = ['stdio', 'http', 'sse'] as const;

export const MCPServerSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Key of the server in the `mcpServers` JSON.' }),
    type: StringEnum(MCP_SERVER_TYPES, { description: 'Transport of the server.' }),
    command: Type.Optional(Type.String({ description: 'Command to start the server (stdio).' })),
    args: Type.Optional(Type.Array(Type.String(), { description: 'Arguments of the command (stdio).' })),
    url: Type.Optional(Type.String({ description: 'Server URL (http, sse).' })),
    headers: Type.Optional(StringMap({ description: 'HTTP headers (http, sse).' })),
    headersFrom: Type.Optional(secretSource('HTTP headers')),
    env: Type.Optional(StringMap({ description: 'Env vars of the server process (stdio).' })),
    envFrom: Type.Optional(secretSource('env vars')),
  },
  { description: 'An MCP server made available to the agent.' },
);
export type MCPServer = Static<typeof MCPServerSchema>;

export const AgentConfigSpecSchema = Type.Object(
  {
    agentsMD: Type.Optional(
      Type.String({
        description: "Instructions written to the agent's user-level file (e.g. `~/.claude/CLAUDE.md`).",
      }),
    ),
    plugins: Type.Optional(Type.Array(PluginSchema, { description: 'Plugins with skills and sub-agents.' })),
    skills: Type.Optional(Type.Array(SkillsShSchema, { description: 'skills.sh packages.' })),
    mcpServers: Type.Optional(Type.Array(MCPServerSchema, { description: 'MCP servers.' })),
  },
  { description: 'Reusable instructions, plugins, skills and MCP servers injected into Task runs.' },
);
export type AgentConfigSpec = Static<typeof AgentConfigSpecSchema>;

export type AgentConfig = KubeObject<'AgentConfig', AgentConfigSpec>;
