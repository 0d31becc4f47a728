import type { Command } from 'commander';
import { resourceGroup } from './common.js';
import { createAgentConfigCommand } from './create-agentconfig.js';
import { createWorkspaceCommand } from './create-workspace.js';

/** No `create taskspawner`: the reference removed it and asserts it stays absent (cli spec §1.3). */
export function createCommand(): Command {
  return resourceGroup('create', 'Create a resource')
    .addCommand(createWorkspaceCommand())
    .addCommand(createAgentConfigCommand());
}
