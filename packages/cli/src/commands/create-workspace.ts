import { Command } from 'commander';
import { CommandContext, out } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { requiredName } from './common.js';

interface CreateWorkspaceOptions {
  repo: string;
  ref?: string;
  secret?: string;
  token?: string;
  dryRun?: boolean;
  yes?: boolean;
}

async function createWorkspace(options: CreateWorkspaceOptions, command: Command): Promise<void> {
  const name = requiredName(command, 'workspace');
  if (options.secret && options.token)
    throw new UsageError('cannot specify both --secret and --token', command);
  const ctx = new CommandContext(command);
  const [{ assertValid }, { isNotFound }] = await Promise.all([
    import('../validate.js'),
    import('../kube/errors.js'),
  ]);
  // A token goes into a Secret of its own, named after the Workspace (cli spec §6.1).
  const secret = options.token ? `${name}-credentials` : options.secret;
  const workspace = {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace' as const,
    metadata: { name, namespace: await ctx.namespace({ offline: options.dryRun === true }) },
    spec: {
      repo: options.repo,
      ...(options.ref ? { ref: options.ref } : {}),
      ...(secret ? { secretRef: { name: secret } } : {}),
    },
  };
  assertValid(workspace);
  if (options.dryRun) {
    const { toYaml } = await import('../output/yaml.js');
    process.stdout.write(toYaml(workspace));
    return;
  }
  const namespace = workspace.metadata.namespace;
  const kelos = await ctx.kelos();
  // Fail on an existing Workspace before touching its Secret.
  const existing = await kelos.get('Workspace', namespace, name).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (existing) {
    throw new CliError(
      `workspace/${name} already exists in namespace ${namespace}`,
      `Delete it first with 'kelos delete workspace ${name}', or choose another name.`,
    );
  }
  if (options.token && secret) {
    const [{ ensureSecret }, { resolveContent }] = await Promise.all([
      import('../kube/secrets.js'),
      import('../util/content.js'),
    ]);
    const token = resolveContent(options.token, '--token');
    await ensureSecret(
      await ctx.kube(),
      namespace,
      secret,
      { GITHUB_TOKEN: token },
      { yes: options.yes === true },
    );
  }
  await kelos.create('Workspace', workspace);
  out(`workspace/${name} created`);
}

export function createWorkspaceCommand(): Command {
  return new Command('workspace')
    .alias('ws')
    .description('Create a Workspace: a git repository agents work in')
    .argument('[name]', 'workspace name')
    .allowExcessArguments()
    .requiredOption('--repo <url>', 'git URL to clone (https, git or ssh)')
    .option('--ref <ref>', 'branch, tag or commit to check out (default: the remote default branch)')
    .option('--secret <name>', 'existing Secret with a GITHUB_TOKEN key')
    .option('--token <token>', 'GitHub token (or @file), stored in Secret <name>-credentials')
    .option('--dry-run', 'print the Workspace YAML and create nothing')
    .option('-y, --yes', 'replace a differing token Secret without asking')
    .action((_name: unknown, options: CreateWorkspaceOptions, command: Command) =>
      createWorkspace(options, command),
    );
}
