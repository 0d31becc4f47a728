/**
 * Enumerations the command definitions need for help, choices and completion. Shared constants come
 * from the light `@kelos/shared/constants` entry: the package index loads the schemas, validator and
 * CEL, and `kelos --help` must start about as fast as `node` itself.
 */
export { AGENT_TYPES, CREDENTIAL_TYPES } from '@kelos/shared/constants';
/** In the order the reference lists them in its `--phase` error message (cli spec §7). */
export const TASK_PHASES = ['Pending', 'Running', 'Waiting', 'Succeeded', 'Failed'] as const;
export const OUTPUT_FORMATS = ['yaml', 'json', 'wide', 'name'] as const;
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export type Shell = (typeof SHELLS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type TaskPhaseName = (typeof TASK_PHASES)[number];
