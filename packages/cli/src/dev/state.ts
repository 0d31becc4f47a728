import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../errors.js';
import { expandHome } from '../util/paths.js';

/** Where `kelos dev` keeps a dev cluster: everything under one directory, `~/.kelos/dev` by default. */
export interface DevPaths {
  dir: string;
  /** The running cluster's pid and URL; absent when it is stopped. */
  state: string;
  /** Held by the `kelos dev up` that is starting the cluster. */
  upLock: string;
  kubeconfig: string;
  imageMap: string;
  /** The dev cluster's stdout and stderr. */
  log: string;
  /** The dev cluster's `--data-dir`: PKI, tokens, objects, pod directories. */
  clusterData: string;
  emptyRoot: string;
}

export function devPaths(flag: string | undefined): DevPaths {
  const dir = flag ? expandHome(flag) : join(homedir(), '.kelos', 'dev');
  return {
    dir,
    state: join(dir, 'state.json'),
    upLock: join(dir, 'up.lock'),
    kubeconfig: join(dir, 'kubeconfig'),
    imageMap: join(dir, 'images.json'),
    log: join(dir, 'devcluster.log'),
    clusterData: join(dir, 'cluster'),
    emptyRoot: join(dir, 'images', 'empty'),
  };
}

export interface DevState {
  pid: number;
  url: string;
  kubeconfig: string;
  startedAt: string;
  /** Started with --host-agents. */
  hostAgents?: boolean;
}

/** The `kelos-devcluster` program of @kelos/devcluster, resolved without loading the package. */
export function devclusterBin(): string {
  return fileURLToPath(new URL('./bin.js', import.meta.resolve('@kelos/devcluster')));
}

/** The checkout holding this file (dist/ or the bundle), if the CLI runs from one: it has packages/cli. */
function checkoutOf(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) && existsSync(join(dir, 'packages/cli'))) return dir;
  }
  return undefined;
}

/**
 * The kelos checkout this CLI runs from: `kelos dev` runs the controller, the spawner and the fake
 * agent from there, so they must be built.
 */
export function locateCheckout(): string {
  const checkout = checkoutOf(fileURLToPath(import.meta.url));
  if (!checkout) {
    throw new CliError(
      'kelos dev runs the controller and the agents from a kelos checkout, and this kelos is not in one',
      'Run it from a clone of the kelos repository, after `npx -y pnpm@9.15.9 build`.',
    );
  }
  const needed = [
    'packages/controller/dist/bundle/kelos-controller.mjs',
    'agents/fake/rootfs/kelos_entrypoint.sh',
  ];
  const missing = needed.filter((path) => !existsSync(join(checkout, path)));
  if (missing.length > 0) {
    throw new CliError(
      `kelos dev runs the controller and the agents from this checkout, and ${checkout} lacks ${missing.join(', ')}`,
      'Build it first: `npx -y pnpm@9.15.9 build`.',
    );
  }
  return checkout;
}

/** Whether `pid` is a live dev cluster, not just any process that got the pid after it died. */
function isDevCluster(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('devcluster');
  } catch {
    // No procfs (macOS): the signal check is all there is.
    return true;
  }
}

/** The running dev cluster of `paths`; a state file left by one that died is removed. */
export function runningCluster(paths: DevPaths): DevState | undefined {
  let state: DevState;
  try {
    state = JSON.parse(readFileSync(paths.state, 'utf8')) as DevState;
  } catch {
    return undefined;
  }
  if (Number.isInteger(state.pid) && isDevCluster(state.pid)) return state;
  rmSync(paths.state, { force: true });
  return undefined;
}

export function writeState(paths: DevPaths, state: DevState): void {
  writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Signal 0 tests for a process we may signal: one of another user's (EPERM) is not ours either. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
