import type { Task } from '@kelos/shared';
import { Command, Option } from 'commander';
import { completeOptionNames } from '../completion/registry.js';
import { CommandContext, out } from '../context.js';
import { AGENT_TYPES, CREDENTIAL_TYPES } from '../enums.js';
import { CliError, UsageError } from '../errors.js';
import type { KelosClient } from '../kube/kelos.js';
import { collect } from './common.js';

interface RunOptions {
  prompt?: string;
  promptFile?: string;
  type: string;
  secret?: string;
  credentialType: string;
  model?: string;
  effort?: string;
  image?: string;
  name?: string;
  workspace?: string;
  workspaceRepo?: string;
  workspaceRef?: string;
  agentConfig?: string[];
  dependsOn?: string[];
  branch?: string;
  ttl?: string;
  timeout?: string;
  env?: string[];
  watch?: boolean;
  waitTimeout?: string;
  dryRun?: boolean;
  yes?: boolean;
  from?: string;
  values?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `-p`, or `--prompt-file` (a path with `~`, or `-` for stdin), trailing newlines trimmed. */
async function readPrompt(options: RunOptions, command: Command): Promise<string> {
  if (options.prompt !== undefined && options.promptFile !== undefined) {
    throw new UsageError('cannot specify both --prompt and --prompt-file', command);
  }
  if (options.promptFile !== undefined) {
    const { resolveContent } = await import('../util/content.js');
    const text =
      options.promptFile === '-'
        ? (await readStdin()).replace(/[\r\n]+$/, '')
        : resolveContent(`@${options.promptFile}`, 'prompt');
    if (text.trim() === '') throw new CliError('prompt file is empty');
    return text;
  }
  if (options.prompt === undefined || options.prompt === '') {
    throw new UsageError('either --prompt or --prompt-file is required', command);
  }
  return options.prompt;
}

/** A flag's value when the user gave it, else undefined (so the config's default applies). */
function explicit(command: Command, key: keyof RunOptions): string | undefined {
  const source = command.getOptionValueSource(key);
  return source === 'cli' ? (command.getOptionValue(key) as string) : undefined;
}

async function printTask(task: Task): Promise<void> {
  const { toYaml } = await import('../output/yaml.js');
  process.stdout.write(toYaml(task));
}

/** Creates the Task and, with --watch, follows it to the end (cli spec §5.2 steps 8–9). */
async function createAndWatch(
  kelos: KelosClient,
  ctx: CommandContext,
  task: Task,
  options: RunOptions,
  waitTimeoutSeconds: number | undefined,
): Promise<void> {
  const namespace = task.metadata.namespace as string;
  const name = task.metadata.name as string;
  await kelos.create('Task', task);
  out(`task/${name} created`);
  if (!options.watch) return;

  const { watchTask } = await import('../run/watch.js');
  const style = await ctx.style('stdout');
  const colour = (phase: string) =>
    phase === 'Succeeded' ? style.green(phase) : phase === 'Failed' ? style.red(phase) : phase;
  await watchTask(kelos, namespace, name, {
    ...(waitTimeoutSeconds !== undefined
      ? { timeoutMs: waitTimeoutSeconds * 1000, timeoutText: options.waitTimeout }
      : {}),
    onPhase: (phase) => out(`task/${name} ${colour(phase)}`),
  });
}

/**
 * `run --from taskspawner/<name>` (cli spec §5.3): one Task from a TaskSpawner's template, now, whatever
 * the spawner's schedule, suspension or limits.
 */
async function runFrom(options: RunOptions, from: string, command: Command): Promise<void> {
  const [fromSpawner, { randomNameSuffix }, { parseValuesFile }, { durationSeconds }] = await Promise.all([
    import('../run/from-spawner.js'),
    import('../run/options.js'),
    import('../run/values-file.js'),
    import('../util/duration.js'),
  ]);
  for (const [key, flag] of fromSpawner.FLAGS_FORBIDDEN_WITH_FROM) {
    if (command.getOptionValueSource(key) === 'cli') {
      throw new UsageError(`--${flag} cannot be used with --from`, command);
    }
  }
  const spawnerName = fromSpawner.parseFromRef(from);
  const waitTimeoutSeconds =
    options.waitTimeout === undefined ? undefined : durationSeconds('--wait-timeout', options.waitTimeout, 1);
  const values =
    options.values === undefined
      ? {}
      : parseValuesFile(options.values, options.values === '-' ? await readStdin() : undefined);

  const ctx = new CommandContext(command);
  const kelos = await ctx.kelos();
  const namespace = await ctx.namespace();
  const spawner = await kelos.get('TaskSpawner', namespace, spawnerName);
  const suffix = randomNameSuffix();
  const now = new Date();
  const vars = fromSpawner.manualTemplateVars(spawner, suffix, now, values);
  const sources = spawner.spec.taskTemplate.contextSources ?? [];
  if (sources.length > 0) {
    const [{ fetchContextSources }, { secretKeyReader }, rest] = await Promise.all([
      import('@kelos/shared/context-sources'),
      import('../run/secret-reader.js'),
      ctx.rest(),
    ]);
    try {
      vars.Context = await fetchContextSources(sources, vars, {
        readSecretKey: secretKeyReader(rest, namespace),
        onIgnoredFailure: (_source, err) => process.stderr.write(`Warning: ${err.message}\n`),
      });
    } catch (err) {
      throw new CliError(`taskspawner/${spawnerName}: fetching context sources: ${(err as Error).message}`);
    }
  }
  const { SpawnerTemplateError } = await import('@kelos/shared/taskspawner');
  let task: Task;
  try {
    task = fromSpawner.buildManualTask(spawner, vars, {
      name: options.name ?? fromSpawner.manualTaskName(spawnerName, suffix),
      now,
    });
  } catch (err) {
    if (!(err instanceof SpawnerTemplateError)) throw err;
    throw new CliError(
      `taskspawner/${spawnerName}: ${err.message}`,
      'A manual run has only ID, Title, Kind, TriggerType and TriggerTime (and Time, Schedule for cron); give other values in a file with --values.',
    );
  }
  const { assertValid } = await import('../validate.js');
  assertValid(task);
  if (options.dryRun) return printTask(task);
  await createAndWatch(kelos, ctx, task, options, waitTimeoutSeconds);
}

async function run(options: RunOptions, command: Command): Promise<void> {
  if (options.waitTimeout !== undefined && !options.watch) {
    throw new UsageError('--wait-timeout requires --watch', command);
  }
  if (options.values !== undefined && options.from === undefined) {
    throw new UsageError('--values requires --from', command);
  }
  if (options.from !== undefined) return runFrom(options, options.from, command);
  if (options.workspace && options.workspaceRepo) {
    throw new UsageError('cannot specify both --workspace and --workspace-repo', command);
  }
  const ctx = new CommandContext(command);
  const [
    { generateTaskName, mergeEnv, parseEnvFlag },
    { durationSeconds },
    { chooseCredentials },
    { buildTask },
    { assertValid },
  ] = await Promise.all([
    import('../run/options.js'),
    import('../util/duration.js'),
    import('../run/credentials.js'),
    import('../run/build-task.js'),
    import('../validate.js'),
  ]);
  // The command line first: a wrong flag is a usage error, whatever the config says.
  const envFlags = (options.env ?? []).map(parseEnvFlag);
  const seconds = (flag: string, value: string | undefined, min: number) =>
    value === undefined ? undefined : durationSeconds(flag, value, min);
  const ttlSeconds = seconds('--ttl', options.ttl, 0);
  const timeoutSeconds = seconds('--timeout', options.timeout, 1);
  const waitTimeoutSeconds = seconds('--wait-timeout', options.waitTimeout, 1);
  const prompt = await readPrompt(options, command);
  const config = await ctx.config();
  const type = explicit(command, 'type') ?? config.type ?? options.type;
  const credentials = chooseCredentials(
    { secret: options.secret, credentialType: explicit(command, 'credentialType') },
    config,
    type,
  );

  // The Workspace: --workspace > --workspace-repo > config workspace.name > config workspace.repo.
  const inline = options.workspaceRepo
    ? { ...config.workspace, repo: options.workspaceRepo, ref: options.workspaceRef }
    : !options.workspace && !config.workspace?.name && config.workspace?.repo
      ? {
          ...config.workspace,
          repo: config.workspace.repo,
          ref: options.workspaceRef ?? config.workspace.ref,
        }
      : undefined;
  if (options.workspaceRef && !inline) {
    throw new UsageError(
      '--workspace-ref needs --workspace-repo (or workspace.repo in the config file)',
      command,
    );
  }
  const { INLINE_WORKSPACE, inlineWorkspaceSpec } = await import('../run/workspace.js');
  if (inline) inlineWorkspaceSpec(inline);
  const workspace = inline ? INLINE_WORKSPACE : (options.workspace ?? config.workspace?.name);

  const task = buildTask({
    name: options.name ?? generateTaskName(),
    namespace: await ctx.namespace({ offline: options.dryRun === true }),
    type,
    prompt,
    credentials,
    model: options.model ?? config.model,
    effort: options.effort ?? config.effort,
    image: options.image,
    workspace,
    agentConfigs: options.agentConfig ?? (config.agentConfig ? [config.agentConfig] : []),
    dependsOn: options.dependsOn ?? [],
    branch: options.branch,
    ttlSeconds,
    timeoutSeconds,
    env: mergeEnv(config.env ?? [], envFlags),
  });
  assertValid(task);
  if (options.dryRun) return printTask(task);

  const namespace = task.metadata.namespace as string;
  const kelos = await ctx.kelos();
  const yes = options.yes === true;
  // Secrets go through client-node, loaded only when there is one to write.
  if (credentials.secret && credentials.secretData) {
    const { ensureSecret } = await import('../kube/secrets.js');
    const kube = await ctx.kube();
    const result = await ensureSecret(kube, namespace, credentials.secret, credentials.secretData, { yes });
    ctx.debug(`secret/${credentials.secret}: ${result}`);
  }
  if (inline) {
    const { ensureInlineWorkspace } = await import('../run/workspace.js');
    await ensureInlineWorkspace(() => ctx.kube(), kelos, namespace, inline, { yes });
  }
  await createAndWatch(kelos, ctx, task, options, waitTimeoutSeconds);
}

export function runCommand(): Command {
  return new Command('run')
    .description('Create a Task that runs an agent on a prompt')
    .option('-p, --prompt <text>', 'what the agent should do')
    .option('--prompt-file <path>', 'read the prompt from a file, or from stdin with "-"')
    .addOption(
      new Option('-t, --type <type>', 'agent type (config: type)')
        .choices(AGENT_TYPES)
        .default('claude-code'),
    )
    .option('--secret <name>', 'existing Secret with the agent credential (config: secret)')
    .addOption(
      new Option('--credential-type <type>', 'credential type of the Secret (config: credentialType)')
        .choices(CREDENTIAL_TYPES)
        .default('api-key'),
    )
    .option('--model <model>', 'model the agent uses (config: model)')
    .option('--effort <effort>', 'reasoning effort hint (config: effort)')
    .option('--image <image>', 'custom agent image')
    .option('--name <name>', 'task name (default: task-<5 random characters>)')
    .addOption(
      completeOptionNames(
        new Option('--workspace <name>', 'existing Workspace to work in (config: workspace.name)'),
        'Workspace',
      ),
    )
    .option(
      '--workspace-repo <url>',
      'work in this git repository, through Workspace kelos-workspace (config: workspace.repo)',
    )
    .option('--workspace-ref <ref>', 'branch, tag or commit of --workspace-repo (config: workspace.ref)')
    .addOption(
      completeOptionNames(
        new Option(
          '--agent-config <name>',
          'AgentConfig to inject (repeatable; config: agentConfig)',
        ).argParser(collect),
        'AgentConfig',
      ),
    )
    .addOption(
      completeOptionNames(
        new Option('--depends-on <task>', 'task that must succeed first (repeatable)').argParser(collect),
        'Task',
      ),
    )
    .option('--branch <branch>', 'git branch the agent works on')
    .option('--ttl <duration>', 'delete the task this long after it finishes (e.g. 1h)')
    .option('--timeout <duration>', "deadline of the agent's run (e.g. 30m)")
    .addOption(
      new Option('--env <NAME=VALUE>', 'env var for the agent (repeatable; config: env)').argParser(collect),
    )
    .option('-w, --watch', 'follow the task until it finishes; exit 1 if it fails')
    .option('--wait-timeout <duration>', 'with --watch: stop waiting after this long (exit 1)')
    .option('--dry-run', 'print the Task YAML and create nothing')
    .option('-y, --yes', 'replace differing credential Secrets and Workspaces without asking')
    .option('--from <taskspawner/name>', "create one Task from a TaskSpawner's task template, now")
    .option('-f, --values <file>', 'template values for --from (YAML or JSON object; "-" reads stdin)')
    .action((options: RunOptions, command: Command) => run(options, command));
}
