import type { Command } from 'commander';

/** A failure the user can act on: printed as `Error: <message>`, with an optional hint line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The command line itself is wrong (arguments, flag values, flag combinations): exit code 2, and the
 * command's usage as the hint, like commander's own parse errors.
 */
export class UsageError extends CliError {
  constructor(message: string, command?: Command) {
    super(message, command ? `Usage: ${commandPath(command)} ${command.usage()}` : undefined);
    this.name = 'UsageError';
  }
}

/** `kelos get task`, for messages that name a command. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
