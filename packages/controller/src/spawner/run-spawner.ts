import { loadKubeConfig, makeClients } from '../runtime/kube-client.js';
import { createLogger, type Logger } from '../runtime/logger.js';
import { Manager } from '../runtime/manager.js';
import { createGitHubIntegration } from './github/index.js';
import { type GitHubIntegration, type SpawnerIntegrations, spawnerIntegrations } from './integrations.js';
import { setupSpawnerLoop } from './loop.js';
import { Spawner } from './spawner.js';
import { spawnerApi } from './spawner-api.js';
import type { SpawnerFlags } from './spawner-flags.js';

export interface SpawnerEnvironment {
  logger?: Logger;
  now?: () => Date;
  /** Replaces the GitHub sources and comments built from the flags. */
  github?: GitHubIntegration;
  /** Replaces the sources and comments altogether (tests). */
  integrations?: SpawnerIntegrations;
  /** Aborts GitHub requests and rate-limit waits, so that a shutdown does not wait for them. */
  signal?: AbortSignal;
}

function spawnerFor(
  flags: SpawnerFlags,
  env: SpawnerEnvironment,
): { spawner: Spawner; log: Logger; kubeConfig: ReturnType<typeof loadKubeConfig> } {
  const base = env.logger ?? createLogger(flags.logLevel ? { level: flags.logLevel } : {});
  const log = base.child({ taskspawner: `${flags.namespace}/${flags.name}` });
  const kubeConfig = loadKubeConfig({
    ...(flags.kubeconfig && { kubeconfig: flags.kubeconfig }),
    ...(flags.context && { context: flags.context }),
  });
  const api = spawnerApi(makeClients(kubeConfig), { namespace: flags.namespace, name: flags.name });
  const github =
    env.github ??
    createGitHubIntegration(flags.github, { logger: log, ...(env.signal && { signal: env.signal }) });
  const integrations = env.integrations ?? spawnerIntegrations(github);
  const spawner = new Spawner({ api, integrations, now: env.now ?? (() => new Date()), log });
  return { spawner, log, kubeConfig };
}

/** `--one-shot` (the CronJob): one cycle and its reporting; 0 on success, 1 on any failure. */
export async function runOneShot(flags: SpawnerFlags, env: SpawnerEnvironment = {}): Promise<number> {
  const { spawner, log } = spawnerFor(flags, env);
  log.info({ oneShot: true }, 'starting kelos-spawner');
  try {
    await spawner.runOnce();
    log.info('cycle finished');
    return 0;
  } catch (err) {
    log.error({ err }, 'cycle failed');
    return 1;
  }
}

/** The long-running spawner (the Deployment): serves metrics and reconciles until stopped. */
export async function startSpawnerLoop(flags: SpawnerFlags, env: SpawnerEnvironment = {}): Promise<Manager> {
  const { spawner, log, kubeConfig } = spawnerFor(flags, env);
  const manager = new Manager({
    kubeConfig,
    logger: log,
    healthPort: false,
    metricsPort: flags.metrics ? flags.metrics.port : false,
    ...(flags.metrics && flags.metrics.host !== undefined && { host: flags.metrics.host }),
  });
  setupSpawnerLoop(manager, { namespace: flags.namespace, name: flags.name }, spawner);
  log.info({ oneShot: false }, 'starting kelos-spawner');
  await manager.start();
  return manager;
}
