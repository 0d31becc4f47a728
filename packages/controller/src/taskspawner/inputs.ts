import type { TaskSpawner, Workspace } from '@kelos/shared';
import { githubAppCredentials } from '../github/app-credentials.js';
import type { SpawnerProblem } from './github-repo.js';

/** How the spawner authenticates to GitHub: the Secret's `GITHUB_TOKEN`, or its GitHub App keys (spec §9). */
export type GitHubAuth = 'token' | 'github-app';

/** What a spawner workload is built from besides the TaskSpawner itself. */
export interface SpawnerInputs {
  workspace?: Workspace;
  /** The workspace's Secret, named and classified; never its values. */
  secret?: { name: string; auth: GitHubAuth };
}

/** Reads of the objects a TaskSpawner refers to (the controller's caches). */
export interface InputLookup {
  workspace(namespace: string, name: string): Workspace | undefined;
  secretData(namespace: string, name: string): Record<string, string> | undefined | null;
}

/**
 * The spawner's Workspace and the kind of its Secret (spec §9 step 4). A missing Workspace or Secret is
 * something to wait for (`waiting` names the Normal event), not a failure: it may be created next.
 * `secretData` returns null for a Secret that exists without data.
 */
export function resolveInputs(
  spawner: TaskSpawner,
  lookup: InputLookup,
): { inputs: SpawnerInputs } | { waiting: SpawnerProblem } {
  const namespace = spawner.metadata.namespace ?? 'default';
  const workspaceName = spawner.spec.taskTemplate.workspaceRef?.name;
  if (!workspaceName) return { inputs: {} };
  const workspace = lookup.workspace(namespace, workspaceName);
  if (!workspace) {
    return {
      waiting: { reason: 'WorkspaceNotFound', message: `Workspace ${workspaceName} not found, requeuing` },
    };
  }
  const secretName = workspace.spec.secretRef?.name;
  if (!secretName) return { inputs: { workspace } };
  const data = lookup.secretData(namespace, secretName);
  if (data === undefined) {
    return {
      waiting: {
        reason: 'WorkspaceSecretNotFound',
        message: `Secret ${secretName} of Workspace ${workspaceName} not found, requeuing`,
      },
    };
  }
  const auth: GitHubAuth = githubAppCredentials(data ?? undefined) ? 'github-app' : 'token';
  return { inputs: { workspace, secret: { name: secretName, auth } } };
}
