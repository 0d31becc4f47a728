import { admit, isCrdResource } from '../admission.js';
import type { Cluster } from '../cluster.js';
import { cloneJson, Entry } from '../entry.js';
import { sameJson } from '../json.js';
import { recordUpdateManager } from '../patch/index.js';
import type { ResourceType } from '../registry.js';
import { badRequest, conflict, MODIFIED_CONFLICT } from '../status.js';
import type { KObject } from '../types.js';
import type { WriteOptions } from './options.js';
import { getEntry } from './read.js';
import { prepareBody } from './typemeta.js';

export type Subresource = 'status' | undefined;

const SERVER_OWNED_META = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
];

/** Everything but metadata and status: what `metadata.generation` tracks. */
function specOf(obj: KObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function sameContent(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return sameJson(strip(a), strip(b));
}

/**
 * Namespaces and CRDs are removed by their own cleanup once their content is gone, and a pod deleted with a
 * grace period is removed by the node; anything else goes as soon as its last finalizer does.
 */
function removeOnUpdate(rt: ResourceType, obj: KObject): boolean {
  const m = obj.metadata;
  if (m.deletionTimestamp === undefined || (m.finalizers ?? []).length > 0) return false;
  if ((rt.group === '' && rt.plural === 'namespaces') || isCrdResource(rt)) return false;
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

/**
 * Records an `Update` manager in managedFields. Only done when a client names its field manager or the
 * object already tracks managers (server-side apply is in use): the bookkeeping costs a diff per write.
 */
export function recordManager(
  rt: ResourceType,
  old: KObject | undefined,
  next: KObject,
  manager: string,
  subresource?: string,
): KObject {
  const opts: { kind: { group: string; kind: string }; subresource?: string } = {
    kind: { group: rt.group, kind: rt.kind },
  };
  if (subresource) opts.subresource = subresource;
  return recordUpdateManager(old, next, manager, 'Update', opts) as KObject;
}

/** Stores an already admitted update, or removes the object when that update released its last finalizer. */
export function commitUpdate(c: Cluster, rt: ResourceType, next: KObject, current: Entry): Entry {
  if (removeOnUpdate(rt, next)) return c.commitRemove(rt, current, next);
  return c.commitPut(rt, next, current);
}

/**
 * Merges a full replacement object with the stored one following the status subresource rules: a write to
 * the main resource keeps the stored status, a write to /status keeps everything but the status.
 */
function merge(rt: ResourceType, old: KObject, body: KObject, sub: Subresource): KObject {
  if (sub === 'status') {
    // A copy of the stored object but for its status, which the body's replaces in place (key order kept).
    const next = {} as KObject;
    for (const [k, v] of Object.entries(old)) {
      if (k !== 'status') next[k] = cloneJson(v);
      else if (body.status !== undefined) next.status = body.status;
    }
    if (old.status === undefined && body.status !== undefined) next.status = body.status;
    return next;
  }
  const meta = body.metadata;
  for (const f of SERVER_OWNED_META) {
    if (old.metadata[f] === undefined) delete meta[f];
    else meta[f] = cloneJson(old.metadata[f]);
  }
  if (meta.managedFields === undefined && old.metadata.managedFields !== undefined) {
    meta.managedFields = cloneJson(old.metadata.managedFields);
  }
  if (rt.hasStatus) {
    if (old.status === undefined) delete body.status;
    else body.status = cloneJson(old.status);
  }
  return body;
}

/**
 * Replaces an object (PUT). A `metadata.resourceVersion` in the body is a precondition (409 when stale);
 * without one the update is unconditional.
 */
export function updateObject(
  c: Cluster,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  body: unknown,
  opts: WriteOptions & { subresource?: Subresource },
): Entry {
  const current = getEntry(c, rt, namespace, name);
  const obj = prepareBody(rt, body, current.obj.metadata.namespace);
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  obj.metadata.name = name;
  return updateFrom(c, rt, current, obj, opts);
}

/** The shared tail of update, patch and apply: precondition, merge, admission, generation, commit. */
export function updateFrom(
  c: Cluster,
  rt: ResourceType,
  current: Entry,
  obj: KObject,
  opts: WriteOptions & { subresource?: Subresource; applied?: boolean },
): Entry {
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.obj.metadata.resourceVersion) {
    throw conflict(
      { group: rt.group, resource: rt.plural, name: current.obj.metadata.name ?? '' },
      MODIFIED_CONFLICT,
    );
  }
  const old = current.obj;
  const merged = merge(rt, old, obj, opts.subresource);
  let next = admit(c.registry, rt, merged, old, { strictFields: opts.fieldValidation === 'Strict' });
  if (!opts.applied && (opts.fieldManager || old.metadata.managedFields?.length)) {
    next = recordManager(rt, old, next, opts.fieldManager ?? 'unknown', opts.subresource);
  }
  if (rt.tracksGeneration) {
    const gen = typeof old.metadata.generation === 'number' ? old.metadata.generation : 1;
    next.metadata.generation = sameJson(specOf(old), specOf(next)) ? gen : gen + 1;
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (sameContent(old, next)) return current;
  if (opts.dryRun) return new Entry(next);
  return commitUpdate(c, rt, next, current);
}
