import type { Command, Option } from 'commander';
import type { KindName } from '../resources.js';

/**
 * Which arguments and flag values name existing objects, for shell completion. Kept beside the command
 * tree rather than in it, since commander has no place for such metadata. `create` commands are
 * deliberately absent: a new object's name is never an existing one (cli spec §12).
 */
const nameCompletions = new WeakMap<Command, KindName>();
const optionCompletions = new WeakMap<Option, KindName>();

/** The command's first argument is the name of an existing object of this kind. */
export function completeNames(command: Command, kind: KindName): void {
  nameCompletions.set(command, kind);
}

export function nameCompletionOf(command: Command): KindName | undefined {
  return nameCompletions.get(command);
}

/** The option's value is the name of an existing object of this kind. */
export function completeOptionNames(option: Option, kind: KindName): Option {
  optionCompletions.set(option, kind);
  return option;
}

export function optionCompletionOf(option: Option): KindName | undefined {
  return optionCompletions.get(option);
}
