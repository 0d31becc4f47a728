/**
 * Names and labels of what `kelos install` creates. They are contract (cli spec §13.2, api-controller
 * spec §2 and §9): the controller looks up the spawner role and lease by these names, and users' scripts
 * and docs refer to them.
 */
export const INSTALL_NAMES = {
  namespace: 'kelos-system',
  controllerServiceAccount: 'kelos-controller',
  controllerClusterRole: 'kelos-controller-role',
  controllerClusterRoleBinding: 'kelos-controller-rolebinding',
  leaderElectionRole: 'kelos-leader-election-role',
  leaderElectionRoleBinding: 'kelos-leader-election-rolebinding',
  /** The Lease the controller replicas compete for (api-controller §2). */
  leaderElectionLease: 'kelos-controller-leader-election',
  spawnerClusterRole: 'kelos-spawner-role',
  /** The ServiceAccount and RoleBinding the controller creates in each TaskSpawner's namespace (§9). */
  spawnerServiceAccount: 'kelos-spawner',
  controllerDeployment: 'kelos-controller-manager',
  controllerContainer: 'manager',
} as const;

/** `manager` is what the spec gives the Namespace; the other objects are named for what they serve. */
export type InstallComponent = 'manager' | 'controller' | 'spawner';

/** A fresh label map per call, so no two objects share one (YAML would render a shared one as an alias). */
export function installLabels(component: InstallComponent): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kelos',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'kelos',
  };
}
