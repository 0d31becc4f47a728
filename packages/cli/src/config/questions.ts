import inquirer from 'inquirer';
import { AGENT_TYPES } from '../enums.js';
import { CliError } from '../errors.js';
import type { KelosConfig } from './config.js';

type Credential = 'oauth' | 'api-key' | 'secret' | 'none';

const GIT_URL = /^(https?:\/\/|git:\/\/|git@)/;

/** The credential kinds worth offering: only Claude Code and Codex have an OAuth login of their own. */
function credentialChoices(type: string): { name: string; value: Credential }[] {
  const oauth =
    type === 'claude-code'
      ? [{ name: 'OAuth token (from `claude setup-token`)', value: 'oauth' as const }]
      : type === 'codex'
        ? [{ name: 'ChatGPT login (~/.codex/auth.json from `codex auth login`)', value: 'oauth' as const }]
        : [];
  return [
    ...oauth,
    { name: 'API key', value: 'api-key' },
    { name: 'A Secret I created myself', value: 'secret' },
    { name: 'None (I will pass provider env vars)', value: 'none' },
  ];
}

/**
 * `kelos init` on a terminal without flags: asks for what the template would otherwise leave empty.
 * Prompts go to stderr, so stdout carries only the result.
 */
export async function askConfig(defaults: { namespace?: string }): Promise<KelosConfig> {
  const prompt = inquirer.createPromptModule({ output: process.stderr });
  try {
    const config: KelosConfig = {};
    const { type } = await prompt<{ type: string }>([
      {
        type: 'select',
        name: 'type',
        message: 'Agent type',
        choices: [...AGENT_TYPES],
        default: 'claude-code',
      },
    ]);
    config.type = type;
    const { credential } = await prompt<{ credential: Credential }>([
      { type: 'select', name: 'credential', message: 'Credentials', choices: credentialChoices(type) },
    ]);
    if (credential === 'oauth' || credential === 'api-key') {
      const codexLogin = type === 'codex' && credential === 'oauth';
      const { value } = await prompt<{ value: string }>([
        codexLogin
          ? {
              type: 'input',
              name: 'value',
              message: 'Path of auth.json (as @path)',
              default: '@~/.codex/auth.json',
            }
          : {
              type: 'password',
              name: 'value',
              mask: '*',
              message: `${credential === 'oauth' ? 'OAuth token' : 'API key'} (or @path of a file; empty to fill in later)`,
            },
      ]);
      if (credential === 'oauth') config.oauthToken = value;
      else config.apiKey = value;
    } else if (credential === 'secret') {
      const answers = await prompt<{ secret: string; credentialType: string }>([
        {
          type: 'input',
          name: 'secret',
          message: 'Secret name',
          validate: (v: string) => v.trim() !== '' || 'required',
        },
        { type: 'select', name: 'credentialType', message: 'What it holds', choices: ['api-key', 'oauth'] },
      ]);
      config.secret = answers.secret.trim();
      config.credentialType = answers.credentialType;
    } else {
      config.credentialType = 'none';
    }
    const { model, namespace, workspace } = await prompt<{
      model: string;
      namespace: string;
      workspace: string;
    }>([
      { type: 'input', name: 'model', message: "Model (empty: the agent's default)" },
      {
        type: 'input',
        name: 'namespace',
        message: "Namespace (empty: the kubeconfig context's)",
        default: defaults.namespace ?? '',
      },
      {
        type: 'select',
        name: 'workspace',
        message: 'Repository to work in',
        choices: [
          { name: 'None for now', value: 'none' },
          { name: 'A git repository URL', value: 'repo' },
          { name: 'An existing Workspace', value: 'name' },
        ],
      },
    ]);
    if (model.trim()) config.model = model.trim();
    if (namespace.trim()) config.namespace = namespace.trim();
    if (workspace === 'repo') {
      const repo = await prompt<{ repo: string; ref: string; token: string }>([
        {
          type: 'input',
          name: 'repo',
          message: 'Repository URL',
          validate: (v: string) => GIT_URL.test(v.trim()) || 'an https://, git:// or git@ URL',
        },
        { type: 'input', name: 'ref', message: 'Branch, tag or commit (empty: the default branch)' },
        {
          type: 'password',
          name: 'token',
          mask: '*',
          message: 'GitHub token (empty: none, or fill in later)',
        },
      ]);
      config.workspace = {
        repo: repo.repo.trim(),
        ...(repo.ref.trim() ? { ref: repo.ref.trim() } : {}),
        ...(repo.token ? { token: repo.token } : {}),
      };
    } else if (workspace === 'name') {
      const { name } = await prompt<{ name: string }>([
        {
          type: 'input',
          name: 'name',
          message: 'Workspace name',
          validate: (v: string) => v.trim() !== '' || 'required',
        },
      ]);
      config.workspace = { name: name.trim() };
    }
    return config;
  } catch (err) {
    // Ctrl-C or a closed terminal: inquirer's ExitPromptError.
    if (err instanceof Error && err.name === 'ExitPromptError') throw new CliError('aborted');
    throw err;
  }
}
