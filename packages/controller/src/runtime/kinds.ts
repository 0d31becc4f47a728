import type { AgentConfig, Task, TaskSpawner, Workspace } from '@kelos/shared';
import { API_GROUP, API_VERSION, KINDS } from '@kelos/shared/constants';
import type {
  V1ConfigMap,
  V1CronJob,
  V1Deployment,
  V1Job,
  V1Lease,
  V1OwnerReference,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';

/**
 * An object as the API server sends it: client-node's models type timestamps as Date, but list bodies
 * and watch events carry RFC 3339 strings, and the caches keep what the server sent.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** What the runtime reads of any object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: Wire<V1OwnerReference>[];
  };
}

/** A served resource; T is the type of its objects (a phantom, for typed informers). */
export interface ResourceKind<T extends KubeObject = KubeObject> {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly __object?: T;
}

export function resourceKind<T extends KubeObject>(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced = true,
): ResourceKind<T> {
  return { group, version, kind, plural, namespaced };
}

export function apiVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** The collection path: `/api/v1/namespaces/ns/pods`, `/apis/batch/v1/jobs` (all namespaces). */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const root = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${ns}/${kind.plural}`;
}

const kelos = <T extends KubeObject>(k: keyof typeof KINDS) =>
  resourceKind<T>(API_GROUP, API_VERSION, KINDS[k].kind, KINDS[k].plural);

/** The resources the Kelos controller reads. */
export const kinds = {
  Task: kelos<Task>('Task'),
  Workspace: kelos<Workspace>('Workspace'),
  AgentConfig: kelos<AgentConfig>('AgentConfig'),
  TaskSpawner: kelos<TaskSpawner>('TaskSpawner'),
  Job: resourceKind<Wire<V1Job>>('batch', 'v1', 'Job', 'jobs'),
  CronJob: resourceKind<Wire<V1CronJob>>('batch', 'v1', 'CronJob', 'cronjobs'),
  Deployment: resourceKind<Wire<V1Deployment>>('apps', 'v1', 'Deployment', 'deployments'),
  Pod: resourceKind<Wire<V1Pod>>('', 'v1', 'Pod', 'pods'),
  Secret: resourceKind<Wire<V1Secret>>('', 'v1', 'Secret', 'secrets'),
  ConfigMap: resourceKind<Wire<V1ConfigMap>>('', 'v1', 'ConfigMap', 'configmaps'),
  Lease: resourceKind<Wire<V1Lease>>('coordination.k8s.io', 'v1', 'Lease', 'leases'),
};
