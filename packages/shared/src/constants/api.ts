/** The Kelos API group and the version this package defines. */
export const API_GROUP = 'kelos.dev';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

export const KINDS = {
  Task: { kind: 'Task', plural: 'tasks', singular: 'task', listKind: 'TaskList' },
  Workspace: { kind: 'Workspace', plural: 'workspaces', singular: 'workspace', listKind: 'WorkspaceList' },
  AgentConfig: {
    kind: 'AgentConfig',
    plural: 'agentconfigs',
    singular: 'agentconfig',
    listKind: 'AgentConfigList',
  },
  TaskSpawner: {
    kind: 'TaskSpawner',
    plural: 'taskspawners',
    singular: 'taskspawner',
    listKind: 'TaskSpawnerList',
  },
} as const;

export type KindName = keyof typeof KINDS;
