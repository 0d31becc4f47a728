import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: it runs to the last ')'.
    const close = stat.lastIndexOf(')');
    const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(ppid), comm: stat.slice(stat.indexOf('(') + 1, close), state };
  } catch {
    return undefined;
  }
}

/** `root` and all its live descendants (zombies excluded), parents before children. */
export function processTree(root: number): number[] {
  const children = new Map<number, ProcInfo[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (!info || info.state === 'Z') continue;
    const list = children.get(info.ppid) ?? [];
    list.push(info);
    children.set(info.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (pid === root ? isAlive(root) : true) out.push(pid);
    queue.push(...(children.get(pid) ?? []).map((c) => c.pid));
  }
  return out;
}

/** Alive = exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Kubernetes reports a container killed by signal n with exit code 128+n. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Graceful stop of a sandboxed process tree: SIGTERM to every process in it, then SIGKILL after
 * the grace period.
 *
 * bwrap's own processes (the outer one we spawned and the pid namespace's init) are not sent
 * SIGTERM: the outer one would die at once, and `--die-with-parent` would then SIGKILL the whole
 * sandbox before the container could handle its SIGTERM; and it would report signal 15 instead
 * of the container's own exit code. SIGKILL goes to everything inside first (killing the
 * namespace init tears down the whole pid namespace, catching anything that left the process
 * group), then to the group.
 */
export async function terminateProcessTree(root: number, exited: Promise<unknown>, graceMs: number) {
  // Identified by position, not name: right after the fork the container's process is still called bwrap.
  const isBwrap = (pid: number) => pid === root || readProc(pid)?.ppid === root;
  if (graceMs > 0) {
    const deadline = Date.now() + graceMs;
    // Right after start bwrap may not have forked the container's process yet: retry until it exists.
    let signalled = false;
    while (!signalled && Date.now() < deadline) {
      for (const pid of processTree(root)) {
        if (isBwrap(pid)) continue;
        signal(pid, 'SIGTERM');
        signalled = true;
      }
      if (!signalled && (await exitsWithin(exited, 20))) return;
    }
    if (await exitsWithin(exited, Math.max(0, deadline - Date.now()))) return;
  }
  for (const pid of processTree(root).reverse()) if (pid !== root) signal(pid, 'SIGKILL');
  signal(-root, 'SIGKILL');
  await exited;
}

/** Whether `exited` settles within `ms`; the timer is cleared either way so it holds no event loop. */
async function exitsWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([exited.then(() => true), sleep(ms, false, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}
