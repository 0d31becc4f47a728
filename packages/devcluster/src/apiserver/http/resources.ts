import type { Entry } from '../entry.js';
import { createObject } from '../ops/create.js';
import { deleteCollection, deleteObject } from '../ops/delete.js';
import type { DeleteOptions, ListOptions, WriteOptions } from '../ops/options.js';
import { PATCH_CONTENT_TYPES, patchObject } from '../ops/patch.js';
import { getEntry, listEntries } from '../ops/read.js';
import { type Subresource, updateObject } from '../ops/update.js';
import { apiVersionOf, type ResourceType } from '../registry.js';
import { badRequest, methodNotAllowed, notFound, unsupportedMediaType } from '../status.js';
import { toTable } from '../table.js';
import type { PropagationPolicy } from '../types.js';
import { isObject } from '../types.js';
import { mediaType, readBody } from './body.js';
import { queryBool, queryInt, type RequestContext, tableOptions, wantsTable } from './context.js';
import { handlePodLog } from './logs.js';
import { sendJson, sendObject, successStatus } from './respond.js';
import { handleScale } from './scale.js';
import { handleWatch } from './watch.js';

export interface ResourceTarget {
  rt: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  watchPath: boolean;
}

function writeOptions(q: URLSearchParams): WriteOptions {
  const opts: WriteOptions = {};
  if (q.get('dryRun') === 'All') opts.dryRun = true;
  const fv = q.get('fieldValidation');
  if (fv === 'Strict' || fv === 'Warn' || fv === 'Ignore') opts.fieldValidation = fv;
  const fm = q.get('fieldManager');
  if (fm) opts.fieldManager = fm;
  return opts;
}

function listOptions(ctx: RequestContext, namespace: string | undefined): ListOptions {
  const q = ctx.query;
  const opts: ListOptions = {};
  if (namespace !== undefined) opts.namespace = namespace;
  const ls = q.get('labelSelector');
  if (ls) opts.labelSelector = ls;
  const fs = q.get('fieldSelector');
  if (fs) opts.fieldSelector = fs;
  const limit = queryInt(q, 'limit');
  if (limit !== undefined) opts.limit = limit;
  const cont = q.get('continue');
  if (cont) opts.continue = cont;
  return opts;
}

function isPolicy(v: unknown): v is PropagationPolicy {
  return v === 'Background' || v === 'Foreground' || v === 'Orphan';
}

/** DeleteOptions from the body (kubectl, client-node) or the query (curl-style clients). */
function deleteOptions(q: URLSearchParams, body: unknown): DeleteOptions {
  const opts: DeleteOptions = {};
  const b = isObject(body) ? body : {};
  const policy = b.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== null) {
    if (!isPolicy(policy)) throw badRequest(`propagationPolicy: Unsupported value: "${String(policy)}"`);
    opts.propagationPolicy = policy;
  } else if (b.orphanDependents === true || q.get('orphanDependents') === 'true') {
    opts.propagationPolicy = 'Orphan';
  }
  const grace =
    typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : queryInt(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (isObject(b.preconditions)) {
    const pre: DeleteOptions['preconditions'] = {};
    if (typeof b.preconditions.uid === 'string') pre.uid = b.preconditions.uid;
    if (typeof b.preconditions.resourceVersion === 'string')
      pre.resourceVersion = b.preconditions.resourceVersion;
    opts.preconditions = pre;
  }
  if ((Array.isArray(b.dryRun) && b.dryRun.includes('All')) || q.get('dryRun') === 'All') opts.dryRun = true;
  return opts;
}

function sendEntry(ctx: RequestContext, rt: ResourceType, entry: Entry, code: number): void {
  const view = ctx.cluster.view(rt, entry);
  if (wantsTable(ctx.req)) {
    const meta = { resourceVersion: view.obj.metadata.resourceVersion };
    const table = toTable([view.obj], rt.printerColumns, rt, meta, tableOptions(ctx.query));
    sendObject(ctx.res, code, table);
    return;
  }
  sendJson(ctx.res, code, view.json);
}

