import { parseArgs } from 'node:util';
import { AGENT_TYPES, type AgentType } from '@kelos/shared/constants';
import { parseResourceList, type ResourceList } from '@kelos/shared/resource-list';
import { DEFAULT_TASK_WORKERS } from '../task/default-workers.js';

/** A command line the controller cannot run with; main prints it on one line and exits 2. */
export class UsageError extends Error {}

/** Where a server listens; `false` when disabled (`0`, as controller-runtime's bind-address flags). */
export type BindAddress = { host: string | undefined; port: number } | false;

export interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  /** Undefined: decided by where the controller runs (on in a cluster, off outside). */
  leaderElect?: boolean;
  leaderElectionNamespace?: string;
  metrics: BindAddress;
  health: BindAddress;
  workers: number;
  /** Unset: $KELOS_LOG_LEVEL, else info. */
  logLevel?: string;
  /** Tag given to default and untagged images. */
  version?: string;
  images: Partial<Record<AgentType, string>>;
  imagePullPolicies: Partial<Record<AgentType, string>>;
  /** Image of the spawner workloads the TaskSpawner controller runs (spec §9). */
  spawnerImage?: string;
  spawnerImagePullPolicy?: string;
  /** Resources of the spawner container, from `--spawner-resource-requests/limits`. */
  spawnerResources?: { requests?: ResourceList; limits?: ResourceList };
  githubApiBaseUrl?: string;
  help: boolean;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const BOOLEAN_FLAGS = ['leader-elect'];

const imageFlags = [...AGENT_TYPES.map((t) => `${t}-image`), 'spawner-image'];

const options = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'leader-elect': { type: 'boolean' },
  'leader-election-namespace': { type: 'string' },
  'metrics-bind-address': { type: 'string', default: ':8080' },
  'health-probe-bind-address': { type: 'string', default: ':8081' },
  workers: { type: 'string', default: String(DEFAULT_TASK_WORKERS) },
  'log-level': { type: 'string' },
  version: { type: 'string' },
  'github-api-base-url': { type: 'string' },
  'spawner-resource-requests': { type: 'string' },
  'spawner-resource-limits': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...Object.fromEntries(
    imageFlags.flatMap((f) => [
      [f, { type: 'string' }],
      [`${f}-pull-policy`, { type: 'string' }],
    ]),
  ),
} as const satisfies NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export const USAGE = `Usage: kelos-controller [flags]

  --kubeconfig PATH                   kubeconfig file (default: in-cluster service account, else ~/.kube/config)
  --context NAME                      kubeconfig context
  --leader-elect[=true|false]         elect a leader through a Lease (default: true in a cluster)
  --leader-election-namespace NS      namespace of the Lease (default: the pod's namespace, else kelos-system)
  --metrics-bind-address ADDR         [host]:port of /metrics, 0 disables (default :8080)
  --health-probe-bind-address ADDR    [host]:port of /healthz and /readyz, 0 disables (default :8081)
  --workers N                         Tasks reconciled concurrently (default ${DEFAULT_TASK_WORKERS})
  --log-level LEVEL                   ${LOG_LEVELS.join(', ')} (default $KELOS_LOG_LEVEL, else info)
  --version TAG                       tag of default images and of images given without tag (default latest)
  --<agent>-image IMAGE               agent image per type: ${AGENT_TYPES.join(', ')}
  --<agent>-image-pull-policy POLICY  ${PULL_POLICIES.join(', ')}
  --spawner-image IMAGE, --spawner-image-pull-policy POLICY
                                      image of the TaskSpawner workloads (default ghcr.io/kelos-dev/kelos-spawner)
  --spawner-resource-requests LIST    spawner container requests, e.g. cpu=250m,memory=512Mi
  --spawner-resource-limits LIST      spawner container limits, same syntax
  --github-api-base-url URL           GitHub API for App tokens (GitHub Enterprise proxies, tests)
`;

/** `--leader-elect=false` as Go's flag package accepts it; parseArgs only knows `--no-leader-elect`. */
function normaliseBooleans(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const match = /^--([a-z-]+)=(true|false)$/.exec(arg);
    if (!match?.[1] || !BOOLEAN_FLAGS.includes(match[1])) return arg;
    return match[2] === 'true' ? `--${match[1]}` : `--no-${match[1]}`;
  });
}

export function parseBindAddress(flag: string, value: string): BindAddress {
  if (value === '0') return false;
  const colon = value.lastIndexOf(':');
  const port = Number(value.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--${flag}: expected [host]:port or 0, got "${value}"`);
  }
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host: host || undefined, port };
}

function oneOf(flag: string, value: string | undefined, allowed: string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${flag}: expected a positive integer, got "${value}"`);
  return n;
}

function httpUrl(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new UsageError(`--${flag}: expected an http(s) URL`);
  return value;
}

function resourceList(flag: string, value: string | undefined): ResourceList | undefined {
  if (value === undefined) return undefined;
  try {
    return parseResourceList(value);
  } catch (err) {
    throw new UsageError(`--${flag}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function spawnerResources(values: (name: string) => string | undefined): ControllerFlags['spawnerResources'] {
  const requests = resourceList('spawner-resource-requests', values('spawner-resource-requests'));
  const limits = resourceList('spawner-resource-limits', values('spawner-resource-limits'));
  if (!requests && !limits) return undefined;
  return { ...(requests && { requests }), ...(limits && { limits }) };
}

/** Parses the controller's command line (spec §2 flags); throws UsageError on anything unknown or invalid. */
export function parseControllerFlags(argv: readonly string[]): ControllerFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: normaliseBooleans(argv), options, allowNegative: true, strict: true }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
  const str = (name: string) => values[name] as string | undefined;
  const images: ControllerFlags['images'] = {};
  const imagePullPolicies: ControllerFlags['imagePullPolicies'] = {};
  for (const type of AGENT_TYPES) {
    const image = str(`${type}-image`);
    const policy = oneOf(`${type}-image-pull-policy`, str(`${type}-image-pull-policy`), PULL_POLICIES);
    if (image) images[type] = image;
    if (policy) imagePullPolicies[type] = policy;
  }
  const metrics = parseBindAddress('metrics-bind-address', str('metrics-bind-address') ?? '');
  const health = parseBindAddress('health-probe-bind-address', str('health-probe-bind-address') ?? '');
  if (metrics && health && metrics.host && health.host && metrics.host !== health.host) {
    // The Manager serves both on one host.
    throw new UsageError('--metrics-bind-address and --health-probe-bind-address must use the same host');
  }
  const flags: ControllerFlags = {
    metrics,
    health,
    workers: positiveInt('workers', str('workers') ?? ''),
    images,
    imagePullPolicies,
    help: values.help === true,
  };
  const optional = {
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    leaderElect: values['leader-elect'] as boolean | undefined,
    leaderElectionNamespace: str('leader-election-namespace'),
    logLevel: oneOf('log-level', str('log-level'), LOG_LEVELS),
    version: str('version'),
    spawnerImage: str('spawner-image'),
    spawnerImagePullPolicy: oneOf(
      'spawner-image-pull-policy',
      str('spawner-image-pull-policy'),
      PULL_POLICIES,
    ),
    githubApiBaseUrl: httpUrl('github-api-base-url', str('github-api-base-url')),
    spawnerResources: spawnerResources(str),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(flags, { [key]: value });
  }
  return flags;
}
