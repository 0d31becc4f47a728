import type { ObjectMeta as WireObjectMeta } from '@kelos/shared';

/** The object shapes the API server handles; every stored object is a plain JSON value of this form. */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Kelos's wire ObjectMeta, with the server's own fields and room for any other. */
export interface ObjectMeta extends Omit<WireObjectMeta, 'ownerReferences'> {
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
