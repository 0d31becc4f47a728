import { Command } from 'commander';
import { completeNames } from '../completion/registry.js';
import { CommandContext, out } from '../context.js';
import { requiredName, resourceGroup } from './common.js';

/**
 * `suspend taskspawner` and `resume taskspawner` (cli spec §8): a JSON merge patch of `spec.suspend`
 * alone, so that nothing else of the spawner is overwritten, and no write at all when already there.
 */
export function setSuspended(command: Command, suspend: boolean): Command {
  const verb = suspend ? 'suspended' : 'resumed';
  const sub = new Command('taskspawner')
    .aliases(['taskspawners', 'ts'])
    .description(
      suspend ? 'Stop a TaskSpawner from creating Tasks' : 'Let a suspended TaskSpawner create Tasks again',
    )
    .argument('[name]', 'taskspawner name')
    .allowExcessArguments()
    .action(async (_name: unknown, _options: object, cmd: Command) => {
      const name = requiredName(cmd, 'taskspawner');
      const ctx = new CommandContext(cmd);
      const kelos = await ctx.kelos();
      const namespace = await ctx.namespace();
      const spawner = await kelos.get('TaskSpawner', namespace, name);
      if ((spawner.spec.suspend === true) === suspend) {
        out(`taskspawner/${name} ${suspend ? 'is already suspended' : 'is not suspended'}`);
        return;
      }
      await kelos.mergePatch('TaskSpawner', namespace, name, { spec: { suspend } });
      out(`taskspawner/${name} ${verb}`);
    });
  completeNames(sub, 'TaskSpawner');
  return command.addCommand(sub);
}

export function suspendCommand(): Command {
  return setSuspended(resourceGroup('suspend', 'Suspend a resource'), true);
}
