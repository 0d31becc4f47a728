import { Command, type CommanderError } from 'commander';
import { completionCommand } from './commands/completion.js';
import { createCommand } from './commands/create.js';
import { deleteCommand } from './commands/delete.js';
import { devCommand } from './commands/dev.js';
import { getCommand } from './commands/get.js';
import { initCommand } from './commands/init.js';
import { installCommand } from './commands/install.js';
import { logsCommand } from './commands/logs.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';
import { suspendCommand } from './commands/suspend.js';
import { uninstallCommand } from './commands/uninstall.js';
import { versionCommand } from './commands/version.js';

/** A commander parse error, with the command whose line was wrong (for the usage hint). */
export interface CommandLineError extends CommanderError {
  command?: Command;
}

/**
 * Settings every command needs, applied down the tree: commander copies settings only to subcommands
 * made with `.command()`, not to the `Command` objects our command files build.
 */
function configureTree(command: Command): void {
  command
    .exitOverride((err: CommandLineError) => {
      err.command = command;
      throw err;
    })
    // main.ts prints errors itself, as one `Error: …` line with a hint.
    .configureOutput({ outputError: () => {} })
    .configureHelp({ showGlobalOptions: true });
  for (const sub of command.commands) configureTree(sub);
}

/** The top-level commands in help order, each built only when it is needed. */
const COMMANDS: Readonly<Record<string, () => Command>> = {
  init: initCommand,
  install: installCommand,
  uninstall: uninstallCommand,
  run: runCommand,
  create: createCommand,
  get: getCommand,
  delete: deleteCommand,
  logs: logsCommand,
  suspend: suspendCommand,
  resume: resumeCommand,
  dev: devCommand,
  completion: completionCommand,
  version: versionCommand,
};

/**
 * The `kelos` command tree; building it loads only commander and the command definitions. When the
 * first argument names a command, only that command's subtree is built: the commander objects of all
 * thirteen take ~6 ms of a cold start, one of them ~2 ms. Help, completion and anything else (global
 * options first, a typo to suggest a command for) get the whole tree.
 */
export function buildProgram(args: readonly string[] = []): Command {
  const program = new Command('kelos')
    .description('CLI for managing AI agent Tasks on Kubernetes')
    .option('--config <path>', 'config file (default: ~/.kelos/config.yaml)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option(
      '-n, --namespace <namespace>',
      'namespace (default: config namespace, then the context namespace, then "default")',
    )
    .option('--no-color', 'disable colours (also disabled by a non-empty NO_COLOR)')
    .option('-v, --verbose', 'print debug details, and stack traces of errors');
  const first = args[0];
  const selected = first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
  const builders = selected === undefined ? Object.values(COMMANDS) : [COMMANDS[selected] as () => Command];
  for (const build of builders) program.addCommand(build());
  configureTree(program);
  return program;
}
