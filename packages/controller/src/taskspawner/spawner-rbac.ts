import { LABEL_VALUES, LABELS } from '@kelos/shared/constants';
import type { V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import { isAlreadyExists, isNotFound } from '../runtime/kube-client.js';
import type { Logger } from '../runtime/logger.js';
import type { TaskSpawnerDeps } from './context.js';
import { SPAWNER_CLUSTER_ROLE, SPAWNER_SERVICE_ACCOUNT } from './options.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * How long the spawner identity of a namespace counts as present after it was seen. Spawner Tasks wake
 * their TaskSpawner often; this spares those reconciles two reads, while one deleted by hand is still
 * recreated within minutes.
 */
export const RBAC_RECHECK_MS = 5 * 60_000;

/** Shared by every spawner of the namespace, so owned by none of them. */
function rbacLabels(): Record<string, string> {
  return {
    [LABELS.name]: LABEL_VALUES.name,
    [LABELS.component]: LABEL_VALUES.componentSpawner,
    [LABELS.managedBy]: LABEL_VALUES.managedBy,
  };
}

export function buildSpawnerServiceAccount(namespace: string): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: SPAWNER_SERVICE_ACCOUNT, namespace, labels: rbacLabels() },
  };
}

/** Grants the spawner pods of one namespace the installed `kelos-spawner-role`, in that namespace only. */
export function buildSpawnerRoleBinding(namespace: string): V1RoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: { name: SPAWNER_SERVICE_ACCOUNT, namespace, labels: rbacLabels() },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: SPAWNER_CLUSTER_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: SPAWNER_SERVICE_ACCOUNT, namespace }],
  };
}

async function createIfMissing(
  read: () => Promise<unknown>,
  create: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await create();
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

/**
 * The spawner's ServiceAccount and RoleBinding `kelos-spawner` in the namespace (spec §9 step 2), created
 * when missing and otherwise left as they are: an administrator may have adjusted them. Checked again
 * only after RBAC_RECHECK_MS.
 */
export async function ensureSpawnerRbac(
  deps: TaskSpawnerDeps,
  namespace: string,
  log: Logger,
): Promise<void> {
  const checkedAt = deps.rbacCheckedAt.get(namespace);
  if (checkedAt !== undefined && deps.now() - checkedAt < RBAC_RECHECK_MS) return;
  const name = SPAWNER_SERVICE_ACCOUNT;
  const createdAccount = await createIfMissing(
    () => deps.clients.core.readNamespacedServiceAccount({ name, namespace }),
    () =>
      deps.clients.core.createNamespacedServiceAccount({
        namespace,
        body: buildSpawnerServiceAccount(namespace),
      }),
  );
  if (createdAccount) log.info({ namespace, serviceAccount: name }, 'created spawner ServiceAccount');
  const createdBinding = await createIfMissing(
    () => deps.rbac.readNamespacedRoleBinding({ name, namespace }),
    () => deps.rbac.createNamespacedRoleBinding({ namespace, body: buildSpawnerRoleBinding(namespace) }),
  );
  if (createdBinding) {
    log.info(
      { namespace, roleBinding: name, clusterRole: SPAWNER_CLUSTER_ROLE },
      'created spawner RoleBinding',
    );
  }
  deps.rbacCheckedAt.set(namespace, deps.now());
}
