import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { CliError } from '../errors.js';
import { expandHome } from '../util/paths.js';

export interface KubeTarget {
  kubeconfig?: string;
  context?: string;
}

/** Where the kubeconfig comes from, by client-go's loading rules (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`). */
export type KubeconfigSource =
  | { kind: 'file'; path: string }
  /** Several `$KUBECONFIG` files to merge, or the in-cluster service account: @kubernetes/client-node's job. */
  | { kind: 'other' };

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function locateKubeconfig(target: KubeTarget): KubeconfigSource {
  if (target.kubeconfig) {
    const path = expandHome(target.kubeconfig);
    if (!existsSync(path)) throw new CliError(`kubeconfig not found: ${path}`);
    return { kind: 'file', path };
  }
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length === 1) {
    const path = fromEnv[0] as string;
    if (!existsSync(path)) throw new CliError(`kubeconfig not found: ${path} (from $KUBECONFIG)`);
    return { kind: 'file', path };
  }
  if (fromEnv.length > 1) return { kind: 'other' };
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return { kind: 'file', path: home };
  // client-node falls back to `http://localhost:8080` when it finds nothing at all, which then fails
  // with a baffling connection error; name the real problem instead.
  if (existsSync(IN_CLUSTER_TOKEN)) return { kind: 'other' };
  throw new CliError(
    'no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config)',
    'Point --kubeconfig or KUBECONFIG at the kubeconfig of the cluster to use.',
  );
}

/** What a request to the cluster needs, when the kubeconfig states it all (no plugin, no proxy). */
export interface StaticAccess {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
}

/** The selected context of a single kubeconfig file. */
export interface KubeconfigContext {
  path: string;
  contextName: string;
  namespace?: string;
  server: string;
  /** Undefined when the user or cluster needs @kubernetes/client-node (exec or auth-provider plugins, a proxy). */
  access?: StaticAccess;
}

type Entry = Record<string, unknown>;

function named(list: unknown, key: string, name: string): Entry | undefined {
  if (!Array.isArray(list)) return undefined;
  const item = list.find((e: Entry | null) => e?.name === name) as Entry | undefined;
  const value = item?.[key];
  return typeof value === 'object' && value !== null ? (value as Entry) : item ? {} : undefined;
}

function str(entry: Entry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `<key>-data` (base64) or `<key>` (a file, relative to the kubeconfig's directory as client-go reads it). */
function material(entry: Entry, key: string, base: string): Buffer | undefined {
  const data = str(entry, `${key}-data`);
  if (data) return Buffer.from(data, 'base64');
  const file = str(entry, key);
  if (!file) return undefined;
  const path = isAbsolute(file) ? file : join(base, file);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`loading kubeconfig: reading ${key} ${path}: ${(err as Error).message}`);
  }
}

const PLUGIN_KEYS = ['exec', 'auth-provider', 'tokenFile'];

function staticAccess(cluster: Entry, user: Entry, base: string): StaticAccess | undefined {
  const server = str(cluster, 'server') ?? '';
  if (!server.startsWith('https://') || str(cluster, 'proxy-url')) return undefined;
  if (PLUGIN_KEYS.some((key) => user[key] !== undefined)) return undefined;
  const access: StaticAccess = {
    server,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  const ca = material(cluster, 'certificate-authority', base);
  const cert = material(user, 'client-certificate', base);
  const key = material(user, 'client-key', base);
  const token = str(user, 'token');
  const username = str(user, 'username');
  const password = str(user, 'password');
  const tlsServerName = str(cluster, 'tls-server-name');
  return {
    ...access,
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(token && { token }),
    ...(username && { username, password: password ?? '' }),
    ...(tlsServerName && { tlsServerName }),
  };
}

/**
 * Reads the context a command uses from one kubeconfig file, without @kubernetes/client-node, whose
 * import alone costs most of a second: `kelos get` must start about as fast as Node itself. Only a
 * context with static credentials gets `access`; anything else goes through client-node.
 * js-yaml, not the `yaml` package the CLI writes with: client-node reads kubeconfigs with it too, and a
 * cold process loads and runs it in ~9 ms against ~25 ms (bench/cli.bench.mjs). The core schema keeps
 * every scalar a string, number, boolean or null, as for client-go: no dates, no merge keys.
 */
export function readKubeconfig(path: string, contextFlag?: string): KubeconfigContext {
  let doc: Entry;
  try {
    doc = (load(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA }) ?? {}) as Entry;
  } catch (err) {
    throw new CliError(`loading kubeconfig: ${(err as Error).message.split('\n')[0]}`);
  }
  const contextName = contextFlag ?? str(doc, 'current-context') ?? '';
  const context = named(doc.contexts, 'context', contextName);
  if (contextFlag && !context) {
    const known = Array.isArray(doc.contexts) ? doc.contexts.map((c: Entry | null) => c?.name) : [];
    throw new CliError(
      `context "${contextFlag}" does not exist in the kubeconfig`,
      `Known contexts: ${known.join(', ') || 'none'}.`,
    );
  }
  const cluster = context && named(doc.clusters, 'cluster', str(context, 'cluster') ?? '');
  if (!context || !cluster) {
    throw new CliError(
      `the kubeconfig's current context "${contextName}" names no cluster`,
      'Pick a context with --context.',
    );
  }
  const user = named(doc.users, 'user', str(context, 'user') ?? '') ?? {};
  const namespace = str(context, 'namespace');
  const access = staticAccess(cluster, user, dirname(path));
  return {
    path,
    contextName,
    server: str(cluster, 'server') ?? '',
    ...(namespace && { namespace }),
    ...(access && { access }),
  };
}
