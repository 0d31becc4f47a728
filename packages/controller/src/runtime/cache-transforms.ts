import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * What informer caches keep of an object (see InformerOptions.transform). `metadata.managedFields` is
 * often the largest part of an object and no controller logic reads it; an update that omits it keeps
 * the server's copy, so an object written back from the cache loses nothing.
 */
export function dropManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

/**
 * Metadata (without annotations) and status, for kinds the controller never writes back from its cache and
 * whose spec it never reads: a Job's pod template is most of its size.
 */
export function metadataAndStatus<T extends KubernetesObject & { status?: unknown }>(obj: T): T {
  const { apiVersion, kind, metadata, status } = obj;
  return { apiVersion, kind, metadata: slimMetadata(metadata), status } as T;
}

/** Metadata (without annotations) only: what the controller reads of a Pod is its name, labels and age. */
export function metadataOnly<T extends KubernetesObject>(obj: T): T {
  const { apiVersion, kind, metadata } = obj;
  return { apiVersion, kind, metadata: slimMetadata(metadata) } as T;
}

function slimMetadata(metadata: KubernetesObject['metadata']): KubernetesObject['metadata'] {
  if (!metadata) return metadata;
  const { managedFields: _managed, annotations: _annotations, ...kept } = metadata;
  return kept;
}

/** Base64 of `set`: what a Secret cached by {@link secretKeysOnly} holds for every key that has a value. */
export const SECRET_VALUE_PLACEHOLDER = 'c2V0';

/**
 * A Secret's metadata (without annotations), type and which keys hold a value, never the values. A
 * cluster-wide cache of Secrets kept whole would hold every credential of the cluster in the controller's
 * memory; telling a GitHub App Secret from a token Secret (spec §9) needs only the key names.
 */
export function secretKeysOnly<T extends KubernetesObject & { type?: string; data?: Record<string, string> }>(
  secret: T,
): T {
  const { apiVersion, kind, metadata, type, data } = secret;
  const keys = Object.fromEntries(
    Object.entries(data ?? {}).map(([key, value]) => [key, value ? SECRET_VALUE_PLACEHOLDER : '']),
  );
  return { apiVersion, kind, metadata: slimMetadata(metadata), type, data: keys } as T;
}
