import { API_GROUP } from '@kelos/shared';
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { INSTALL_NAMES, installLabels } from './names.js';
import type { Manifest } from './types.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

/**
 * Everything the controller does to the API (api-controller spec §3, §7, §8, §9), and nothing more: no
 * wildcards, and names pinned wherever the controller only touches fixed names. Writes are Updates of
 * fresh reads (finalizers, status under retry-on-conflict, workload drift), so `patch` is granted only
 * where a merge patch is the natural write (token Secret refresh, event counts).
 */
export function controllerRules(): V1PolicyRule[] {
  return [
    // Task reconciler (§3): informer (list/watch), fresh reads before writes (get), its finalizer
    // `kelos.dev/finalizer` added and removed with Update (§3.1), Tasks past their TTL deleted (§3.6).
    // Creating Tasks is the spawner's job, under its own role.
    { apiGroups: [API_GROUP], resources: ['tasks'], verbs: ['delete', 'get', 'list', 'update', 'watch'] },
    // TaskSpawner reconciler (§9): informer, and its finalizer `kelos.dev/taskspawner-finalizer`.
    { apiGroups: [API_GROUP], resources: ['taskspawners'], verbs: ['get', 'list', 'update', 'watch'] },
    // Phase, message and outputs are written through the status subresource with Update (§3.3, §9).
    { apiGroups: [API_GROUP], resources: ['tasks/status', 'taskspawners/status'], verbs: ['update'] },
    // Objects the controller creates carry a blocking owner reference to their Task (Job, token Secret,
    // plugin ConfigMap) or TaskSpawner (Deployment, CronJob); with the OwnerReferencesPermissionEnforcement
    // admission plugin that needs update on the owner's finalizers.
    {
      apiGroups: [API_GROUP],
      resources: ['tasks/finalizers', 'taskspawners/finalizers'],
      verbs: ['update'],
    },
    // Read-only inputs, watched so that a change re-reconciles: a Task's Workspace and AgentConfigs
    // (§3.2), a TaskSpawner's Workspace (§9).
    { apiGroups: [API_GROUP], resources: ['agentconfigs', 'workspaces'], verbs: ['get', 'list', 'watch'] },
    // One Job per Task, watched for its status (§3.2, §3.3), deleted with the Task (§3.1). Never updated:
    // a Job's pod template is immutable.
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    // The spawner workload of a TaskSpawner: a Deployment for polling sources, a CronJob for cron ones
    // (§9), updated on drift (a CronJob's server-side dry-run is an update too), deleted when the source
    // switches mode or the spawner cannot run.
    {
      apiGroups: ['apps'],
      resources: ['deployments'],
      verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
    },
    {
      apiGroups: ['batch'],
      resources: ['cronjobs'],
      verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
    },
    // A Task's pod is found by its `kelos.dev/task` label (§3.3)...
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    // ...and its agent log tail holds the output markers (§3.3, §6).
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    // Workspace Secrets are read to tell a PAT from GitHub App credentials and watched for TaskSpawners
    // (§3.2, §9); the per-Task `<task>-github-token` is created and refreshed while the Job runs (§7).
    // No delete: owner references let the garbage collector remove it with the Task.
    {
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['create', 'get', 'list', 'patch', 'update', 'watch'],
    },
    // The `<task>-plugins` ConfigMap (§3.2 step 5): read to check who controls it, then created or updated.
    { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] },
    // Task and TaskSpawner events (§3.5, §9); patch bumps the count of a repeated event.
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    // The spawner's identity in each TaskSpawner namespace, created if missing (§9 step 2). Create cannot
    // be limited by name (the authorizer does not see it), get can.
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] },
    {
      apiGroups: [''],
      resources: ['serviceaccounts'],
      resourceNames: [INSTALL_NAMES.spawnerServiceAccount],
      verbs: ['get'],
    },
    { apiGroups: [RBAC_GROUP], resources: ['rolebindings'], verbs: ['create'] },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings'],
      resourceNames: [INSTALL_NAMES.spawnerServiceAccount],
      verbs: ['get'],
    },
    // RBAC escalation prevention lets a subject bind a role only if it holds all of the role's permissions
    // or may `bind` it; the controller does not hold the spawner's (it never creates Tasks), so it may bind
    // exactly that one ClusterRole.
    {
      apiGroups: [RBAC_GROUP],
      resources: ['clusterroles'],
      resourceNames: [INSTALL_NAMES.spawnerClusterRole],
      verbs: ['bind'],
    },
  ];
}

/** Leader election on one Lease in the install namespace (api-controller §2). */
export function leaderElectionRules(): V1PolicyRule[] {
  return [
    // The first replica creates the Lease; create cannot be limited by name.
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    // Every replica reads it; the leader renews it, a standby takes it over, both with Update.
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [INSTALL_NAMES.leaderElectionLease],
      verbs: ['get', 'update'],
    },
  ];
}

/**
 * The spawner's permissions, bound per namespace by the controller (api-controller §9), so each spawner
 * acts only in its TaskSpawner's namespace.
 */
export function spawnerRules(): V1PolicyRule[] {
  return [
    // Secrets its TaskSpawner names that the spawner reads at run time (§9); tokens it gets through env
    // need no permission.
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    // Its own TaskSpawner: the spec to run, watched for changes (§10.2).
    { apiGroups: [API_GROUP], resources: ['taskspawners'], verbs: ['get', 'list', 'watch'] },
    // Discovery results and conditions after each cycle (§10.3 step 7).
    { apiGroups: [API_GROUP], resources: ['taskspawners/status'], verbs: ['get', 'patch', 'update'] },
    // Tasks it creates, deduplicates, retriggers (delete and re-create) and annotates while reporting to
    // GitHub (§10.3).
    {
      apiGroups: [API_GROUP],
      resources: ['tasks'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
  ];
}

function clusterRole(name: string, component: 'controller' | 'spawner', rules: V1PolicyRule[]) {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name, labels: installLabels(component) },
    rules,
  } satisfies Manifest<V1ClusterRole>;
}

const controllerSubject = () => ({
  kind: 'ServiceAccount',
  name: INSTALL_NAMES.controllerServiceAccount,
  namespace: INSTALL_NAMES.namespace,
});

export function buildControllerClusterRole(): Manifest<V1ClusterRole> {
  return clusterRole(INSTALL_NAMES.controllerClusterRole, 'controller', controllerRules());
}

export function buildSpawnerClusterRole(): Manifest<V1ClusterRole> {
  return clusterRole(INSTALL_NAMES.spawnerClusterRole, 'spawner', spawnerRules());
}

export function buildControllerClusterRoleBinding(): Manifest<V1ClusterRoleBinding> {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name: INSTALL_NAMES.controllerClusterRoleBinding, labels: installLabels('controller') },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: INSTALL_NAMES.controllerClusterRole },
    subjects: [controllerSubject()],
  };
}

export function buildLeaderElectionRole(): Manifest<V1Role> {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: {
      name: INSTALL_NAMES.leaderElectionRole,
      namespace: INSTALL_NAMES.namespace,
      labels: installLabels('controller'),
    },
    rules: leaderElectionRules(),
  };
}

export function buildLeaderElectionRoleBinding(): Manifest<V1RoleBinding> {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: {
      name: INSTALL_NAMES.leaderElectionRoleBinding,
      namespace: INSTALL_NAMES.namespace,
      labels: installLabels('controller'),
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: INSTALL_NAMES.leaderElectionRole },
    subjects: [controllerSubject()],
  };
}
