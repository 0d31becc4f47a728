import type { Cluster } from './cluster.js';
import type { Entry } from './entry.js';
import { createObject } from './ops/create.js';
import { deleteObject } from './ops/delete.js';
import type { ResourceType } from './registry.js';
import { isApiErrorCode } from './status.js';

/**
 * What the namespace controller, the ServiceAccount controller and the apiextensions finalizer do:
 * a new namespace gets its `default` ServiceAccount; a deleted namespace or CRD first deletes its content
 * and disappears once that content is gone.
 */

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export function isSystemNamespace(name: string): boolean {
  return SYSTEM_NAMESPACES.includes(name);
}

export function bootstrapNamespaces(c: Cluster): void {
  const nsType = c.builtin('', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    if (!c.store.get(nsType.storageKey, undefined, name))
      createObject(c, nsType, undefined, { metadata: { name } }, {});
  }
}

export function afterNamespacePut(c: Cluster, entry: Entry, old: Entry | undefined): void {
  const ns = entry.obj.metadata.name ?? '';
  if (!old) {
    const sa = c.builtin('', 'serviceaccounts');
    if (!c.store.get(sa.storageKey, ns, 'default')) {
      createObject(c, sa, ns, { metadata: { name: 'default', namespace: ns } }, {});
    }
  }
  if (
    entry.obj.metadata.deletionTimestamp !== undefined &&
    old?.obj.metadata.deletionTimestamp === undefined
  ) {
    for (const sk of c.store.storageKeys()) {
      const rt = c.resourceType(sk);
      if (!rt?.namespaced) continue;
      for (const e of c.store.list(sk, ns)) deleteQuietly(c, rt, e);
    }
  }
  maybeFinishNamespace(c, ns);
}

export function afterNamespacedRemove(c: Cluster, ns: string): void {
  maybeFinishNamespace(c, ns);
}

function maybeFinishNamespace(c: Cluster, ns: string): void {
  const nsType = c.builtin('', 'namespaces');
  const entry = c.store.get(nsType.storageKey, undefined, ns);
  if (!entry?.obj.metadata.deletionTimestamp || (entry.obj.metadata.finalizers ?? []).length > 0) return;
  for (const sk of c.store.storageKeys()) if (c.store.count(sk, ns) > 0) return;
  c.commitRemove(nsType, entry);
}

export function afterCrdPut(c: Cluster, entry: Entry, old: Entry | undefined): void {
  if (entry.obj.metadata.deletionTimestamp === undefined) return;
  const crdName = entry.obj.metadata.name ?? '';
  const served = c.registry.all().find((rt) => rt.crdName === crdName);
  if (served && old?.obj.metadata.deletionTimestamp === undefined) {
    for (const e of c.store.list(served.storageKey))
      deleteQuietly(c, c.resourceType(served.storageKey) ?? served, e);
  }
  maybeFinishCrd(c, crdName, served);
}

export function afterCustomResourceRemove(c: Cluster, rt: ResourceType): void {
  if (rt.crdName !== undefined) maybeFinishCrd(c, rt.crdName, rt);
}

function maybeFinishCrd(c: Cluster, crdName: string, served: ResourceType | undefined): void {
  const crdType = c.crdType();
  const entry = c.store.get(crdType.storageKey, undefined, crdName);
  if (!entry?.obj.metadata.deletionTimestamp || (entry.obj.metadata.finalizers ?? []).length > 0) return;
  if (served && c.store.count(served.storageKey) > 0) return;
  c.commitRemove(crdType, entry);
}

/** Deletes as a controller does: an object that is already gone is not an error. */
export function deleteQuietly(
  c: Cluster,
  rt: ResourceType,
  e: Entry,
  propagationPolicy?: 'Background' | 'Foreground',
): void {
  try {
    deleteObject(
      c,
      rt,
      e.obj.metadata.namespace,
      e.obj.metadata.name ?? '',
      propagationPolicy ? { propagationPolicy } : {},
    );
  } catch (err) {
    if (!isApiErrorCode(err, 404)) throw err;
  }
}
