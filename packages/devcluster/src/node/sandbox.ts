import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, posix } from 'node:path';
import { planRootfs, resolveHostSymlinks } from './rootfs-plan.js';
import type { BindMount } from './volumes.js';

export const BWRAP_MISSING_MESSAGE =
  'bwrap not found: install the Debian package "bubblewrap" (apt-get install bubblewrap)';

/** Absolute path of bwrap: the explicit one if given, else the first `bwrap` on PATH. */
export function findBwrap(explicit?: string): string {
  const candidates = explicit
    ? [explicit]
    : (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).map((d) => join(d, 'bwrap'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  throw new Error(BWRAP_MISSING_MESSAGE);
}

export interface SandboxSpec {
  bwrapPath: string;
  imageRoot: string;
  argv: string[];
  env: ReadonlyMap<string, string>;
  /** Created if missing, as container runtimes do. */
  workingDir: string;
  mounts: BindMount[];
  /** Host directories bound read-only at their own path after the private /tmp (see ImageConfig). */
  hostPaths?: readonly string[];
  hostname: string;
  /** Host file bound at the container's terminationMessagePath. */
  terminationLog?: { source: string; target: string };
}

/**
 * The bwrap command line for one container. Namespaces: pid (so the whole tree dies with the
 * sandbox's init), ipc and uts (own hostname); the network stays shared because the API server
 * and git remotes live on the host. There is no user namespace: processes run as the node's user
 * whatever securityContext.runAsUser says.
 */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const workingDir = resolveHostSymlinks(spec.workingDir || '/');
  const mounts = spec.mounts
    .map((m) => ({ ...m, target: resolveHostSymlinks(m.target) }))
    .sort((a, b) => depth(a.target) - depth(b.target));
  const terminationLog = spec.terminationLog && {
    source: spec.terminationLog.source,
    target: resolveHostSymlinks(spec.terminationLog.target),
  };
  const mustCreate = [...mounts.map((m) => m.target), workingDir];
  if (terminationLog) mustCreate.push(terminationLog.target);

  const args = [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname',
    spec.hostname,
    ...planRootfs(spec.imageRoot, mustCreate),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
  ];
  for (const path of spec.hostPaths ?? []) args.push('--ro-bind', path, path);
  for (const m of mounts) args.push(m.readOnly ? '--ro-bind' : '--bind', m.source, m.target);
  if (terminationLog) args.push('--bind', terminationLog.source, terminationLog.target);
  if (workingDir !== '/') args.push('--dir', workingDir);
  args.push('--chdir', workingDir, '--', ...spec.argv);
  return args;
}

/**
 * Starts the sandbox in its own process group. bwrap passes its environment on and resolves
 * argv[0] against the container's PATH.
 */
export function spawnSandbox(spec: SandboxSpec): ChildProcess {
  return spawn(spec.bwrapPath, bwrapArgs(spec), {
    detached: true,
    env: Object.fromEntries(spec.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function depth(path: string): number {
  return posix.normalize(path).split('/').filter(Boolean).length;
}
