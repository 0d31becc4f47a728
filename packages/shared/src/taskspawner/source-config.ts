import type { GitHubIssues, GitHubPullRequests, TaskSpawner } from '../schema/taskspawner.js';

export type SpawnerSourceKind = 'githubIssues' | 'githubPullRequests' | 'cron';

/**
 * The source a TaskSpawner polls. Nothing forbids setting several; the Go implementation takes the first
 * of githubIssues, githubPullRequests, (jira,) cron, and so does this (§10.3 step 2).
 */
export function spawnerSourceKind(spawner: TaskSpawner): SpawnerSourceKind | undefined {
  const when = spawner.spec.when;
  if (when.githubIssues) return 'githubIssues';
  if (when.githubPullRequests) return 'githubPullRequests';
  if (when.cron) return 'cron';
  return undefined;
}

/** The GitHub source settings of the active source, if it is a GitHub one. */
export function githubSourceConfig(spawner: TaskSpawner): GitHubIssues | GitHubPullRequests | undefined {
  const kind = spawnerSourceKind(spawner);
  if (kind === 'githubIssues') return spawner.spec.when.githubIssues;
  if (kind === 'githubPullRequests') return spawner.spec.when.githubPullRequests;
  return undefined;
}

export function priorityLabelsOf(spawner: TaskSpawner): string[] {
  return githubSourceConfig(spawner)?.priorityLabels ?? [];
}

/** Whether Tasks get a status comment on their issue or pull request (`reporting.enabled`). */
export function commentReportingEnabled(spawner: TaskSpawner): boolean {
  return githubSourceConfig(spawner)?.reporting?.enabled === true;
}

/** The Check Run name, when the pull request source reports through checks (the schema forbids it for issues). */
export function checkRunName(spawner: TaskSpawner): string | undefined {
  if (spawnerSourceKind(spawner) !== 'githubPullRequests') return undefined;
  const checks = spawner.spec.when.githubPullRequests?.reporting?.checks;
  if (!checks) return undefined;
  return checks.name || `Kelos: ${spawner.metadata.name ?? ''}`;
}

/**
 * `owner/repo` of the source's `repo` override (shorthand, HTTPS or SSH URL), used as the Tasks'
 * upstreamRepo in the fork workflow; undefined without an override or when it names no repository.
 */
export function upstreamRepoOf(spawner: TaskSpawner): string | undefined {
  const override = githubSourceConfig(spawner)?.repo;
  if (!override) return undefined;
  const [first, ...rest] = override.split('/');
  // `owner/repo`: a first segment with neither ':' (SSH) nor '.' (a host).
  if (rest.length > 0 && first && !first.includes(':') && !first.includes('.')) return override;
  const trimmed = override.replace(/\/+$/, '').replace(/\.git$/, '');
  const colon = trimmed.indexOf(':');
  if (colon > 0 && !trimmed.startsWith('http')) {
    const [owner, ...repo] = trimmed.slice(colon + 1).split('/');
    if (owner && repo.length > 0) return `${owner}/${repo.join('/')}`;
  }
  const parts = trimmed.split('/');
  const owner = parts.at(-2);
  const repo = parts.at(-1);
  return owner && repo ? `${owner}/${repo}` : undefined;
}
