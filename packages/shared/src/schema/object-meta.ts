import type { V1OwnerReference } from '@kubernetes/client-node';

/**
 * ObjectMeta as it travels over the wire (timestamps are RFC 3339 strings). client-node's
 * V1ObjectMeta types them as Date, which is not what a JSON body or a watch event holds.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: V1OwnerReference[];
}

export interface KubeObject<Kind extends string, Spec, Status = never> {
  apiVersion: string;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}
