import { type Command, Help, type Option } from 'commander';
import type { GlobalOptions } from '../globals.js';
import type { KindName } from '../resources.js';
import { nameCompletionOf, optionCompletionOf } from './registry.js';

/**
 * Shell completion computed from the commander tree, so that the shell scripts stay thin and never go
 * stale: the shell passes the words typed so far, `kelos __complete` answers with one candidate per
 * line (`value<TAB>description`) and a last line `:<directive>`, as cobra does (cli spec §12).
 */
export const DIRECTIVE_DEFAULT = 0;
/** Do not fall back to file names. */
export const DIRECTIVE_NO_FILES = 4;

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

/** Lists object names for a kind; failures mean "no suggestions", never an error at the prompt. */
export type NameLister = (kind: KindName, globals: GlobalOptions) => Promise<string[]>;

const help = new Help();

/** Options a word can name at this point: the command's own and those of every ancestor. */
function optionsInScope(command: Command): Option[] {
  const options: Option[] = [];
  for (let c: Command | null = command; c; c = c.parent) options.push(...c.options);
  return options;
}

function findOption(command: Command, flag: string): Option | undefined {
  return optionsInScope(command).find((o) => o.short === flag || o.long === flag);
}

function findSubcommand(command: Command, name: string): Command | undefined {
  return command.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

/** The global flags typed so far, so that names are listed from the cluster and namespace meant. */
function globalsFrom(values: Map<string, string>): GlobalOptions {
  const globals: GlobalOptions = { color: false, verbose: false };
  for (const key of ['config', 'kubeconfig', 'context', 'namespace'] as const) {
    const value = values.get(key);
    if (value) globals[key] = value;
  }
  return globals;
}

export async function complete(
  program: Command,
  words: readonly string[],
  listNames: NameLister,
): Promise<Completion> {
  const current = words.at(-1) ?? '';
  const typed = words.slice(0, -1);
  let command = program;
  let positionals = 0;
  let pendingOption: Option | undefined;
  const values = new Map<string, string>();
  for (const word of typed) {
    if (pendingOption) {
      values.set(pendingOption.attributeName(), word);
      pendingOption = undefined;
    } else if (word.startsWith('-') && word !== '-') {
      const [flag = word, inline] = word.split(/=(.*)/s);
      const option = findOption(command, flag);
      if (option && (option.required || option.optional)) {
        if (inline === undefined) pendingOption = option;
        else values.set(option.attributeName(), inline);
      }
    } else {
      const sub = positionals === 0 ? findSubcommand(command, word) : undefined;
      if (sub) command = sub;
      else positionals++;
    }
  }
  const globals = globalsFrom(values);
  const filter = (candidates: Candidate[]) => candidates.filter((c) => c.value.startsWith(current));

  if (pendingOption) {
    if (pendingOption.argChoices) {
      return {
        candidates: filter(pendingOption.argChoices.map((value) => ({ value }))),
        directive: DIRECTIVE_NO_FILES,
      };
    }
    const kind = optionCompletionOf(pendingOption);
    if (kind) {
      const names = await listNames(kind, globals);
      return { candidates: filter(names.map((value) => ({ value }))), directive: DIRECTIVE_NO_FILES };
    }
    // A path or free text: let the shell offer file names.
    return { candidates: [], directive: DIRECTIVE_DEFAULT };
  }

  if (current.startsWith('-')) {
    const flags: Candidate[] = [];
    for (const option of [...help.visibleOptions(command), ...help.visibleGlobalOptions(command)]) {
      for (const flag of [option.long, option.short]) {
        if (flag) flags.push({ value: flag, description: option.description });
      }
    }
    return { candidates: filter(flags), directive: DIRECTIVE_NO_FILES };
  }

  const subcommands = help
    .visibleCommands(command)
    .filter((c) => c.name() !== 'help')
    .map((c) => ({ value: c.name(), description: c.description() }));
  if (subcommands.length > 0 && positionals === 0) {
    return { candidates: filter(subcommands), directive: DIRECTIVE_NO_FILES };
  }
  const kind = nameCompletionOf(command);
  if (kind && positionals === 0) {
    const names = await listNames(kind, globals);
    return { candidates: filter(names.map((value) => ({ value }))), directive: DIRECTIVE_NO_FILES };
  }
  return { candidates: [], directive: DIRECTIVE_NO_FILES };
}

export function formatCompletion(completion: Completion): string {
  const lines = completion.candidates.map((c) => (c.description ? `${c.value}\t${c.description}` : c.value));
  return `${[...lines, `:${completion.directive}`].join('\n')}\n`;
}
