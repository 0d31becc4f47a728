import { Argument, Command } from 'commander';
import { SHELLS, type Shell } from '../enums.js';

export function completionCommand(): Command {
  return new Command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  source <(kelos completion bash)
  source <(kelos completion zsh)
  kelos completion fish | source`,
    )
    .action(async (shell: Shell) => {
      const { completionScript } = await import('../completion/scripts.js');
      process.stdout.write(completionScript(shell));
    });
}
