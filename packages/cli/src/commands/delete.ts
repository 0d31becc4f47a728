import { Command } from 'commander';
import { completeNames } from '../completion/registry.js';
import { CommandContext, out } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { type KindName, RESOURCE_ORDER, RESOURCES } from '../resources.js';
import { optionalName, resourceGroup } from './common.js';

interface DeleteOptions {
  all?: boolean;
  yes?: boolean;
}

async function confirmed(question: string, options: DeleteOptions): Promise<void> {
  if (options.yes) return;
  const { confirm } = await import('../prompt/confirm.js');
  if (!(await confirm(question))) throw new CliError('aborted', 'Pass -y to delete without asking.');
}

async function remove(kind: KindName, options: DeleteOptions, command: Command): Promise<void> {
  const info = RESOURCES[kind];
  const name = optionalName(command, info.singular);
  if (name !== undefined && options.all)
    throw new UsageError(`cannot specify ${info.singular} name with --all`, command);
  if (name === undefined && !options.all) {
    throw new UsageError(`${info.singular} name is required (or use --all)`, command);
  }
  const ctx = new CommandContext(command);
  const kelos = await ctx.kelos();
  const namespace = await ctx.namespace();
  if (name !== undefined) {
    // Read first, so a wrong name fails before the question rather than after it.
    await kelos.get(kind, namespace, name);
    await confirmed(`Delete ${info.singular}/${name} in namespace ${namespace}?`, options);
    await kelos.delete(kind, namespace, name);
    out(`${info.singular}/${name} deleted`);
    return;
  }
  const { items } = await kelos.list(kind, namespace);
  if (items.length === 0) {
    out(info.noneFound);
    return;
  }
  const what = items.length === 1 ? `1 ${info.singular}` : `all ${items.length} ${info.plural}`;
  await confirmed(`Delete ${what} in namespace ${namespace}?`, options);
  for (const item of items) {
    const itemName = item.metadata.name ?? '';
    await kelos.delete(kind, namespace, itemName);
    out(`${info.singular}/${itemName} deleted`);
  }
}

function deleteResource(kind: KindName): Command {
  const info = RESOURCES[kind];
  const command = new Command(info.singular)
    .aliases(info.aliases)
    .description(`Delete a ${info.singular}, or all ${info.plural} of the namespace`)
    .argument('[name]', `${info.singular} name`)
    .allowExcessArguments()
    .option('--all', `delete every ${info.singular} in the namespace`)
    .option('-y, --yes', 'do not ask for confirmation');
  completeNames(command, kind);
  return command.action((_name: unknown, options: DeleteOptions, cmd: Command) => remove(kind, options, cmd));
}

export function deleteCommand(): Command {
  const group = resourceGroup('delete', 'Delete resources');
  for (const kind of RESOURCE_ORDER) group.addCommand(deleteResource(kind));
  return group;
}
