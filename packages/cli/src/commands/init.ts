import { Command, Option } from 'commander';
import type { KelosConfig } from '../config/config.js';
import { CommandContext, note, out } from '../context.js';
import { AGENT_TYPES, CREDENTIAL_TYPES } from '../enums.js';
import { CliError, UsageError } from '../errors.js';
import { collect } from './common.js';

interface InitOptions {
  force?: boolean;
  interactive: boolean;
  type?: string;
  oauthToken?: string;
  apiKey?: string;
  secret?: string;
  credentialType?: string;
  model?: string;
  effort?: string;
  workspace?: string;
  workspaceRepo?: string;
  workspaceRef?: string;
  workspaceToken?: string;
  agentConfig?: string;
  env?: string[];
}

/** The config the flags describe; undefined when no flag says anything about the content. */
function configFromFlags(
  o: InitOptions,
  namespace: string | undefined,
  command: Command,
): KelosConfig | undefined {
  const fail = (message: string) => {
    throw new UsageError(message, command);
  };
  if (o.oauthToken !== undefined && o.apiKey !== undefined)
    fail('cannot specify both --oauth-token and --api-key');
  if (o.secret && (o.oauthToken !== undefined || o.apiKey !== undefined)) {
    fail('cannot specify --secret with --oauth-token or --api-key');
  }
  const tokenType = o.oauthToken !== undefined ? 'oauth' : o.apiKey !== undefined ? 'api-key' : undefined;
  if (tokenType && o.credentialType && o.credentialType !== tokenType) {
    fail(
      `--credential-type ${o.credentialType} conflicts with --${tokenType === 'oauth' ? 'oauth-token' : 'api-key'}`,
    );
  }
  if (o.workspace && o.workspaceRepo) fail('cannot specify both --workspace and --workspace-repo');
  if ((o.workspaceRef || o.workspaceToken) && !o.workspaceRepo) {
    fail('--workspace-ref and --workspace-token need --workspace-repo');
  }
  const config: KelosConfig = {};
  if (o.oauthToken !== undefined) config.oauthToken = o.oauthToken;
  if (o.apiKey !== undefined) config.apiKey = o.apiKey;
  if (o.secret) config.secret = o.secret;
  // With a token the type is implied; the key is for a Secret, or `none` alone.
  if (o.credentialType && !tokenType) config.credentialType = o.credentialType;
  if (o.type) config.type = o.type;
  if (o.model) config.model = o.model;
  if (o.effort) config.effort = o.effort;
  if (namespace) config.namespace = namespace;
  if (o.workspace) config.workspace = { name: o.workspace };
  if (o.workspaceRepo) {
    config.workspace = {
      repo: o.workspaceRepo,
      ...(o.workspaceRef ? { ref: o.workspaceRef } : {}),
      ...(o.workspaceToken ? { token: o.workspaceToken } : {}),
    };
  }
  if (o.agentConfig) config.agentConfig = o.agentConfig;
  if (o.env?.length) {
    config.env = o.env.map((v) => {
      const at = v.indexOf('=');
      if (at <= 0) fail(`invalid --env value "${v}": must be NAME=VALUE`);
      return { name: v.slice(0, at), value: v.slice(at + 1) };
    });
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

/** `@file` values are read when `kelos run` needs them; a missing file is worth a warning now. */
async function warnMissingFiles(config: KelosConfig): Promise<void> {
  const [{ existsSync }, { expandHome }] = await Promise.all([import('node:fs'), import('../util/paths.js')]);
  for (const [key, value] of [
    ['oauthToken', config.oauthToken],
    ['apiKey', config.apiKey],
    ['workspace.token', config.workspace?.token],
  ] as const) {
    if (value?.startsWith('@') && !existsSync(expandHome(value.slice(1)))) {
      note(`Warning: ${key} refers to ${value.slice(1)}, which does not exist yet`);
    }
  }
}

async function init(options: InitOptions, command: Command): Promise<void> {
  const ctx = new CommandContext(command);
  const path = ctx.configPath;
  const [fs, { dirname }] = await Promise.all([import('node:fs'), import('node:path')]);
  // Checked before any question, so nobody answers them for nothing (spec README, bug 9).
  if (!options.force && fs.existsSync(path)) {
    throw new CliError(`config file already exists: ${path} (use --force to overwrite)`);
  }
  let config = configFromFlags(options, ctx.globals.namespace, command);
  const interactive = !config && options.interactive && process.stdin.isTTY === true;
  if (interactive) {
    const { askConfig } = await import('../config/questions.js');
    config = await askConfig(ctx.globals.namespace ? { namespace: ctx.globals.namespace } : {});
  }
  const { renderConfigFile } = await import('../config/template.js');
  fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(path, renderConfigFile(config), { mode: 0o600, flag: options.force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(`config file already exists: ${path} (use --force to overwrite)`);
    }
    throw new CliError(`writing ${path}: ${(err as Error).message}`);
  }
  // The mode given to writeFileSync applies only to a new file; an overwritten one keeps its own.
  fs.chmodSync(path, 0o600);
  if (config) await warnMissingFiles(config);
  out(`Config file created: ${path}`);
  out('');
  const { nextSteps } = await import('../config/next-steps.js');
  process.stdout.write(nextSteps(config ?? {}, path));
}

export function initCommand(): Command {
  return new Command('init')
    .description('Write a config file (~/.kelos/config.yaml): interactively on a terminal, or from flags')
    .option('-f, --force', 'overwrite an existing config file')
    .option('--no-interactive', 'do not ask questions, even on a terminal')
    .addOption(new Option('-t, --type <type>', 'agent type').choices(AGENT_TYPES))
    .option('--oauth-token <token>', 'OAuth token, or @file (e.g. @~/.codex/auth.json)')
    .option('--api-key <key>', 'API key, or @file')
    .option('--secret <name>', 'use a credential Secret you created instead of a token')
    .addOption(
      new Option('--credential-type <type>', 'what --secret holds; "none" for no credentials').choices(
        CREDENTIAL_TYPES,
      ),
    )
    .option('--model <model>', 'default model')
    .option('--effort <effort>', 'default reasoning effort')
    .option('--workspace <name>', 'existing Workspace to work in')
    .option('--workspace-repo <url>', 'git repository to work in')
    .option('--workspace-ref <ref>', 'branch, tag or commit of --workspace-repo')
    .option('--workspace-token <token>', 'GitHub token for --workspace-repo, or @file')
    .option('--agent-config <name>', 'AgentConfig to inject into every run')
    .addOption(new Option('--env <NAME=VALUE>', 'env var for the agent (repeatable)').argParser(collect))
    .addHelpText(
      'after',
      "\nThe global -n/--namespace sets the config file's namespace. Without flags, on a terminal, init asks;\notherwise it writes a commented template to fill in.",
    )
    .action((options: InitOptions, command: Command) => init(options, command));
}
