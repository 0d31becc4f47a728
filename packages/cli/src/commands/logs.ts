import { Command } from 'commander';
import { completeNames } from '../completion/registry.js';
import { requiredName } from './common.js';

export interface LogsOptions {
  follow?: boolean;
  raw?: boolean;
}

/**
 * `kelos logs TASK [-f] [--raw]` (cli spec §9): the agent container's log of a Task, rendered for the
 * Task's agent type. Everything heavy is loaded inside the action, so `kelos --help` stays fast.
 */
export function logsCommand(): Command {
  const command = new Command('logs')
    .description("Show a Task's agent log, rendered for its agent type")
    .argument('[task]', 'task name')
    .allowExcessArguments()
    .option('-f, --follow', 'stream the log until the Task ends, across pod restarts and replacements')
    .option('--raw', 'print the log exactly as the agent wrote it, without rendering')
    .action(async (_name: unknown, options: LogsOptions, cmd: Command) => {
      const name = requiredName(cmd, 'task');
      const { runLogs } = await import('../logs-command/run.js');
      await runLogs(cmd, name, options);
    });
  completeNames(command, 'Task');
  return command;
}
