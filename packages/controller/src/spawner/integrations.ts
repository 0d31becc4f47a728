import type { TaskSpawner } from '@kelos/shared';
import { spawnerSourceKind, type WorkItemSource } from '@kelos/shared/taskspawner';
import { cronSource } from './cron-source.js';
import type { IssueComments } from './issue-comments.js';

/**
 * What a cycle needs from the outside world for a TaskSpawner as it is now: where its work items come
 * from and, when it reports to GitHub, where comments go. Rebuilt each cycle from the fresh spec.
 */
export interface SpawnerIntegrations {
  /**
   * The source of the cycle that started at `now`.
   * @throws when the TaskSpawner's source cannot be built (e.g. no credentials for it).
   */
  source(spawner: TaskSpawner, now: Date): WorkItemSource;
  /** Undefined when this process cannot write to GitHub. */
  issueComments(spawner: TaskSpawner): IssueComments | undefined;
}

/** Builds the GitHub pieces; supplied by the GitHub client module. */
export interface GitHubIntegration {
  source(spawner: TaskSpawner): WorkItemSource;
  issueComments(spawner: TaskSpawner): IssueComments | undefined;
}

/**
 * The integrations of the kelos-spawner process: cron from the clock, GitHub issues and pull requests
 * through `github` (main builds it from the flags).
 */
export function spawnerIntegrations(github?: GitHubIntegration): SpawnerIntegrations {
  return {
    source(spawner, now) {
      const kind = spawnerSourceKind(spawner);
      if (kind === 'cron') return cronSource(spawner, now);
      if (!kind)
        throw new Error(
          `no source configured in TaskSpawner ${spawner.metadata.namespace}/${spawner.metadata.name}`,
        );
      if (!github) throw new Error(`this process has no GitHub integration for the ${kind} source`);
      return github.source(spawner);
    },
    issueComments: (spawner) => github?.issueComments(spawner),
  };
}
