import type { Cluster } from './cluster.js';
import { cloneJson, type Entry } from './entry.js';
import { deleteQuietly } from './lifecycle.js';
import { commitUpdate } from './ops/update.js';
import type { ResourceType } from './registry.js';
import type { KObject } from './types.js';

/**
 * The garbage collector, run synchronously on each commit: ownerReferences with background, foreground
 * (`foregroundDeletion` finalizer) and orphan (`orphan` finalizer) propagation.
 */

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

function ownersGone(c: Cluster, obj: KObject): boolean {
  const refs = obj.metadata.ownerReferences ?? [];
  return refs.length > 0 && refs.every((r) => c.store.byUid(r.uid) === undefined);
}

function ownerUids(obj: KObject | undefined): string {
  return (obj?.metadata.ownerReferences ?? []).map((r) => r.uid).join(',');
}

/** Applies an internal metadata change to a stored object (no admission: controllers only touch metadata). */
function mutate(c: Cluster, storageKey: string, entry: Entry, change: (obj: KObject) => void): void {
  const rt = c.resourceType(storageKey);
  if (!rt) return;
  const obj = cloneJson(entry.obj);
  change(obj);
  commitUpdate(c, rt, obj, entry);
}

function withoutFinalizer(obj: KObject, finalizer: string): void {
  const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (rest.length > 0) obj.metadata.finalizers = rest;
  else delete obj.metadata.finalizers;
}

/**
 * An object whose owners all no longer exist is garbage. Checked after the write that set its owners,
 * off the request path, because a client may create the dependant just before its owner becomes visible.
 */
export function afterOwnerChange(c: Cluster, _rt: ResourceType, entry: Entry, old: Entry | undefined): void {
  if (!entry.obj.metadata.ownerReferences?.length || ownerUids(entry.obj) === ownerUids(old?.obj)) return;
  const uid = entry.obj.metadata.uid;
  if (!uid) return;
  setImmediate(() => {
    const hit = c.store.byUid(uid);
    if (!hit || hit.entry.obj.metadata.deletionTimestamp !== undefined || !ownersGone(c, hit.entry.obj))
      return;
    const rt = c.resourceType(hit.storageKey);
    if (rt) deleteQuietly(c, rt, hit.entry);
  });
}

/** Handles the GC finalizers of an object that is being deleted. */
export function processDeleting(c: Cluster, _rt: ResourceType, entry: Entry): void {
  const finalizers = entry.obj.metadata.finalizers ?? [];
  const uid = entry.obj.metadata.uid;
  if (!uid) return;
  if (finalizers.includes(ORPHAN_FINALIZER)) {
    for (const dep of c.store.dependentsOf(uid)) {
      mutate(c, dep.storageKey, dep.entry, (o) => {
        const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (refs.length > 0) o.metadata.ownerReferences = refs;
        else delete o.metadata.ownerReferences;
      });
    }
    const self = c.store.byUid(uid);
    if (self) mutate(c, self.storageKey, self.entry, (o) => withoutFinalizer(o, ORPHAN_FINALIZER));
  } else if (finalizers.includes(FOREGROUND_FINALIZER)) {
    for (const dep of c.store.dependentsOf(uid)) {
      if (dep.entry.obj.metadata.deletionTimestamp !== undefined) continue;
      const rt = c.resourceType(dep.storageKey);
      if (rt) deleteQuietly(c, rt, dep.entry, 'Foreground');
    }
    maybeFinishForeground(c, uid);
  }
}

function maybeFinishForeground(c: Cluster, ownerUid: string): void {
  const owner = c.store.byUid(ownerUid);
  if (!owner) return;
  const meta = owner.entry.obj.metadata;
  if (meta.deletionTimestamp === undefined || !meta.finalizers?.includes(FOREGROUND_FINALIZER)) return;
  if (c.store.dependentsOf(ownerUid).length > 0) return;
  mutate(c, owner.storageKey, owner.entry, (o) => withoutFinalizer(o, FOREGROUND_FINALIZER));
}

/** After an object is gone: unblock owners waiting in foreground deletion, collect its dependants. */
export function afterRemove(c: Cluster, final: Entry): void {
  for (const ref of final.obj.metadata.ownerReferences ?? []) maybeFinishForeground(c, ref.uid);
  const uid = final.obj.metadata.uid;
  if (!uid) return;
  for (const dep of c.store.dependentsOf(uid)) {
    if (dep.entry.obj.metadata.deletionTimestamp !== undefined || !ownersGone(c, dep.entry.obj)) continue;
    const rt = c.resourceType(dep.storageKey);
    if (rt) deleteQuietly(c, rt, dep.entry);
  }
}
