/**
 * The four Kelos kinds as the CLI names them (cli spec §1.3, §7, §8). Plain data, so that building the
 * command tree loads nothing heavy; a test checks the API names against @kelos/shared's KINDS.
 */
export { API_GROUP, API_VERSION } from '@kelos/shared/constants';

export type KindName = 'Task' | 'TaskSpawner' | 'Workspace' | 'AgentConfig';

export interface ResourceInfo {
  kind: KindName;
  /** The subcommand name and the prefix of `<singular>/<name> created|deleted` lines. */
  singular: string;
  plural: string;
  /** Subcommand aliases: the plural, then short names. */
  aliases: readonly string[];
  /** What `delete --all` prints when there is nothing to delete. */
  noneFound: string;
}

export const RESOURCES: Readonly<Record<KindName, ResourceInfo>> = {
  Task: { kind: 'Task', singular: 'task', plural: 'tasks', aliases: ['tasks'], noneFound: 'No tasks found' },
  TaskSpawner: {
    kind: 'TaskSpawner',
    singular: 'taskspawner',
    plural: 'taskspawners',
    aliases: ['taskspawners', 'ts'],
    noneFound: 'No task spawners found',
  },
  Workspace: {
    kind: 'Workspace',
    singular: 'workspace',
    plural: 'workspaces',
    aliases: ['workspaces', 'ws'],
    noneFound: 'No workspaces found',
  },
  AgentConfig: {
    kind: 'AgentConfig',
    singular: 'agentconfig',
    plural: 'agentconfigs',
    aliases: ['agentconfigs', 'ac'],
    noneFound: 'No agent configs found',
  },
};

/** The order `get` and `delete` list their subcommands in. */
export const RESOURCE_ORDER: readonly KindName[] = ['Task', 'TaskSpawner', 'Workspace', 'AgentConfig'];
