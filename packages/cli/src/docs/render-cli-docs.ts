import { type Command, Help, type Option } from 'commander';
import { commandPath } from '../errors.js';
import { buildProgram } from '../program.js';

const help = new Help();

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function optionRow(option: Option): string {
  const notes: string[] = [];
  if (option.argChoices) notes.push(`one of: ${option.argChoices.map((c) => `\`${c}\``).join(', ')}`);
  // Negated flags (`--no-color`) default to the positive value, which says nothing to the reader.
  if (option.defaultValue !== undefined && !option.negate)
    notes.push(`default: \`${String(option.defaultValue)}\``);
  const description = [option.description, ...notes].filter(Boolean).join('; ');
  return `| \`${cell(option.flags)}\` | ${cell(description)} |`;
}

function optionsTable(options: readonly Option[]): string[] {
  if (options.length === 0) return [];
  return ['| Flag | Description |', '|---|---|', ...options.map(optionRow), ''];
}

function commandSection(command: Command, level: number): string[] {
  const path = commandPath(command);
  const lines = [`${'#'.repeat(level)} ${path}`, '', `${command.description()}`, ''];
  lines.push('```', `${path} ${command.usage()}`, '```', '');
  if (command.aliases().length > 0) {
    lines.push(
      `Aliases: ${command
        .aliases()
        .map((a) => `\`${a}\``)
        .join(', ')}`,
      '',
    );
  }
  const args = help.visibleArguments(command);
  if (args.length > 0) {
    lines.push('| Argument | Description |', '|---|---|');
    for (const arg of args) lines.push(`| \`${arg.name()}\` | ${cell(arg.description)} |`);
    lines.push('');
  }
  lines.push(...optionsTable(help.visibleOptions(command).filter((o) => o.long !== '--help')));
  for (const sub of visibleSubcommands(command)) lines.push(...commandSection(sub, Math.min(level + 1, 4)));
  return lines;
}

function visibleSubcommands(command: Command): Command[] {
  return help.visibleCommands(command).filter((c) => c.name() !== 'help');
}

/** docs/cli.md: every command, argument and flag, straight from the commander definitions. */
export function renderCliDocs(): string {
  const program = buildProgram();
  const lines = [
    '# kelos CLI reference',
    '',
    '<!-- Generated from the command definitions by packages/cli/src/docs/render-cli-docs.ts',
    '     (run `pnpm generate`); a test fails when this file is stale. Do not edit by hand. -->',
    '',
    program.description(),
    '',
    '## Global options',
    '',
    'Accepted by every command, before or after the command name.',
    '',
    ...optionsTable(program.options.filter((o) => o.long !== '--help')),
    'Exit codes: `0` success, `1` failure, `2` wrong command line (unknown flag, missing or extra arguments).',
    '',
  ];
  for (const command of visibleSubcommands(program)) lines.push(...commandSection(command, 2));
  return `${lines.join('\n').trimEnd()}\n`;
}
