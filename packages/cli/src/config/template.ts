import type { KelosConfig } from './config.js';

/** Where to get each agent's credentials: for the template and for init's next steps (cli spec §3). */
export const CREDENTIAL_SOURCES: readonly { agent: string; how: string }[] = [
  { agent: 'Claude Code (OAuth token)', how: 'run `claude setup-token`' },
  { agent: 'Claude Code (API key)', how: 'https://console.anthropic.com/settings/keys' },
  { agent: 'Codex (API key)', how: 'https://platform.openai.com/api-keys' },
  { agent: 'Codex (OAuth)', how: 'run `codex auth login`, then use oauthToken: "@~/.codex/auth.json"' },
  { agent: 'Gemini (API key)', how: 'https://aistudio.google.com/apikey' },
  {
    agent: 'OpenCode (API key)',
    how: "depends on OpenCode's provider, see https://opencode.ai/docs/providers",
  },
  { agent: 'Cursor (API key)', how: 'the Integrations tab of https://cursor.com/dashboard' },
];

/** A YAML scalar: JSON's double-quoted strings are valid YAML and need no further escaping rules. */
const q = (value: string) => JSON.stringify(value);

/** `key: value` when set, else the commented example. */
function line(key: string, value: string | undefined, example: string, comment = ''): string {
  const suffix = comment ? `  # ${comment}` : '';
  return value === undefined ? `# ${key}: ${example}${suffix}` : `${key}: ${q(value)}${suffix}`;
}

function credentialSection(c: KelosConfig): string[] {
  const lines = [
    '# --- Agent credentials: set one of oauthToken or apiKey ---',
    '# `kelos run` stores it in Secret kelos-credentials under the key the agent reads. Where to get one:',
    ...CREDENTIAL_SOURCES.map((s) => `#   ${`${s.agent}:`.padEnd(28)}${s.how}`),
  ];
  const none =
    c.oauthToken === undefined &&
    c.apiKey === undefined &&
    c.secret === undefined &&
    c.credentialType === undefined;
  // The plain template keeps the reference's one active key: an empty oauthToken to fill in.
  lines.push(none ? 'oauthToken: ""' : line('oauthToken', c.oauthToken, '""'));
  lines.push(line('apiKey', c.apiKey, '""'));
  return lines;
}

function workspaceSection(c: KelosConfig): string[] {
  const w = c.workspace;
  const lines = ['# --- Workspace: the git repository agents work in ---'];
  if (w?.name) return [...lines, 'workspace:', `  name: ${q(w.name)}`];
  if (w?.repo) {
    lines.push('workspace:', `  repo: ${q(w.repo)}`);
    lines.push(w.ref ? `  ref: ${q(w.ref)}` : '  # ref: main');
    lines.push(
      w.token
        ? `  token: ${q(w.token)}  # stored in Secret kelos-workspace-credentials`
        : '  # token: ""  # GitHub token, stored in Secret kelos-workspace-credentials',
    );
    return lines;
  }
  return [
    ...lines,
    '# An existing Workspace:',
    '# workspace:',
    '#   name: my-workspace',
    '# Or a repository, for which `kelos run` manages Workspace kelos-workspace:',
    '# workspace:',
    '#   repo: https://github.com/owner/repo.git',
    '#   ref: main',
    '#   token: ""  # GitHub token, stored in Secret kelos-workspace-credentials',
    '# Or the same with a GitHub App instead of a token:',
    '# workspace:',
    '#   repo: https://github.com/owner/repo.git',
    '#   githubApp:',
    '#     appID: "12345"',
    '#     installationID: "67890"',
    '#     privateKeyPath: ~/.config/kelos/github-app.pem',
  ];
}

function envSection(c: KelosConfig): string[] {
  const lines = [
    '# --- Env vars for the agent (`kelos run --env` overrides a var of the same name) ---',
    "# Secret and ConfigMap references resolve in the Task's namespace.",
  ];
  if (c.env?.length) {
    lines.push('env:');
    for (const v of c.env) lines.push(`  - name: ${q(v.name)}`, `    value: ${q(v.value ?? '')}`);
    return lines;
  }
  return [
    ...lines,
    '# env:',
    '#   - name: LOG_LEVEL',
    '#     value: debug',
    '#   - name: AWS_SECRET_ACCESS_KEY',
    '#     valueFrom:',
    '#       secretKeyRef:',
    '#         name: aws-credentials',
    '#         key: secret-access-key',
  ];
}

/**
 * The file `kelos init` writes: every key of cli spec §2.1, active where `config` sets it and as a
 * commented example otherwise, so the file documents what it could hold.
 */
export function renderConfigFile(c: KelosConfig = {}): string {
  const sections = [
    [
      '# Kelos CLI configuration: defaults for `kelos run`; command-line flags take precedence.',
      '# A value starting with @ is read from a file (~ is expanded), e.g. apiKey: "@~/.secrets/anthropic".',
    ],
    credentialSection(c),
    [
      '# --- Agent ---',
      line('type', c.type, 'claude-code', 'claude-code, codex, gemini, opencode or cursor'),
      line('model', c.model, '""', "empty: the agent's default"),
      line('effort', c.effort, '""', 'reasoning effort hint'),
    ],
    [
      '# --- Namespace of every command (below -n, above the kubeconfig context namespace) ---',
      line('namespace', c.namespace, 'default'),
    ],
    workspaceSection(c),
    ['# --- AgentConfig injected into every run ---', line('agentConfig', c.agentConfig, 'my-agent-config')],
    envSection(c),
    [
      '# --- Advanced: a Secret you created yourself, instead of oauthToken or apiKey ---',
      line('secret', c.secret, 'my-agent-credentials'),
      line('credentialType', c.credentialType, 'api-key', 'api-key, oauth or none'),
    ],
  ];
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
