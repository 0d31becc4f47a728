import type { ObjectMeta, PodOverrides } from '@kelos/shared';

/**
 * Kubernetes types the Job builder produces. The core/v1 pieces are taken from the
 * `@kubernetes/client-node` types that `@kelos/shared` already embeds in PodOverrides, so a
 * user-supplied container or volume flows into the Job without conversion. The controller package
 * does not depend on `@kubernetes/client-node` itself, so the few batch/v1 and ConfigMap shapes it
 * needs are declared here in their wire form (same field names as client-node's models).
 */
type Overrides = Required<PodOverrides>;

export type V1Container = Overrides['extraContainers'][number];
export type V1EnvVar = Overrides['env'][number];
export type V1Volume = Overrides['volumes'][number];
export type V1VolumeMount = Overrides['volumeMounts'][number];
export type V1PodSecurityContext = Overrides['podSecurityContext'];
export type V1SecurityContext = Overrides['containerSecurityContext'];
export type V1Toleration = Overrides['tolerations'][number];
export type V1Affinity = Overrides['affinity'];
export type V1LocalObjectReference = Overrides['imagePullSecrets'][number];
export type V1KeyToPath = NonNullable<NonNullable<V1Volume['configMap']>['items']>[number];

export interface V1PodSpec {
  restartPolicy: 'Never';
  securityContext?: V1PodSecurityContext;
  serviceAccountName?: string;
  initContainers?: V1Container[];
  containers: V1Container[];
  volumes?: V1Volume[];
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  affinity?: V1Affinity;
  imagePullSecrets?: V1LocalObjectReference[];
}

export interface V1PodFailurePolicyRule {
  action: 'Count' | 'FailJob' | 'Ignore';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status: string }[];
}

export interface V1PodFailurePolicy {
  rules: V1PodFailurePolicyRule[];
}

export interface V1JobSpec {
  backoffLimit: number;
  podFailurePolicy: V1PodFailurePolicy;
  activeDeadlineSeconds?: number;
  template: { metadata: ObjectMeta; spec: V1PodSpec };
}

export interface V1Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: V1JobSpec;
}

export interface V1ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data: Record<string, string>;
}
