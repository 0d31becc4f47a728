import { rmSync } from 'node:fs';
import { out } from '../context.js';
import { type DevPaths, isAlive, runningCluster } from './state.js';

export interface DevDownOptions {
  /** How long the dev cluster gets to stop its pods and exit after SIGTERM, before SIGKILL. */
  graceMs: number;
  /** Also remove the data directory: the cluster's objects, PKI and kubeconfig. */
  purge: boolean;
}

async function exited(pid: number, deadline: number): Promise<boolean> {
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Stops the dev cluster of `paths` if it runs: SIGTERM (it stops every pod), SIGKILL after the grace period. */
export async function devDown(paths: DevPaths, options: DevDownOptions): Promise<void> {
  const running = runningCluster(paths);
  if (!running) {
    out('Dev cluster is not running');
  } else {
    process.kill(running.pid, 'SIGTERM');
    if (!(await exited(running.pid, Date.now() + options.graceMs))) {
      // Its own session: the group holds the pods' processes too.
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        process.kill(running.pid, 'SIGKILL');
      }
      await exited(running.pid, Date.now() + 5000);
      out(`Dev cluster did not stop within ${options.graceMs / 1000} s and was killed (pid ${running.pid})`);
    } else {
      out(`Dev cluster stopped (pid ${running.pid})`);
    }
    rmSync(paths.state, { force: true });
  }
  if (options.purge) {
    rmSync(paths.dir, { recursive: true, force: true });
    out(`Removed ${paths.dir}`);
  }
}
