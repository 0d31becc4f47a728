import { Command, Option } from 'commander';
import { completeNames } from '../completion/registry.js';
import { CommandContext } from '../context.js';
import { TASK_PHASES, type TaskPhaseName } from '../enums.js';
import { UsageError } from '../errors.js';
import { type KindName, RESOURCE_ORDER, RESOURCES } from '../resources.js';
import { checkOutput, collect, optionalName, outputOption, resourceGroup } from './common.js';

interface GetOptions {
  output?: string;
  detail?: boolean;
  phase?: string[];
  allNamespaces?: boolean;
}

/** `--phase` takes repeated flags and comma-separated lists alike (cli spec §7). */
function phases(values: string[] | undefined, command: Command): Set<TaskPhaseName> | undefined {
  if (!values) return undefined;
  const wanted = new Set<TaskPhaseName>();
  for (const value of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (!(TASK_PHASES as readonly string[]).includes(value)) {
      throw new UsageError(`unknown phase "${value}": must be one of ${TASK_PHASES.join(', ')}`, command);
    }
    wanted.add(value as TaskPhaseName);
  }
  return wanted;
}

async function get(kind: KindName, options: GetOptions, command: Command): Promise<void> {
  const name = optionalName(command, RESOURCES[kind].singular);
  const output = checkOutput(options.output, command);
  const phaseFilter = phases(options.phase, command);
  const allNamespaces = command.optsWithGlobals<GetOptions>().allNamespaces === true;
  if (name !== undefined && allNamespaces) {
    throw new UsageError('a resource cannot be retrieved by name across all namespaces', command);
  }
  const ctx = new CommandContext(command);
  const [kelos, print] = await Promise.all([ctx.kelos(), import('../output/print.js')]);
  const printOptions = { allNamespaces, detail: options.detail === true, ...(output ? { output } : {}) };
  if (name !== undefined) {
    const object = await kelos.get(kind, await ctx.namespace(), name);
    process.stdout.write(await print.formatObject(kind, object, printOptions));
    return;
  }
  const list = await kelos.list(kind, allNamespaces ? undefined : await ctx.namespace());
  let items = list.items;
  if (phaseFilter && kind === 'Task') {
    items = items.filter((o) => 'status' in o && phaseFilter.has(o.status?.phase as TaskPhaseName));
  }
  process.stdout.write(await print.formatList(kind, items, printOptions));
}

function getResource(kind: KindName): Command {
  const info = RESOURCES[kind];
  const command = new Command(info.singular)
    .aliases(info.aliases)
    .description(`List ${info.plural}, or show one ${info.singular}`)
    .argument('[name]', `${info.singular} name`)
    .allowExcessArguments()
    .addOption(outputOption())
    .option('-d, --detail', 'show the detail view instead of a table row');
  if (kind === 'Task') {
    command.addOption(
      new Option('--phase <phases>', 'only tasks in these phases (repeatable or comma-separated)')
        .choices(TASK_PHASES)
        .argParser(collect),
    );
  }
  completeNames(command, kind);
  return command.action((_name: unknown, options: GetOptions, cmd: Command) => get(kind, options, cmd));
}

export function getCommand(): Command {
  const group = resourceGroup('get', 'Display one or many resources').option(
    '-A, --all-namespaces',
    'list across all namespaces',
  );
  for (const kind of RESOURCE_ORDER) group.addCommand(getResource(kind));
  return group;
}
