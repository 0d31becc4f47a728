import type { Task } from '@kelos/shared';
import { ANNOTATIONS } from '@kelos/shared/constants';
import { TOKEN_REFRESH_RETRY_MS, tokenRefresh, tokenSecretName } from '../github/index.js';
import { type StepResult, type TaskDeps, taskNamespace } from './context.js';
import { mintFromSecret, readSecret, storeToken } from './github-token.js';

/**
 * Keeps a running Task's GitHub App token valid (spec §7): the agent reads it from the Secret volume, which
 * the kubelet re-syncs, so re-minting into `<task>-github-token` less than 5 minutes before expiry is
 * enough. Returns when to look again; nothing for Tasks whose workspace uses a plain token.
 */
export async function refreshGitHubToken(deps: TaskDeps, task: Task): Promise<StepResult> {
  const secret = await readSecret(deps, taskNamespace(task), tokenSecretName(task));
  const annotations = secret?.metadata?.annotations ?? {};
  const source = annotations[ANNOTATIONS.githubAppSecret];
  if (!source) return {};
  const decision = tokenRefresh(annotations[ANNOTATIONS.tokenExpiresAt], deps.now());
  if (!decision.due) return { requeueAfterMs: decision.afterMs };

  const namespace = taskNamespace(task);
  const ref = task.spec.workspaceRef?.name;
  const workspace = ref ? deps.caches.workspaces.get(namespace, ref) : undefined;
  try {
    const token = await mintFromSecret(deps, task, workspace, source);
    await storeToken(deps, task, source, token);
    void deps.events.record(
      task,
      'Normal',
      'GitHubTokenRefreshed',
      'Refreshed GitHub App installation token',
    );
    const next = tokenRefresh(token.expiresAt, deps.now());
    return { requeueAfterMs: next.due ? TOKEN_REFRESH_RETRY_MS : next.afterMs };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    void deps.events.record(
      task,
      'Warning',
      'GitHubTokenRefreshFailed',
      `Failed to refresh GitHub token: ${reason}`,
    );
    return { requeueAfterMs: TOKEN_REFRESH_RETRY_MS };
  }
}
