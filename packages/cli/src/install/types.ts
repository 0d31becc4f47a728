import type { V1ObjectMeta } from '@kubernetes/client-node';

/** What every installed object has: enough to apply, delete and order it without knowing its kind. */
export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** A client-node type with the fields a manifest must carry made required. */
export type Manifest<T extends { metadata?: V1ObjectMeta }> = Omit<T, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & KubeManifest['metadata'];
};
