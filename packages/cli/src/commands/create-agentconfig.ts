import { Command, Option } from 'commander';
import { CommandContext, out } from '../context.js';
import type { AgentConfigFlags } from '../create/agentconfig-flags.js';
import { collect, requiredName } from './common.js';

interface CreateAgentConfigOptions extends AgentConfigFlags {
  dryRun?: boolean;
}

async function createAgentConfig(options: CreateAgentConfigOptions, command: Command): Promise<void> {
  const name = requiredName(command, 'agentconfig');
  const ctx = new CommandContext(command);
  const [{ agentConfigSpec }, { assertValid }] = await Promise.all([
    import('../create/agentconfig-flags.js'),
    import('../validate.js'),
  ]);
  const agentConfig = {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'AgentConfig' as const,
    metadata: { name, namespace: await ctx.namespace({ offline: options.dryRun === true }) },
    spec: agentConfigSpec(options),
  };
  assertValid(agentConfig);
  if (options.dryRun) {
    const { toYaml } = await import('../output/yaml.js');
    process.stdout.write(toYaml(agentConfig));
    return;
  }
  await (await ctx.kelos()).create('AgentConfig', agentConfig);
  out(`agentconfig/${name} created`);
}

const repeatable = (flags: string, description: string) =>
  new Option(flags, `${description} (repeatable)`).argParser(collect);

export function createAgentConfigCommand(): Command {
  return new Command('agentconfig')
    .alias('ac')
    .description('Create an AgentConfig: instructions, skills and MCP servers for agents')
    .argument('[name]', 'agentconfig name')
    .allowExcessArguments()
    .option('--agents-md <content>', 'instructions for the agent (or @file)')
    .addOption(repeatable('--skill <name=content>', 'skill of plugin "kelos" (content or @file)'))
    .addOption(repeatable('--agent <name=content>', 'sub-agent of plugin "kelos" (content or @file)'))
    .addOption(repeatable('--mcp <name=json>', 'MCP server as JSON with type stdio, http or sse (or @file)'))
    .addOption(repeatable('--skills-sh <source[:skill]>', 'skills.sh package to install'))
    .option('--dry-run', 'print the AgentConfig YAML and create nothing')
    .action((_name: unknown, options: CreateAgentConfigOptions, command: Command) =>
      createAgentConfig(options, command),
    );
}
