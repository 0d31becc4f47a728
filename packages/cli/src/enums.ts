/**
 * Enumerations the command definitions need for help, choices and completion. They repeat
 * @kelos/shared's constants on purpose: importing that package costs hundreds of milliseconds (schemas,
 * validator, CEL), and `kelos --help` must start about as fast as `node` itself. A test asserts they
 * stay equal to shared's.
 */
export const AGENT_TYPES = ['claude-code', 'codex', 'gemini', 'opencode', 'cursor'] as const;
export const CREDENTIAL_TYPES = ['api-key', 'oauth', 'none'] as const;
/** In the order the reference lists them in its `--phase` error message (cli spec §7). */
export const TASK_PHASES = ['Pending', 'Running', 'Waiting', 'Succeeded', 'Failed'] as const;
export const OUTPUT_FORMATS = ['yaml', 'json', 'wide', 'name'] as const;
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export type Shell = (typeof SHELLS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type TaskPhaseName = (typeof TASK_PHASES)[number];
