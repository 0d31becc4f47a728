import type { Cluster } from '../cluster.js';
import { cloneJson, type Entry } from '../entry.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
} from '../patch/index.js';
import type { ResourceType } from '../registry.js';
import { ApiError, badRequest, notFound } from '../status.js';
import type { KObject } from '../types.js';
import { isObject } from '../types.js';
import { createObject } from './create.js';
import type { WriteOptions } from './options.js';
import { prepareBody } from './typemeta.js';
import { type Subresource, updateFrom } from './update.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export interface PatchOptions extends WriteOptions {
  subresource?: Subresource;
  /** Server-side apply: take ownership of conflicting fields instead of failing. */
  force?: boolean;
}

function applyConflict(rt: ResourceType, name: string, conflicts: string[]): ApiError {
  const n = conflicts.length;
  return new ApiError(
    409,
    'Conflict',
    `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${conflicts.join('\n')}`,
    {
      name,
      group: rt.group,
      kind: rt.plural,
      causes: conflicts.map((message) => ({ reason: 'FieldManagerConflict', message })),
    },
  );
}

function patched(
  rt: ResourceType,
  current: Entry,
  type: Exclude<PatchType, 'apply'>,
  patch: unknown,
): unknown {
  const target = cloneJson(current.obj);
  const kind = { group: rt.group, kind: rt.kind };
  try {
    switch (type) {
      case 'merge':
        return applyMergePatch(target, patch);
      case 'json':
        return applyJsonPatch(target, patch);
      case 'strategic':
        if (rt.crdName !== undefined) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        return applyStrategicMergePatch(target, patch, kind);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${(err as Error).message}`,
      {
        name: current.obj.metadata.name ?? '',
        group: rt.group,
        kind: rt.kind,
      },
    );
  }
}

/** PATCH in its four flavours; server-side apply creates the object when it does not exist. */
export function patchObject(
  c: Cluster,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  patch: unknown,
  opts: PatchOptions,
): Entry {
  const ns = rt.namespaced ? namespace : undefined;
  const current = c.store.get(rt.storageKey, ns, name);
  if (type === 'apply') {
    if (!opts.fieldManager) throw badRequest('PATCH, fieldManager is required for apply requests');
    if (!isObject(patch)) throw badRequest('the body of an apply request must be an object');
    const applied = patch as KObject;
    if (isObject(applied.metadata) && applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    const result = applyServerSideApply(
      current?.obj === undefined ? undefined : cloneJson(current.obj),
      applied,
      {
        fieldManager: opts.fieldManager,
        force: opts.force === true,
        kind: { group: rt.group, kind: rt.kind },
      },
    );
    if (result.conflicts.length > 0) throw applyConflict(rt, name, result.conflicts);
    if (!current) {
      if (opts.subresource) throw notFound({ group: rt.group, resource: rt.plural, name });
      const body = result.object as KObject;
      if (isObject(body.metadata)) body.metadata.name = name;
      return createObject(c, rt, ns, body, { ...opts, applied: true });
    }
    const obj = prepareBody(rt, result.object, current.obj.metadata.namespace);
    return updateFrom(c, rt, current, obj, { ...opts, applied: true });
  }
  if (!current) throw notFound({ group: rt.group, resource: rt.plural, name });
  const obj = prepareBody(rt, patched(rt, current, type, patch), current.obj.metadata.namespace);
  if (obj.metadata.name !== name)
    throw badRequest(`metadata.name: Invalid value: "${String(obj.metadata.name)}": field is immutable`);
  return updateFrom(c, rt, current, obj, opts);
}
