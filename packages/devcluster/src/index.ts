export type { InProcessWatchHandler, ObjectList, PatchRequest } from './apiserver/client.js';
export { InProcessClient } from './apiserver/client.js';
export type { PodLogOptions, PodLogProvider } from './apiserver/logs.js';
export type { DeleteOptions, ListOptions, WatchOptions, WriteOptions } from './apiserver/ops/options.js';
export type { PatchType } from './apiserver/ops/patch.js';
export type { FsyncMode } from './apiserver/persistence.js';
export type { ResourceRef, ResourceType } from './apiserver/registry.js';
export type { ApiServer, ApiServerOptions } from './apiserver/server.js';
export { startApiServer } from './apiserver/server.js';
export type { StatusCause, StatusObject } from './apiserver/status.js';
export {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  isApiErrorCode,
  notFound,
} from './apiserver/status.js';
export type { KObject, ObjectMeta, OwnerReference } from './apiserver/types.js';
export type { ServingCerts } from './certs.js';
export { generateServingCerts } from './certs.js';
export type { DevCluster, DevClusterOptions } from './cluster/dev-cluster.js';
export { DEFAULT_NODE_NAME, startDevCluster } from './cluster/dev-cluster.js';
export { CONTEXT_NAME, renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { ImageResolver } from './node/container-runner.js';
export type { ImageConfig, ResolvedImage } from './node/image-map.js';
export { ImageMap, parseImageMap } from './node/image-map.js';
export { BWRAP_MISSING_MESSAGE } from './node/sandbox.js';
