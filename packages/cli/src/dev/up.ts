import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import { out } from '../context.js';
import { CliError } from '../errors.js';
import { writeHostAgentRoots } from './host-agents.js';
import { devImageMap, FAKE_AGENT_IMAGE } from './image-map.js';
import {
  type DevPaths,
  type DevState,
  devclusterBin,
  isAlive,
  locateCheckout,
  runningCluster,
  writeState,
} from './state.js';

export interface DevUpOptions {
  /** `--data-dir` as given, repeated in the `kelos dev down` the usage shows. */
  dataDirFlag?: string;
  port: number;
  reset: boolean;
  waitMs: number;
  /** Bundled agent images run their real entrypoints with the host's agent CLIs (host-agents.ts). */
  hostAgents: boolean;
}

/** Which agent runs for the bundled agent images, said at every start: it is not what a real cluster runs. */
function agentsNote(hostAgents: boolean): string[] {
  return hostAgents
    ? [
        'Agent images run their own entrypoints (agents/<type>/) with the agent CLIs on your PATH',
        '(claude, codex, gemini, opencode, agent) and the credentials of each Task; the fake agent is',
        `${FAKE_AGENT_IMAGE}. To use this cluster:`,
      ]
    : [
        'Every agent image runs the fake agent of agents/fake here (no model, no credentials, real git):',
        'the dev cluster runs pods as processes on this machine, without container images. For real',
        'agents, install their CLIs and start it with --host-agents, or use a real cluster. To use this one:',
      ];
}

/** How to use a running dev cluster: printed by every `kelos dev up`, the first and the repeated ones. */
function printUsage(paths: DevPaths, state: DevState, dataDirFlag: string | undefined): void {
  out(`Kubeconfig: ${state.kubeconfig}`);
  out('');
  for (const line of agentsNote(state.hostAgents === true)) out(line);
  out('');
  out(`  export KUBECONFIG=${state.kubeconfig}`);
  out("  kelos install                    # the controller runs from this checkout's build");
  out('  kelos run -p "Say hello" --credential-type none -w');
  out(`  kelos dev down${dataDirFlag ? ` --data-dir ${paths.dir}` : ''}`);
  out('');
  out(`Log: ${paths.log}`);
}

/** The URL of the `ready <url>` line the dev cluster prints once it serves. */
function readyUrl(log: string): string | undefined {
  return /^ready (\S+)$/m.exec(log)?.[1];
}

function logTail(path: string, lines = 5): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** How often a waiting `kelos dev up` tries the lock of the one that is starting the cluster. */
const LOCK_POLL_MS = 200;

/**
 * Starts the dev cluster as a background process (its own session, so it outlives this command and a
 * closed terminal), waits until it serves, and records its pid for `kelos dev down`.
 */
export async function devUp(paths: DevPaths, options: DevUpOptions): Promise<void> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // Two `kelos dev up` at once (two terminals, a script) must not start two clusters on one directory:
  // the second waits while the first starts it, then finds it running.
  const unlock = await lock(paths.dir, {
    lockfilePath: paths.upLock,
    retries: { retries: Math.ceil(options.waitMs / LOCK_POLL_MS) + 1, factor: 1, minTimeout: LOCK_POLL_MS },
    // A lock whose holder died is taken over after this long without its heartbeat.
    stale: 10_000,
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ELOCKED') throw err;
    throw new CliError(
      `another kelos dev up has been starting the dev cluster in ${paths.dir} for longer than ${options.waitMs / 1000} s`,
      `Wait for it, or stop it; its lock is ${paths.upLock}.`,
    );
  });
  try {
    await startUnlessRunning(paths, options);
  } finally {
    await unlock();
  }
}

async function startUnlessRunning(paths: DevPaths, options: DevUpOptions): Promise<void> {
  const running = runningCluster(paths);
  if (running) {
    out(`Dev cluster already running at ${running.url} (pid ${running.pid})`);
    printUsage(paths, running, options.dataDirFlag);
    return;
  }
  const checkout = locateCheckout();
  const bin = devclusterBin();
  if (options.reset) rmSync(paths.clusterData, { recursive: true, force: true });
  mkdirSync(paths.emptyRoot, { recursive: true, mode: 0o700 });
  // Written at every start, so a moved checkout or another Node is picked up.
  const imageMap = devImageMap({
    checkout,
    node: process.execPath,
    emptyRoot: paths.emptyRoot,
    ...(options.hostAgents && {
      hostAgents: {
        roots: writeHostAgentRoots(checkout, dirname(paths.emptyRoot)),
        // Only directories that exist: the node bind-mounts the ones under /tmp, and bwrap refuses a
        // missing source (package managers put every ancestor's node_modules/.bin on PATH).
        path: (process.env.PATH ?? '')
          .split(':')
          .filter((dir) => dir !== '' && existsSync(dir))
          .join(':'),
      },
    }),
  });
  writeFileSync(paths.imageMap, `${JSON.stringify(imageMap, null, 2)}\n`);

  const log = openSync(paths.log, 'w');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--port',
      String(options.port),
      '--data-dir',
      paths.clusterData,
      '--kubeconfig',
      paths.kubeconfig,
      '--image-map',
      paths.imageMap,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exitCode: number | null | undefined;
  child.on('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1);
  });
  const deadline = Date.now() + options.waitMs;
  let url: string | undefined;
  while (!url) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    url = readyUrl(readFileSync(paths.log, 'utf8'));
    if (url) break;
    if (exitCode !== undefined) {
      throw new CliError(
        `the dev cluster exited with code ${exitCode} before serving:\n${logTail(paths.log)}`,
        `Its log is ${paths.log}.`,
      );
    }
    if (Date.now() > deadline) {
      if (child.pid && isAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
      throw new CliError(
        `the dev cluster did not serve within ${options.waitMs / 1000} s:\n${logTail(paths.log)}`,
        `Its log is ${paths.log}; raise --wait-timeout on a slow machine.`,
      );
    }
  }
  child.unref();
  const state: DevState = {
    pid: child.pid as number,
    url,
    kubeconfig: paths.kubeconfig,
    startedAt: new Date().toISOString(),
    hostAgents: options.hostAgents,
  };
  writeState(paths, state);
  out(`Dev cluster running at ${url} (pid ${state.pid}), data in ${paths.dir}`);
  printUsage(paths, state, options.dataDirFlag);
}
