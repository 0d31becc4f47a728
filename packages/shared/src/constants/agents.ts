/** The bundled agent types and how each receives its credentials (spec §4.1). */
export const AGENT_TYPES = ['claude-code', 'codex', 'gemini', 'opencode', 'cursor'] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

export const CREDENTIAL_TYPES = ['api-key', 'oauth', 'none'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export interface AgentTypeInfo {
  /** Image used when `spec.image` is empty; the controller adds its version tag. */
  readonly defaultImage: string;
  /** Env var (and Secret key) carrying an API key. */
  readonly apiKeyEnv: string;
  /** Env var (and Secret key) carrying an OAuth token. */
  readonly oauthEnv: string;
}

export const AGENT_TYPE_INFO: Readonly<Record<AgentType, AgentTypeInfo>> = {
  'claude-code': {
    defaultImage: 'ghcr.io/kelos-dev/claude-code',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    oauthEnv: 'CLAUDE_CODE_OAUTH_TOKEN',
  },
  codex: { defaultImage: 'ghcr.io/kelos-dev/codex', apiKeyEnv: 'CODEX_API_KEY', oauthEnv: 'CODEX_AUTH_JSON' },
  gemini: {
    defaultImage: 'ghcr.io/kelos-dev/gemini',
    apiKeyEnv: 'GEMINI_API_KEY',
    oauthEnv: 'GEMINI_API_KEY',
  },
  opencode: {
    defaultImage: 'ghcr.io/kelos-dev/opencode',
    apiKeyEnv: 'OPENCODE_API_KEY',
    oauthEnv: 'OPENCODE_API_KEY',
  },
  cursor: {
    defaultImage: 'ghcr.io/kelos-dev/cursor',
    apiKeyEnv: 'CURSOR_API_KEY',
    oauthEnv: 'CURSOR_API_KEY',
  },
};

/** The env var name a credential Secret key must have for this agent and credential type. */
export function credentialEnvName(type: AgentType, credentials: CredentialType): string | undefined {
  if (credentials === 'none') return undefined;
  const info = AGENT_TYPE_INFO[type];
  return credentials === 'api-key' ? info.apiKeyEnv : info.oauthEnv;
}

export function isAgentType(value: string): value is AgentType {
  return (AGENT_TYPES as readonly string[]).includes(value);
}
