import type { Task, Workspace } from '@kelos/shared';
import { ANNOTATIONS } from '@kelos/shared/constants';
import type { V1Secret } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  buildTokenSecret,
  githubApiBaseUrl,
  githubAppCredentials,
  type InstallationToken,
  mintInstallationToken,
  tokenRefresh,
  tokenSecretName,
} from '../github/index.js';
import { parseGitHubRepo } from '../job/git-url.js';
import { isNotFound } from '../runtime/kube-client.js';
import { type TaskDeps, taskName, taskNamespace } from './context.js';
import { isControlledBy, isLeftByEarlierTask, LeftoverObjectError } from './task-api.js';

/** Why a Task cannot get its GitHub token; the message goes into the Task status. */
export class GitHubTokenError extends Error {}

export async function readSecret(
  deps: TaskDeps,
  namespace: string,
  name: string,
): Promise<V1Secret | undefined> {
  try {
    return await deps.clients.core.readNamespacedSecret({ name, namespace });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The REST API of the workspace's git host, unless the controller was pointed elsewhere. */
function apiBaseUrl(deps: TaskDeps, workspace: Workspace | undefined): string {
  const host = workspace ? (parseGitHubRepo(workspace.spec.repo)?.host ?? 'github.com') : 'github.com';
  return githubApiBaseUrl(host, deps.githubApiBaseUrl);
}

/** Mints an installation token with the App credentials in `sourceSecret`. */
export async function mintFromSecret(
  deps: TaskDeps,
  task: Task,
  workspace: Workspace | undefined,
  sourceSecret: string,
): Promise<InstallationToken> {
  const secret = await readSecret(deps, taskNamespace(task), sourceSecret);
  if (!secret) throw new GitHubTokenError(`secret "${sourceSecret}" not found`);
  const credentials = githubAppCredentials(secret.data);
  if (!credentials) throw new GitHubTokenError(`secret "${sourceSecret}" holds no GitHub App credentials`);
  return mintInstallationToken(credentials, apiBaseUrl(deps, workspace));
}

/** Writes a new token into the Task's token Secret (merge patch: token and annotations only). */
export async function storeToken(
  deps: TaskDeps,
  task: Task,
  sourceSecret: string,
  token: InstallationToken,
): Promise<void> {
  await deps.clients.core.patchNamespacedSecret(
    {
      name: tokenSecretName(task),
      namespace: taskNamespace(task),
      body: {
        metadata: {
          annotations: {
            [ANNOTATIONS.githubAppSecret]: sourceSecret,
            [ANNOTATIONS.tokenExpiresAt]: token.expiresAt,
          },
        },
        data: { GITHUB_TOKEN: Buffer.from(token.token).toString('base64') },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/**
 * The workspace the Job is built from (spec §3.2 step 1): unchanged for a PAT Secret; for a GitHub App
 * Secret, one whose secretRef names `<task>-github-token`, holding an installation token minted now (or
 * still fresh from an earlier attempt, so a Task retrying on a missing AgentConfig does not mint every 2 s).
 * A missing workspace Secret, foreign token Secret or failed mint throws GitHubTokenError.
 */
export async function resolveWorkspaceToken(
  deps: TaskDeps,
  task: Task,
  workspace: Workspace,
): Promise<Workspace> {
  const sourceName = workspace.spec.secretRef?.name;
  if (!sourceName) return workspace;
  const namespace = taskNamespace(task);
  const source = await readSecret(deps, namespace, sourceName);
  if (!source) throw new GitHubTokenError(`secret "${sourceName}" not found`);
  const credentials = githubAppCredentials(source.data);
  if (!credentials) return workspace;

  const name = tokenSecretName(task);
  const existing = await readSecret(deps, namespace, name);
  if (existing && isLeftByEarlierTask(existing, task)) {
    throw new LeftoverObjectError(
      `secret "${name}" of an earlier Task "${taskName(task)}" is still being deleted`,
    );
  }
  if (existing && !isControlledBy(existing, task)) {
    throw new GitHubTokenError(
      `secret "${name}" already exists and is not owned by Task "${taskName(task)}"`,
    );
  }
  const annotations = existing?.metadata?.annotations ?? {};
  const fresh =
    annotations[ANNOTATIONS.githubAppSecret] === sourceName &&
    !tokenRefresh(annotations[ANNOTATIONS.tokenExpiresAt], deps.now()).due;
  if (!fresh) {
    const token = await mintInstallationToken(credentials, apiBaseUrl(deps, workspace)).catch(
      (err: unknown) => {
        throw new GitHubTokenError(err instanceof Error ? err.message : String(err));
      },
    );
    if (existing) await storeToken(deps, task, sourceName, token);
    else {
      const body = buildTokenSecret(task, sourceName, token.token, token.expiresAt);
      await deps.clients.core.createNamespacedSecret({ namespace, body });
    }
  }
  return { ...workspace, spec: { ...workspace.spec, secretRef: { name } } };
}
