import { Command, Option } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../enums.js';
import { UsageError } from '../errors.js';

/** Argument parser of repeatable flags: each occurrence appends. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A command that only groups subcommands (`get`, `create`, …): without one it shows its help and fails
 * with the reference's message (cli spec §1.3); with an unknown one it names the known ones.
 */
export function resourceGroup(name: string, description: string): Command {
  const group = new Command(name).description(description).allowExcessArguments();
  group.action((_options, command: Command) => {
    const [unknown] = command.args;
    if (unknown !== undefined) {
      const known = command.commands.map((c) => c.name()).join(', ');
      throw new UsageError(`unknown resource type "${unknown}": must be one of ${known}`, command);
    }
    command.outputHelp({ error: true });
    throw new UsageError('must specify a resource type');
  });
  return group;
}

/** `[name]` with the reference's argument-count messages (cli spec §6.1, §8). */
export function optionalName(command: Command, what: string): string | undefined {
  const args = command.args;
  if (args.length > 1) {
    throw new UsageError(`too many arguments: expected 1 ${what} name, got ${args.length}`, command);
  }
  return args[0];
}

export function requiredName(command: Command, what: string, missing = `${what} name is required`): string {
  const name = optionalName(command, what);
  if (name === undefined) throw new UsageError(missing, command);
  return name;
}

/** `-o, --output`: validated in the action so the message is the reference's (cli spec §7). */
export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).argParser((v) => v);
}

export function checkOutput(value: string | undefined, command: Command): OutputFormat | undefined {
  if (value === undefined) return undefined;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(
      `unknown output format "${value}": must be one of ${OUTPUT_FORMATS.join(', ')}`,
      command,
    );
  }
  return value as OutputFormat;
}
