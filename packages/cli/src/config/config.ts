import { existsSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { CliError } from '../errors.js';
import { readTextFile } from '../util/content.js';

/** A literal or referenced env var of the config's `env` list (cli spec §2.1). */
export interface ConfigEnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface GitHubAppConfig {
  appID?: string;
  installationID?: string;
  privateKeyPath?: string;
}

export interface WorkspaceConfig {
  name?: string;
  repo?: string;
  ref?: string;
  token?: string;
  githubApp?: GitHubAppConfig;
}

/** `~/.kelos/config.yaml`: defaults for `kelos run` and the namespace of every command (cli spec §2). */
export interface KelosConfig {
  oauthToken?: string;
  apiKey?: string;
  secret?: string;
  credentialType?: string;
  type?: string;
  model?: string;
  effort?: string;
  namespace?: string;
  workspace?: WorkspaceConfig;
  agentConfig?: string;
  env?: ConfigEnvVar[];
}

export interface LoadedConfig {
  path: string;
  config: KelosConfig;
  /** Keys the file has that Kelos does not know: probably typos, worth a warning. */
  unknownKeys: string[];
}

const STRING_KEYS = [
  'oauthToken',
  'apiKey',
  'secret',
  'credentialType',
  'type',
  'model',
  'effort',
  'namespace',
  'agentConfig',
] as const;
const WORKSPACE_KEYS = ['name', 'repo', 'ref', 'token'] as const;
const GITHUB_APP_KEYS = ['appID', 'installationID', 'privateKeyPath'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Fields = Record<string, unknown>;

function isMap(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A string field; numbers are accepted too, since YAML reads an unquoted GitHub App ID as one and the
 * reference's Go decoder turns it into the string the user meant.
 */
function stringField(fields: Fields, key: string, path: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${path}${key}: must be a string`);
}

function copyStrings<K extends string>(
  fields: Fields,
  keys: readonly K[],
  path: string,
  into: Partial<Record<K, string>>,
): void {
  for (const key of keys) {
    const value = stringField(fields, key, path);
    if (value !== undefined) into[key] = value;
  }
}

function unknown(fields: Fields, known: readonly string[], path: string): string[] {
  return Object.keys(fields)
    .filter((k) => !known.includes(k))
    .map((k) => `${path}${k}`);
}

function keyRef(value: unknown, path: string): { name: string; key: string } {
  if (!isMap(value)) throw new Error(`${path}: must be a mapping with name and key`);
  const name = stringField(value, 'name', `${path}.`);
  const key = stringField(value, 'key', `${path}.`);
  if (!name) throw new Error(`${path}.name: required`);
  if (!key) throw new Error(`${path}.key: required`);
  return { name, key };
}

/** The validation the reference does at load time (cli spec §2.1), with the offending entry named. */
function envVar(entry: unknown, index: number): ConfigEnvVar {
  const path = `env[${index}]`;
  if (!isMap(entry)) throw new Error(`${path}: must be a mapping`);
  const name = stringField(entry, 'name', `${path}.`);
  if (!name) throw new Error(`${path}.name: required`);
  if (!ENV_NAME.test(name)) {
    throw new Error(`${path}.name: invalid env var name "${name}": must match [A-Za-z_][A-Za-z0-9_]*`);
  }
  const hasValue = entry.value !== undefined && entry.value !== null;
  const hasFrom = entry.valueFrom !== undefined && entry.valueFrom !== null;
  if (hasValue === hasFrom)
    throw new Error(`${path} (${name}): exactly one of value or valueFrom is required`);
  if (hasValue) return { name, value: stringField(entry, 'value', `${path}.`) ?? '' };
  const from = entry.valueFrom;
  if (!isMap(from)) throw new Error(`${path}.valueFrom: must be a mapping`);
  const refs = ['secretKeyRef', 'configMapKeyRef'].filter((k) => from[k] !== undefined && from[k] !== null);
  if (refs.length !== 1) {
    throw new Error(
      `${path}.valueFrom (${name}): exactly one of secretKeyRef or configMapKeyRef is required`,
    );
  }
  const kind = refs[0] as 'secretKeyRef' | 'configMapKeyRef';
  return { name, valueFrom: { [kind]: keyRef(from[kind], `${path}.valueFrom.${kind}`) } };
}

/** Checks and copies a parsed config document; throws with the path of the first bad field. */
export function parseConfig(doc: unknown): { config: KelosConfig; unknownKeys: string[] } {
  if (doc === null || doc === undefined) return { config: {}, unknownKeys: [] };
  if (!isMap(doc)) throw new Error('the file must hold a YAML mapping');
  const config: KelosConfig = {};
  copyStrings(doc, STRING_KEYS, '', config);
  const unknownKeys = unknown(doc, [...STRING_KEYS, 'workspace', 'env'], '');
  if (doc.workspace !== undefined && doc.workspace !== null) {
    if (!isMap(doc.workspace)) throw new Error('workspace: must be a mapping');
    const workspace: WorkspaceConfig = {};
    copyStrings(doc.workspace, WORKSPACE_KEYS, 'workspace.', workspace);
    unknownKeys.push(...unknown(doc.workspace, [...WORKSPACE_KEYS, 'githubApp'], 'workspace.'));
    const app = doc.workspace.githubApp;
    if (app !== undefined && app !== null) {
      if (!isMap(app)) throw new Error('workspace.githubApp: must be a mapping');
      const githubApp: GitHubAppConfig = {};
      copyStrings(app, GITHUB_APP_KEYS, 'workspace.githubApp.', githubApp);
      unknownKeys.push(...unknown(app, GITHUB_APP_KEYS, 'workspace.githubApp.'));
      workspace.githubApp = githubApp;
    }
    config.workspace = workspace;
  }
  if (doc.env !== undefined && doc.env !== null) {
    if (!Array.isArray(doc.env)) throw new Error('env: must be a list');
    config.env = doc.env.map(envVar);
  }
  return { config, unknownKeys };
}

/**
 * Loads the config file: a missing file is an empty config (cli spec §1.2), anything unreadable or
 * invalid fails with `loading config: …`.
 */
export function loadConfig(path: string): LoadedConfig {
  if (!existsSync(path)) return { path, config: {}, unknownKeys: [] };
  let text: string;
  try {
    text = readTextFile(path, 'config');
  } catch (err) {
    throw new CliError(`loading config: ${(err as Error).message}`);
  }
  try {
    // js-yaml rather than `yaml`, as for kubeconfigs (kube/kubeconfig.ts): every command that talks to
    // the cluster reads this file first, and js-yaml starts in a third of the time.
    const { config, unknownKeys } = parseConfig(load(text, { schema: CORE_SCHEMA }));
    return { path, config, unknownKeys };
  } catch (err) {
    // The yaml parser's message continues with a source excerpt; its first line says what and where.
    const message = (err as Error).message.split('\n')[0];
    throw new CliError(
      `loading config: ${path}: ${message}`,
      'Fix the file, or write a fresh one with `kelos init --force`.',
    );
  }
}
