import type { TaskSpawner } from '@kelos/shared';
import { spawnerSourceKind, type WorkItemSource } from '@kelos/shared/taskspawner';
import type { Logger } from 'pino';
import type { GitHubIntegration } from '../integrations.js';
import type { IssueComments } from '../issue-comments.js';
import type { GitHubSettings } from '../spawner-flags.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.js';
import { GitHubIssueComments } from './issue-comments.js';
import { GitHubIssuesSource } from './issues-source.js';
import { GitHubPullRequestsSource } from './pull-requests-source.js';

export interface GitHubIntegrationOptions
  extends Omit<GitHubClientOptions, 'baseUrl' | 'token' | 'app' | 'logger' | 'signal'> {
  logger?: Logger;
  /** Aborts requests and rate-limit waits on shutdown. */
  signal?: AbortSignal;
}

export interface SpawnerGitHub extends GitHubIntegration {
  /** Writes, and reads when there is no proxy. */
  readonly client: GitHubClient;
  /** Reads of the sources: through `--gh-proxy-url` when set, else `client`. */
  readonly readClient: GitHubClient;
}

/**
 * The spawner's GitHub sources and comments from its flags. The clients live as long as the process,
 * so that their ETag caches make each cycle after the first cost no quota on an unchanged repository;
 * the sources are rebuilt from the fresh spec every cycle.
 */
export function createGitHubIntegration(
  settings: GitHubSettings,
  options: GitHubIntegrationOptions = {},
): SpawnerGitHub {
  const { logger, signal, ...clientOptions } = options;
  const credentials: GitHubClientOptions = {
    ...clientOptions,
    ...(settings.token && { token: settings.token }),
    ...(settings.app && { app: settings.app }),
    ...(logger && { logger: logger.child({ component: 'github' }) }),
    ...(signal && { signal }),
  };
  const client = createGitHubClient({
    ...credentials,
    ...(settings.apiBaseUrl && { baseUrl: settings.apiBaseUrl }),
  });
  const readClient = settings.proxyUrl
    ? createGitHubClient({ ...credentials, baseUrl: settings.proxyUrl })
    : client;

  const repository = (): { owner: string; repo: string } => {
    const { owner, repo } = settings;
    if (!owner || !repo) {
      throw new Error('the GitHub sources need the repository: pass --github-owner and --github-repo');
    }
    return { owner, repo };
  };

  return {
    client,
    readClient,
    source(spawner: TaskSpawner): WorkItemSource {
      const kind = spawnerSourceKind(spawner);
      const common = { client: readClient, ...repository() };
      const { githubIssues, githubPullRequests } = spawner.spec.when;
      if (kind === 'githubIssues' && githubIssues)
        return new GitHubIssuesSource({ ...common, settings: githubIssues });
      if (kind === 'githubPullRequests' && githubPullRequests) {
        return new GitHubPullRequestsSource({ ...common, settings: githubPullRequests });
      }
      throw new Error(
        `TaskSpawner ${spawner.metadata.namespace}/${spawner.metadata.name} has no GitHub source (when.githubIssues or when.githubPullRequests)`,
      );
    },
    issueComments(): IssueComments | undefined {
      const { owner, repo } = settings;
      return owner && repo ? new GitHubIssueComments(client, owner, repo) : undefined;
    },
  };
}
