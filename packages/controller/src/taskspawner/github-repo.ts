import type { TaskSpawner, Workspace } from '@kelos/shared';
import { type GitHubRepo, parseGitHubRepo } from '../job/git-url.js';

/** Why no spawner workload can be built; the reason names the Warning event, the message goes into status. */
export interface SpawnerProblem {
  reason: string;
  message: string;
}

/** `when.githubIssues.repo`, else `when.githubPullRequests.repo`: the fork-workflow override (spec §9). */
export function repoOverride(spawner: TaskSpawner): { field: string; value: string } | undefined {
  const { githubIssues, githubPullRequests } = spawner.spec.when;
  if (githubIssues?.repo) return { field: 'githubIssues.repo', value: githubIssues.repo };
  if (githubPullRequests?.repo) return { field: 'githubPullRequests.repo', value: githubPullRequests.repo };
  return undefined;
}

const OWNER_REPO = /^([^/\s:@]+)\/([^/\s:@]+?)(?:\.git)?$/;

/** An override as `owner/repo` (no host: the workspace's is kept) or as a repository URL. */
export function parseRepoOverride(value: string): { host?: string; owner: string; repo: string } | undefined {
  const trimmed = value.trim();
  const short = OWNER_REPO.exec(trimmed);
  if (short?.[1] && short[2]) return { owner: short[1], repo: short[2] };
  return parseGitHubRepo(trimmed);
}

export function isGitHubSource(spawner: TaskSpawner): boolean {
  return !!(spawner.spec.when.githubIssues || spawner.spec.when.githubPullRequests);
}

/**
 * The repository the spawner watches (spec §9): the override when set, keeping the workspace host for a
 * bare `owner/repo`, else the workspace repository. Undefined without a workspace, or for a cron spawner
 * whose workspace is no GitHub repository (cron never calls GitHub). An override that does not parse,
 * or a GitHub source without a repository, is a problem for the user to fix.
 */
export function spawnerRepo(
  spawner: TaskSpawner,
  workspace: Workspace | undefined,
): { repo: GitHubRepo | undefined } | { problem: SpawnerProblem } {
  if (!workspace) return { repo: undefined };
  const fromWorkspace = parseGitHubRepo(workspace.spec.repo);
  const override = repoOverride(spawner);
  if (override) {
    const parsed = parseRepoOverride(override.value);
    if (!parsed) {
      return {
        problem: {
          reason: 'InvalidGitHubRepoOverride',
          message: `${override.field} "${override.value}" is neither "owner/repo" nor a repository URL`,
        },
      };
    }
    return {
      repo: {
        host: parsed.host ?? fromWorkspace?.host ?? 'github.com',
        owner: parsed.owner,
        repo: parsed.repo,
      },
    };
  }
  if (fromWorkspace || !isGitHubSource(spawner)) return { repo: fromWorkspace };
  return {
    problem: {
      reason: 'InvalidWorkspaceRepo',
      message:
        `Workspace "${workspace.metadata.name}" repo "${workspace.spec.repo}" is not a GitHub repository ` +
        '(expected https://<host>/<owner>/<repo> or git@<host>:<owner>/<repo>); set it, or the source repo',
    },
  };
}