function sendList(ctx: RequestContext, rt: ResourceType, namespace: string | undefined): void {
  const page = listEntries(ctx.cluster, rt, listOptions(ctx, namespace));
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: page.resourceVersion,
  };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  const views = page.entries.map((e) => ctx.cluster.view(rt, e));
  if (wantsTable(ctx.req)) {
    const objects = views.map((v) => v.obj);
    sendObject(ctx.res, 200, toTable(objects, rt.printerColumns, rt, meta, tableOptions(ctx.query)));
    return;
  }
  // Items are spliced in from their cached encodings: a list costs no per-object serialization.
  const head = `{"kind":"${rt.listKind}","apiVersion":"${apiVersionOf(rt)}","metadata":${JSON.stringify(meta)},"items":[`;
  sendJson(ctx.res, 200, `${head}${views.map((v) => v.json).join(',')}]}`);
}

function subresourceOf(
  rt: ResourceType,
  sub: string | undefined,
  name: string,
): Subresource | 'log' | 'scale' {
  if (sub === undefined) return undefined;
  if (sub === 'status' && rt.hasStatus) return 'status';
  if (sub === 'log' && rt.hasLog) return 'log';
  if (sub === 'scale' && rt.scale) return 'scale';
  throw notFound({ group: rt.group, resource: `${rt.plural}/${sub}`, name });
}

export async function handleResource(ctx: RequestContext, t: ResourceTarget): Promise<void> {
  const { rt, namespace, name } = t;
  const method = ctx.req.method ?? 'GET';
  const q = ctx.query;
  const watching = t.watchPath || queryBool(q, 'watch');
  if (name === undefined) {
    if (method === 'GET' && watching) return handleWatch(ctx, rt, namespace, undefined);
    if (method === 'GET') return sendList(ctx, rt, namespace);
    if (method === 'POST') {
      const entry = createObject(ctx.cluster, rt, namespace, await readBody(ctx.req), writeOptions(q));
      return sendEntry(ctx, rt, entry, 201);
    }
    if (method === 'DELETE') {
      const opts = deleteOptions(q, await readBody(ctx.req));
      deleteCollection(ctx.cluster, rt, listOptions(ctx, namespace), opts);
      return sendObject(ctx.res, 200, successStatus());
    }
    throw methodNotAllowed(`${method} is not supported on a collection of ${rt.plural}`);
  }
  if (watching) {
    if (method !== 'GET' || t.subresource)
      throw methodNotAllowed(`watch is only supported with GET on ${rt.plural}`);
    return handleWatch(ctx, rt, namespace, name);
  }
  const sub = subresourceOf(rt, t.subresource, name);
  if (sub === 'log') {
    if (method !== 'GET') throw methodNotAllowed(`${method} is not supported on pods/log`);
    return handlePodLog(ctx, namespace ?? '', name);
  }
  if (sub === 'scale') return handleScale(ctx, rt, namespace, name);
  switch (method) {
    case 'GET':
      return sendEntry(ctx, rt, getEntry(ctx.cluster, rt, namespace, name), 200);
    case 'PUT': {
      const body = await readBody(ctx.req);
      const entry = updateObject(ctx.cluster, rt, namespace, name, body, {
        ...writeOptions(q),
        subresource: sub,
      });
      return sendEntry(ctx, rt, entry, 200);
    }
    case 'PATCH': {
      const ct = mediaType(ctx.req.headers['content-type']);
      const type = PATCH_CONTENT_TYPES[ct];
      if (!type) throw unsupportedMediaType(ct);
      const body = await readBody(ctx.req);
      const existed =
        ctx.cluster.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name) !== undefined;
      const entry = patchObject(ctx.cluster, rt, namespace, name, type, body, {
        ...writeOptions(q),
        subresource: sub,
        force: queryBool(q, 'force'),
      });
      return sendEntry(ctx, rt, entry, existed ? 200 : 201);
    }
    case 'DELETE': {
      if (sub) throw methodNotAllowed(`DELETE is not supported on ${rt.plural}/${sub}`);
      const result = deleteObject(
        ctx.cluster,
        rt,
        namespace,
        name,
        deleteOptions(q, await readBody(ctx.req)),
      );
      return sendEntry(ctx, rt, result.entry, result.finished ? 200 : 202);
    }
    default:
      throw methodNotAllowed(`${method} is not supported on ${rt.plural}`);
  }
}
