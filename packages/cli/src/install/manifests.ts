import { API_GROUP, API_VERSION, buildCrd, KIND_ORDER, KINDS } from '@kelos/shared';
import type { V1Namespace, V1ServiceAccount } from '@kubernetes/client-node';
import { buildControllerDeployment } from './deployment.js';
import { INSTALL_NAMES, installLabels } from './names.js';
import { type InstallOptions, resolveInstallOptions } from './options.js';
import {
  buildControllerClusterRole,
  buildControllerClusterRoleBinding,
  buildLeaderElectionRole,
  buildLeaderElectionRoleBinding,
  buildSpawnerClusterRole,
} from './rbac.js';
import type { KubeManifest, Manifest } from './types.js';

export function buildNamespace(): Manifest<V1Namespace> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: INSTALL_NAMES.namespace, labels: installLabels('manager') },
  };
}

export function buildControllerServiceAccount(): Manifest<V1ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: INSTALL_NAMES.controllerServiceAccount,
      namespace: INSTALL_NAMES.namespace,
      labels: installLabels('controller'),
    },
  };
}

/**
 * Everything `kelos install` applies, in apply order: CRDs before anything that could use them, the
 * Namespace before what lives in it, RBAC before the Deployment whose pods need it (the order of cli
 * spec §13.1). A pure function: fresh objects on every call.
 */
export function buildInstallManifests(options: InstallOptions = {}): KubeManifest[] {
  const resolved = resolveInstallOptions(options);
  return [
    // buildCrd reuses @kelos/shared's printer column objects; a copy keeps edits to ours out of them.
    ...KIND_ORDER.map((kind) => structuredClone(buildCrd(kind))),
    buildNamespace(),
    buildControllerServiceAccount(),
    buildControllerClusterRole(),
    buildSpawnerClusterRole(),
    buildControllerClusterRoleBinding(),
    buildLeaderElectionRole(),
    buildLeaderElectionRoleBinding(),
    buildControllerDeployment(resolved),
  ];
}

/** A resource whose objects uninstall deletes in every namespace before removing the controller. */
export interface CustomResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/**
 * The custom resources `kelos uninstall` deletes (and waits for) while the controller still runs to
 * clear their finalizers (cli spec §4.3). TaskSpawners go first: deleting a Task while its spawner
 * runs would only have the spawner create it again on its next cycle (api-controller §3.6).
 */
export const UNINSTALL_CUSTOM_RESOURCES: readonly CustomResourceType[] = (
  ['TaskSpawner', 'Task', 'Workspace', 'AgentConfig'] as const
).map((kind) => ({
  group: API_GROUP,
  version: API_VERSION,
  kind: KINDS[kind].kind,
  plural: KINDS[kind].plural,
}));

/** Apply order by kind; uninstall walks it backwards. */
const APPLY_ORDER: readonly string[] = [
  'CustomResourceDefinition',
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Deployment',
];

/**
 * The order uninstall deletes the installed objects in, after the custom resources are gone: the
 * controller Deployment first (nothing reconciles any more), then its RBAC, ServiceAccount and
 * Namespace, and the CRDs last (cli spec §4.3). Kinds this file does not know go first, as apply puts
 * them last. Does not modify its argument.
 */
export function uninstallOrder<T extends KubeManifest>(manifests: readonly T[]): T[] {
  const rank = (m: KubeManifest) => {
    const i = APPLY_ORDER.indexOf(m.kind);
    return i === -1 ? APPLY_ORDER.length : i;
  };
  // Array.prototype.sort is stable: objects of one kind keep their relative order.
  return [...manifests].sort((a, b) => rank(b) - rank(a));
}
