export { controllerArgs, HEALTH_PORT, METRICS_PORT } from './deployment.js';
export { DEFAULT_CONTROLLER_IMAGE, DEFAULT_SPAWNER_IMAGE, DEFAULT_VERSION } from './images.js';
export {
  buildInstallManifests,
  type CustomResourceType,
  UNINSTALL_CUSTOM_RESOURCES,
  uninstallOrder,
} from './manifests.js';
export { INSTALL_NAMES, installLabels } from './names.js';
export {
  IMAGE_PULL_POLICIES,
  type ImagePullPolicy,
  type InstallOptions,
  resolveInstallOptions,
} from './options.js';
export { controllerRules, leaderElectionRules, spawnerRules } from './rbac.js';
export { renderManifestsYaml } from './render.js';
export type { KubeManifest, Manifest } from './types.js';
