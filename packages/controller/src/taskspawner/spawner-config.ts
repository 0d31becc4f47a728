import type { TaskSpawner } from '@kelos/shared';
import { ENV } from '@kelos/shared/constants';
import type { V1EnvVar } from '@kubernetes/client-node';
import { githubApiBaseUrl } from '../github/api-base-url.js';
import type { GitHubRepo } from '../job/git-url.js';
import { type SpawnerProblem, spawnerRepo } from './github-repo.js';
import type { GitHubAuth, SpawnerInputs } from './inputs.js';
import type { SpawnerOptions } from './options.js';

/** The spawner container's command line and environment, shared by the Deployment and the CronJob. */
export interface SpawnerConfig {
  args: string[];
  env: V1EnvVar[];
}

/** Env var ← Secret key, per kind of workspace Secret (spec §9, §10.1). */
const SECRET_ENV: Record<GitHubAuth, [env: string, key: string][]> = {
  token: [[ENV.githubToken, 'GITHUB_TOKEN']],
  'github-app': [
    ['GITHUB_APP_ID', 'appID'],
    ['GITHUB_APP_INSTALLATION_ID', 'installationID'],
    ['GITHUB_APP_PRIVATE_KEY', 'privateKey'],
  ],
};

/** Credentials reach the spawner only as secretKeyRefs: the controller never copies Secret values. */
export function spawnerEnv(secret: SpawnerInputs['secret']): V1EnvVar[] {
  if (!secret) return [];
  return SECRET_ENV[secret.auth].map(([name, key]) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret.name, key } },
  }));
}

/**
 * `--github-api-base-url` only where the default (api.github.com) is wrong: a GitHub Enterprise host,
 * or the controller's own override.
 */
function apiBaseUrlArg(repo: GitHubRepo, options: SpawnerOptions): string[] {
  if (options.githubApiBaseUrl)
    return [`--github-api-base-url=${githubApiBaseUrl(repo.host, options.githubApiBaseUrl)}`];
  if (repo.host === 'github.com') return [];
  return [`--github-api-base-url=${githubApiBaseUrl(repo.host)}`];
}

export function spawnerArgs(
  spawner: TaskSpawner,
  repo: GitHubRepo | undefined,
  options: SpawnerOptions,
): string[] {
  const args = [
    `--taskspawner-name=${spawner.metadata.name}`,
    `--taskspawner-namespace=${spawner.metadata.namespace}`,
  ];
  if (repo) {
    args.push(`--github-owner=${repo.owner}`, `--github-repo=${repo.repo}`, ...apiBaseUrlArg(repo, options));
  }
  return args;
}

/** The spawner's args and env (spec §9 Deployment mode table), or why there can be none. */
export function spawnerConfig(
  spawner: TaskSpawner,
  inputs: SpawnerInputs,
  options: SpawnerOptions,
): { config: SpawnerConfig } | { problem: SpawnerProblem } {
  const target = spawnerRepo(spawner, inputs.workspace);
  if ('problem' in target) return target;
  return { config: { args: spawnerArgs(spawner, target.repo, options), env: spawnerEnv(inputs.secret) } };
}
