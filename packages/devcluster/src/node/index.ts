export type { ImageResolver, RunningContainer, StartRequest } from './container-runner.js';
export { ContainerStartError, startContainer } from './container-runner.js';
export {
  CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION,
  cronJobJobName,
  parseSchedule,
  reconcileCronJob,
} from './cronjob-controller.js';
export type { DeploymentControllerOptions } from './deployment-controller.js';
export {
  POD_TEMPLATE_HASH_LABEL,
  podTemplateHash,
  reconcileDeployment,
  resolveIntOrPercent,
} from './deployment-controller.js';
export type { ApiServerEndpoint, EnvInput } from './env.js';
export { buildContainerEnv, containerArgv, kubernetesServiceEnv } from './env.js';
export { expandVars, expandWithEnv } from './expand.js';
export type { PodNetwork } from './field-ref.js';
export { resolveFieldRef } from './field-ref.js';
export type { ImageConfig, ResolvedImage } from './image-map.js';
export {
  ImageMap,
  imageNotMappedMessage,
  matchImage,
  parseImageMap,
  stripTagAndDigest,
} from './image-map.js';
export type { JobControllerOptions } from './job-controller.js';
export { JOB_TRACKING_FINALIZER, reconcileJob } from './job-controller.js';
export type { LogOptions, LogStream } from './log-store.js';
export { ContainerLog, readContainerLog, rfc3339Nano } from './log-store.js';
export type { ObjectReader, ServiceAccountTokenRequest } from './object-reader.js';
export {
  CachedObjectReader,
  ContainerConfigError,
  configMapEntries,
  secretEntries,
} from './object-reader.js';
export type { PolicyMatch } from './pod-failure-policy.js';
export { matchPodFailurePolicy } from './pod-failure-policy.js';
export type { DeletePodOptions, PodRuntimeOptions } from './pod-runtime.js';
export { LogError, PodRuntime } from './pod-runtime.js';
export type { PodStatusInput } from './pod-status.js';
export { computePodStatus, getPhase, isSidecar } from './pod-status.js';
export type { PodEvent } from './pod-worker.js';
export { exitCodeOf, isAlive, processTree, terminateProcessTree } from './process-tree.js';
export { HOST_VIEW, planRootfs } from './rootfs-plan.js';
export type { SandboxSpec } from './sandbox.js';
export { BWRAP_MISSING_MESSAGE, bwrapArgs, findBwrap, spawnSandbox } from './sandbox.js';
export { rfc3339 } from './time.js';
export type * from './types.js';
export type { BindMount, PodVolumes, VolumeSetupInput } from './volumes.js';
export { containerMounts, SERVICE_ACCOUNT_MOUNT_PATH, setUpVolumes, VolumeSetupError } from './volumes.js';
export type { Condition, Reconciliation, WorkloadAction } from './workload.js';
export { podFromTemplate, randomSuffix, safeEncode } from './workload.js';
