import type { TSchema } from '@sinclair/typebox';
import { KINDS, type KindName } from '../constants/api.js';
import { AgentConfigSpecSchema } from '../schema/agentconfig.js';
import { TaskSpecSchema, TaskStatusSchema } from '../schema/task.js';
import { TaskSpawnerSpecSchema, TaskSpawnerStatusSchema } from '../schema/taskspawner.js';
import { WorkspaceSpecSchema } from '../schema/workspace.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** Everything that makes one of the four kinds, from which its CRD and docs are generated. */
export interface KindDefinition {
  name: KindName;
  description: string;
  spec: TSchema;
  specRequired: boolean;
  status?: TSchema;
  printerColumns: PrinterColumn[];
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const KIND_DEFINITIONS: Record<KindName, KindDefinition> = {
  Task: {
    name: 'Task',
    description: 'One run of a coding agent on a prompt; the controller runs it as a batch/v1 Job.',
    spec: TaskSpecSchema,
    specRequired: true,
    status: TaskStatusSchema,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Branch', type: 'string', jsonPath: '.spec.branch', priority: 1 },
      { name: 'Depends On', type: 'string', jsonPath: '.spec.dependsOn', priority: 1 },
      age,
    ],
  },
  Workspace: {
    name: 'Workspace',
    description: 'A git repository, and the credentials to use it, cloned fresh into each Task run.',
    spec: WorkspaceSpecSchema,
    specRequired: true,
    printerColumns: [],
  },
  AgentConfig: {
    name: 'AgentConfig',
    description: 'Reusable instructions, plugins, skills and MCP servers for agents.',
    spec: AgentConfigSpecSchema,
    specRequired: false,
    printerColumns: [],
  },
  TaskSpawner: {
    name: 'TaskSpawner',
    description: 'Creates Tasks from GitHub issues, pull requests or a cron schedule.',
    spec: TaskSpawnerSpecSchema,
    specRequired: true,
    status: TaskSpawnerStatusSchema,
    printerColumns: [
      { name: 'Workspace', type: 'string', jsonPath: '.spec.taskTemplate.workspaceRef.name' },
      { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Active', type: 'integer', jsonPath: '.status.activeTasks' },
      { name: 'Discovered', type: 'integer', jsonPath: '.status.totalDiscovered' },
      { name: 'Tasks', type: 'integer', jsonPath: '.status.totalTasksCreated' },
      age,
    ],
  },
};

export const KIND_ORDER: readonly KindName[] = Object.keys(KINDS) as KindName[];
