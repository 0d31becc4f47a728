import { type Dirent, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Top-level host entries the sandbox provides itself (`--proc`, `--dev`, `--tmpfs`). */
const OWN_TOP_LEVEL = new Set(['proc', 'dev', 'tmp']);

/** Where the host's top-level directories that hold composed directories are seen in full, read-only. */
export const HOST_VIEW = '/.kelos-host';

/**
 * bwrap arguments that build the container's root on bwrap's tmpfs: the host tree read-only,
 * with the image root's entries laid over it, and room to create `mustCreate` paths (volume mount
 * points, workingDir) that don't exist on the host.
 *
 * `--ro-bind / /` would be simpler but then nothing new can be created under it (`Can't mkdir
 * /workspace: Read-only file system`). So a directory that needs new entries — one the image adds
 * to (e.g. `usr/bin`), or the parent of a missing mount point — is "composed": made on the tmpfs,
 * recursively down to where the new entries go. Its host subdirectories are bound into it, but its
 * files become symlinks into HOST_VIEW, one read-only bind of the host's top-level directory
 * (`/usr`): a symlink costs bwrap nothing, while a bind per file made `/usr/bin` (a thousand files)
 * a thousand mounts, and mounts serialise on the kernel's mount lock, so pods started slowly under
 * load. HOST_VIEW mirrors the host layout, so a program that resolves its own path (Python finding
 * its lib/ beside bin/) still finds its siblings. Everything else is a single read-only bind of the
 * host entry.
 */
export function planRootfs(imageRoot: string, mustCreate: readonly string[], hostRoot = '/'): string[] {
  const composed = new Set<string>(['/']);
  const overlays = new Map<string, string>();
  const host = (p: string) => join(hostRoot, p);

  const compose = (dir: string) => {
    for (let d = dir; !composed.has(d); d = posix.dirname(d)) composed.add(d);
  };

  const mergeImageDir = (imageDir: string, target: string) => {
    for (const entry of sorted(readdirSync(imageDir, { withFileTypes: true }))) {
      const dst = posix.join(target, entry.name);
      if (target === '/' && OWN_TOP_LEVEL.has(entry.name)) continue;
      const src = join(imageDir, entry.name);
      const hostDir = entry.isDirectory() ? hostDirectory(host(dst), hostRoot) : undefined;
      if (hostDir === undefined) {
        overlays.set(dst, src);
      } else {
        compose(hostDir);
        mergeImageDir(src, hostDir);
      }
    }
  };
  mergeImageDir(imageRoot, '/');

  // A path missing on the host needs its deepest existing host directory composed, so bwrap can
  // create the rest on the tmpfs. Paths inside image entries are the image's business.
  for (const path of mustCreate) {
    let at = '/';
    for (const part of posix.normalize(path).split('/').filter(Boolean)) {
      const next = posix.join(at, part);
      if (overlays.has(next)) break;
      const dir = hostDirectory(host(next), hostRoot);
      if (dir === undefined) {
        if (!existsOnHost(host(next))) compose(at);
        break;
      }
      at = dir;
    }
  }

  const args: string[] = [];
  const viewed = new Set([...composed].filter((d) => d !== '/').map((d) => d.split('/')[1] ?? ''));
  for (const top of sortedNames(viewed)) args.push('--ro-bind', host(top), posix.join(HOST_VIEW, top));
  const emit = (dir: string) => {
    if (dir !== '/') args.push('--dir', dir);
    for (const entry of readdirSafe(host(dir))) {
      const path = posix.join(dir, entry.name);
      if (dir === '/' && OWN_TOP_LEVEL.has(entry.name)) continue;
      if (composed.has(path)) emit(path);
      else if (overlays.has(path)) continue;
      else if (entry.isSymbolicLink()) args.push('--symlink', readlinkSync(host(path)), path);
      else if (dir === '/' || entry.isDirectory()) args.push('--ro-bind-try', host(path), path);
      else args.push('--symlink', posix.join(HOST_VIEW, path), path);
    }
    for (const [path, src] of overlays) {
      if (posix.dirname(path) !== dir) continue;
      if (lstatSync(src).isSymbolicLink()) args.push('--symlink', readlinkSync(src), path);
      else args.push('--ro-bind', src, path);
    }
  };
  emit('/');
  return args;
}

/**
 * `path` with symlinked host directories along it replaced by their targets. bwrap creates
 * mount points relative to the real root while it sets up, so `/var/run/secrets` must be given
 * as `/run/secrets` when the host has `/var/run -> /run`; the symlink shows it at both paths.
 */
export function resolveHostSymlinks(path: string, hostRoot = '/'): string {
  let at = '/';
  for (const part of posix.normalize(path).split('/').filter(Boolean)) {
    const next = posix.join(at, part);
    at = hostDirectory(join(hostRoot, next), hostRoot) ?? next;
  }
  return at;
}

/**
 * The sandbox path of the host directory at `hostPath`, following a symlink (Debian's `/bin ->
 * usr/bin`) to its target, or undefined when there is no directory there.
 */
function hostDirectory(hostPath: string, hostRoot: string): string | undefined {
  try {
    const st = lstatSync(hostPath);
    if (st.isDirectory()) return `/${posix.relative(hostRoot, hostPath)}`.replace(/\/$/, '') || '/';
    if (!st.isSymbolicLink() || !statSync(hostPath).isDirectory()) return undefined;
    const real = realpathSync(hostPath);
    const rel = posix.relative(realpathSync(hostRoot), real);
    return rel.startsWith('..') ? undefined : `/${rel}`;
  } catch {
    return undefined;
  }
}

function existsOnHost(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Sorted so the same trees always give the same command line. */
function sorted(entries: Dirent[]): Dirent[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function readdirSafe(dir: string): Dirent[] {
  try {
    return sorted(readdirSync(dir, { withFileTypes: true }));
  } catch {
    return [];
  }
}
