import type { Task } from '@kelos/shared';
import { ANNOTATIONS, API_GROUP_VERSION, ENV } from '@kelos/shared/constants';

/** Refresh an App token this long before it expires (spec §7). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** A failed refresh is tried again after this long (spec §7: at most 30 s). */
export const TOKEN_REFRESH_RETRY_MS = 30_000;

export function tokenSecretName(task: Task): string {
  return `${task.metadata.name}-github-token`;
}

/** The per-Task Secret holding a minted token, owned by the Task so that it goes with it. */
export function buildTokenSecret(task: Task, sourceSecret: string, token: string, expiresAt: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: tokenSecretName(task),
      namespace: task.metadata.namespace,
      annotations: { [ANNOTATIONS.githubAppSecret]: sourceSecret, [ANNOTATIONS.tokenExpiresAt]: expiresAt },
      ownerReferences: [
        {
          apiVersion: API_GROUP_VERSION,
          kind: 'Task',
          name: task.metadata.name ?? '',
          uid: task.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    type: 'Opaque',
    data: { [ENV.githubToken]: Buffer.from(token).toString('base64') },
  };
}

/** Whether the token must be minted again now, and otherwise when to look again. */
export function tokenRefresh(
  expiresAt: string | undefined,
  nowMs: number,
): { due: true } | { due: false; afterMs: number } {
  const expiry = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  if (Number.isNaN(expiry)) return { due: true };
  const refreshAt = expiry - TOKEN_REFRESH_MARGIN_MS;
  return refreshAt <= nowMs ? { due: true } : { due: false, afterMs: refreshAt - nowMs };
}
