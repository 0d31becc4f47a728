import { cloneJson } from '../entry.js';
import { getEntry } from '../ops/read.js';
import { updateFrom } from '../ops/update.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.js';
import type { ResourceType, ScaleSpec } from '../registry.js';
import { badRequest, methodNotAllowed, unsupportedMediaType } from '../status.js';
import type { KObject } from '../types.js';
import { isObject } from '../types.js';
import { mediaType, readBody } from './body.js';
import type { RequestContext } from './context.js';
import { sendObject } from './respond.js';

/** The scale subresource (autoscaling/v1 Scale), used by `kubectl scale`. */

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split('.').filter(Boolean)) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter(Boolean);
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (last) cur[last] = value;
}

function scaleOf(obj: KObject, spec: ScaleSpec): object {
  const m = obj.metadata;
  const selector = spec.labelSelectorPath ? getPath(obj, spec.labelSelectorPath) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: getPath(obj, spec.specReplicasPath) ?? 0 },
    status: {
      replicas: getPath(obj, spec.statusReplicasPath) ?? 0,
      ...(typeof selector === 'string' ? { selector } : {}),
    },
  };
}

export async function handleScale(
  ctx: RequestContext,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
): Promise<void> {
  const spec = rt.scale as ScaleSpec;
  const method = ctx.req.method ?? 'GET';
  const current = getEntry(ctx.cluster, rt, namespace, name);
  if (method === 'GET') return sendObject(ctx.res, 200, scaleOf(current.obj, spec));
  let desired: unknown;
  if (method === 'PUT') {
    desired = await readBody(ctx.req);
  } else if (method === 'PATCH') {
    const ct = mediaType(ctx.req.headers['content-type']);
    const patch = await readBody(ctx.req);
    const scale = scaleOf(current.obj, spec);
    if (ct === 'application/merge-patch+json') desired = applyMergePatch(scale, patch);
    else if (ct === 'application/json-patch+json') desired = applyJsonPatch(scale, patch);
    else if (ct === 'application/strategic-merge-patch+json') {
      desired = applyStrategicMergePatch(scale, patch, { group: 'autoscaling', kind: 'Scale' });
    } else throw unsupportedMediaType(ct);
  } else {
    throw methodNotAllowed(`${method} is not supported on ${rt.plural}/scale`);
  }
  const replicas = getPath(desired, '.spec.replicas');
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(
      `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be a non-negative integer`,
    );
  }
  const next = cloneJson(current.obj);
  setPath(next, spec.specReplicasPath, replicas);
  const rv = getPath(desired, '.metadata.resourceVersion');
  next.metadata.resourceVersion = typeof rv === 'string' && rv ? rv : current.obj.metadata.resourceVersion;
  const entry = updateFrom(ctx.cluster, rt, current, next, {});
  sendObject(ctx.res, 200, scaleOf(entry.obj, spec));
}
