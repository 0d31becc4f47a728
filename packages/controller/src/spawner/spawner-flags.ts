import { parseArgs } from 'node:util';
import { type BindAddress, parseBindAddress, UsageError } from '../cmd/controller-flags.js';

/** The GitHub App a spawner authenticates as when it has no token. */
export interface GitHubAppCredentials {
  appId: string;
  installationId: string;
  privateKey: string;
}

/** Where the spawner reads and writes GitHub, from the flags the TaskSpawner controller sets (spec §9). */
export interface GitHubSettings {
  owner?: string;
  repo?: string;
  /** `https://<host>/api/v3` for GitHub Enterprise; api.github.com when unset. */
  apiBaseUrl?: string;
  /** The workspace's caching read proxy; writes (comments) still go to the API. */
  proxyUrl?: string;
  /** A personal access token; wins over the App. */
  token?: string;
  app?: GitHubAppCredentials;
}

export interface SpawnerFlags {
  name: string;
  namespace: string;
  github: GitHubSettings;
  oneShot: boolean;
  kubeconfig?: string;
  context?: string;
  metrics: BindAddress;
  /** Unset: $KELOS_LOG_LEVEL, else info. */
  logLevel?: string;
  help: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const options = {
  'taskspawner-name': { type: 'string' },
  'taskspawner-namespace': { type: 'string' },
  'github-owner': { type: 'string' },
  'github-repo': { type: 'string' },
  'gh-proxy-url': { type: 'string' },
  'github-api-base-url': { type: 'string' },
  'github-token': { type: 'string' },
  'github-app-id': { type: 'string' },
  'github-app-installation-id': { type: 'string' },
  'github-app-private-key': { type: 'string' },
  'one-shot': { type: 'boolean', default: false },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'metrics-bind-address': { type: 'string', default: ':8080' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export const SPAWNER_USAGE = `Usage: kelos-spawner --taskspawner-name NAME --taskspawner-namespace NS [flags]

Discovers work items for one TaskSpawner and creates its Tasks.

  --taskspawner-name NAME             the TaskSpawner to serve (required)
  --taskspawner-namespace NS          its namespace (required)
  --one-shot                          run one cycle and exit, 1 on failure (the CronJob mode)
  --github-owner OWNER, --github-repo REPO
                                      repository of the GitHub sources and of status comments
  --github-api-base-url URL           GitHub Enterprise API, e.g. https://github.example.com/api/v3
  --gh-proxy-url URL                  the workspace's caching proxy for GitHub reads
  --github-token TOKEN                personal access token (env GITHUB_TOKEN); wins over the App
  --github-app-id ID, --github-app-installation-id ID, --github-app-private-key PEM
                                      GitHub App credentials (env GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID,
                                      GITHUB_APP_PRIVATE_KEY)
  --kubeconfig PATH                   kubeconfig file (default: in-cluster service account, else ~/.kube/config)
  --context NAME                      kubeconfig context
  --metrics-bind-address ADDR         [host]:port of /metrics, 0 disables (default :8080)
  --log-level LEVEL                   ${LOG_LEVELS.join(', ')} (default $KELOS_LOG_LEVEL, else info)
`;

/** `--one-shot=true` as Go's flag package accepts it; parseArgs only knows `--one-shot`/`--no-one-shot`. */
function normaliseBooleans(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const match = /^--(one-shot|help)=(true|false)$/.exec(arg);
    if (!match) return arg;
    return match[2] === 'true' ? `--${match[1]}` : `--no-${match[1]}`;
  });
}

function httpUrl(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new UsageError(`--${flag}: expected an http(s) URL`);
  return value;
}

/**
 * Parses the spawner's command line (spec §10.1). Credentials missing from the flags come from the
 * environment, which is how the TaskSpawner controller passes them (Secret references, never args).
 * @throws {UsageError} on anything unknown, invalid or missing.
 */
export function parseSpawnerFlags(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): SpawnerFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: normaliseBooleans(argv), options, allowNegative: true, strict: true }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
  }
  const str = (name: string) => {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const help = values.help === true;
  const name = str('taskspawner-name');
  const namespace = str('taskspawner-namespace');
  if (!help && (!name || !namespace)) {
    throw new UsageError('--taskspawner-name and --taskspawner-namespace are required');
  }
  const logLevel = str('log-level');
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const appId = str('github-app-id') ?? (env.GITHUB_APP_ID || undefined);
  const installationId = str('github-app-installation-id') ?? (env.GITHUB_APP_INSTALLATION_ID || undefined);
  const privateKey = str('github-app-private-key') ?? (env.GITHUB_APP_PRIVATE_KEY || undefined);
  const github: GitHubSettings = {
    owner: str('github-owner'),
    repo: str('github-repo'),
    apiBaseUrl: httpUrl('github-api-base-url', str('github-api-base-url')),
    proxyUrl: httpUrl('gh-proxy-url', str('gh-proxy-url')),
    token: str('github-token') ?? (env.GITHUB_TOKEN || undefined),
    ...(appId && installationId && privateKey && { app: { appId, installationId, privateKey } }),
  };
  for (const key of Object.keys(github) as (keyof GitHubSettings)[]) {
    if (github[key] === undefined) delete github[key];
  }
  const flags: SpawnerFlags = {
    name: name ?? '',
    namespace: namespace ?? '',
    github,
    oneShot: values['one-shot'] === true,
    metrics: parseBindAddress('metrics-bind-address', str('metrics-bind-address') ?? ''),
    help,
  };
  const kubeconfig = str('kubeconfig');
  const context = str('context');
  if (kubeconfig) flags.kubeconfig = kubeconfig;
  if (context) flags.context = context;
  if (logLevel) flags.logLevel = logLevel;
  return flags;
}
