import type { KelosConfig } from './config.js';
import { CREDENTIAL_SOURCES } from './template.js';

const AGENT_LABELS: Record<string, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  gemini: 'Gemini',
  opencode: 'OpenCode',
  cursor: 'Cursor',
};

/** The credential step, for the credentials the file ended up with (cli spec §3, "Next steps"). */
function credentialStep(c: KelosConfig, path: string): string[] | undefined {
  if ((c.oauthToken ?? c.apiKey ?? '') !== '') return undefined;
  if (c.secret) {
    return [
      `Make sure Secret ${c.secret} exists in the namespace you run tasks in, with the key your agent reads`,
      '(e.g. ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN for Claude Code).',
    ];
  }
  if (c.credentialType === 'none') {
    return [
      "Give the agent its provider's credentials through env in the config file, or `kelos run --env`.",
    ];
  }
  const label = c.type ? AGENT_LABELS[c.type] : undefined;
  // An empty key in a file written with flags still says which kind of credential is wanted.
  const wanted = c.apiKey !== undefined ? '(API key)' : c.oauthToken !== undefined ? '(OAuth' : '';
  const sources = CREDENTIAL_SOURCES.filter(
    (s) => (!label || s.agent.startsWith(label)) && (!wanted || s.agent.includes(wanted)),
  );
  return [
    'Get your agent credentials:',
    ...(sources.length ? sources : CREDENTIAL_SOURCES).map((s) => `- ${s.agent}: ${s.how}`),
    `Put the token or key in ${path} (oauthToken or apiKey).`,
  ];
}

/** What to do after `kelos init`, numbered, for the credentials chosen. */
export function nextSteps(c: KelosConfig, path: string): string {
  const steps: string[][] = [];
  const credentials = credentialStep(c, path);
  if (credentials) steps.push(credentials);
  steps.push([`Review ${path} (every option is described there).`]);
  steps.push(['Install Kelos into your cluster, if it is not there yet: kelos install']);
  steps.push([
    'Run a task and follow it:',
    'kelos run -p "Create a hello world program in Python"',
    'kelos logs <task-name> -f',
  ]);
  const lines = steps.flatMap(([first, ...rest], i) => [
    `  ${i + 1}. ${first}`,
    ...rest.map((l) => `       ${l}`),
  ]);
  return `Next steps:\n${lines.join('\n')}\n`;
}
