import { isCrdResource } from '../admission.js';
import type { Cluster } from '../cluster.js';
import { cloneJson, Entry } from '../entry.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../gc.js';
import { nowTimestamp } from '../json.js';
import { isSystemNamespace } from '../lifecycle.js';
import type { ResourceType } from '../registry.js';
import { conflict, forbidden } from '../status.js';
import type { KObject } from '../types.js';
import { isObject } from '../types.js';
import type { DeleteOptions, ListOptions } from './options.js';
import { getEntry, listEntries } from './read.js';
import { commitUpdate } from './update.js';

export interface DeleteResult {
  /** The object's last state: removed (`finished`) or marked for deletion and waiting on finalizers. */
  entry: Entry;
  finished: boolean;
}

function checkPreconditions(rt: ResourceType, obj: KObject, pre: DeleteOptions['preconditions']): void {
  const target = { group: rt.group, resource: rt.plural, name: obj.metadata.name ?? '' };
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw conflict(
      target,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      target,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
}

/** Seconds a pod is given to stop, when its node is in charge of removing it; 0 for immediate removal. */
function podGracePeriod(c: Cluster, rt: ResourceType, obj: KObject, requested: number | undefined): number {
  if (!c.gracefulPodDeletion || rt.group !== '' || rt.plural !== 'pods') return 0;
  const spec = isObject(obj.spec) ? obj.spec : {};
  const phase = isObject(obj.status) ? obj.status.phase : undefined;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace =
    requested ??
    (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  return Math.max(0, grace);
}

/**
 * DELETE: removes the object right away, or — with finalizers, foreground/orphan propagation, a graceful pod
 * or a namespace/CRD with content — marks it with deletionTimestamp and leaves the rest to the finalizers.
 */
export function deleteObject(
  c: Cluster,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
): DeleteResult {
  const current = getEntry(c, rt, namespace, name);
  checkPreconditions(rt, current.obj, opts.preconditions);
  const isNamespace = rt.group === '' && rt.plural === 'namespaces';
  if (isNamespace && isSystemNamespace(name)) {
    throw forbidden({ group: '', resource: 'namespaces', name }, 'this namespace may not be deleted');
  }
  const obj = cloneJson(current.obj);
  const meta = obj.metadata;
  const finalizers = new Set(meta.finalizers ?? []);
  if (opts.propagationPolicy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  if (opts.propagationPolicy === 'Foreground') finalizers.add(FOREGROUND_FINALIZER);
  const grace = podGracePeriod(c, rt, obj, opts.gracePeriodSeconds);
  const alreadyDeleting = meta.deletionTimestamp !== undefined;
  const waits = finalizers.size > 0 || grace > 0 || isNamespace || isCrdResource(rt);

  if (
    !waits ||
    (alreadyDeleting && grace === 0 && finalizers.size === 0 && !isNamespace && !isCrdResource(rt))
  ) {
    if (opts.dryRun) return { entry: current, finished: true };
    return { entry: c.commitRemove(rt, current), finished: true };
  }
  if (finalizers.size > 0) meta.finalizers = [...finalizers];
  if (!alreadyDeleting) {
    meta.deletionTimestamp = nowTimestamp(grace);
    meta.deletionGracePeriodSeconds = grace;
    if (isNamespace) obj.status = { ...(isObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
  } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
    // A second delete may only shorten the grace period.
    meta.deletionTimestamp = nowTimestamp(grace);
    meta.deletionGracePeriodSeconds = grace;
  }
  if (opts.dryRun) return { entry: new Entry(obj), finished: false };
  const entry = commitUpdate(c, rt, obj, current);
  const stillThere = c.store.get(rt.storageKey, obj.metadata.namespace, name);
  return stillThere ? { entry: stillThere, finished: false } : { entry, finished: true };
}

/** DELETE on a collection: deletes every object the list options select. */
export function deleteCollection(
  c: Cluster,
  rt: ResourceType,
  list: ListOptions,
  opts: DeleteOptions,
): number {
  const { entries } = listEntries(c, rt, { ...list, limit: 0, continue: undefined });
  for (const e of entries) deleteObject(c, rt, e.obj.metadata.namespace, e.obj.metadata.name ?? '', opts);
  return entries.length;
}
