import { Writable } from 'node:stream';
import type { PodLogOptions } from '../logs.js';
import { getEntry } from '../ops/read.js';
import { badRequest } from '../status.js';
import type { KObject } from '../types.js';
import { isObject } from '../types.js';
import { queryBool, queryInt, type RequestContext } from './context.js';
import { sendError } from './respond.js';

function containerNames(pod: KObject): string[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const names: string[] = [];
  for (const list of ['initContainers', 'containers']) {
    const cs = spec[list];
    if (Array.isArray(cs))
      for (const c of cs) if (isObject(c) && typeof c.name === 'string') names.push(c.name);
  }
  return names;
}

/** The container to read: the requested one, the default-container annotation's, or the only one. */
function resolveContainer(pod: KObject, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const all = containerNames(pod);
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && all.includes(annotated)) return annotated;
  const spec = isObject(pod.spec) ? pod.spec : {};
  const main = Array.isArray(spec.containers) ? spec.containers : [];
  if (main.length === 1 && isObject(main[0]) && typeof main[0].name === 'string') return main[0].name;
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
}

export async function handlePodLog(ctx: RequestContext, namespace: string, name: string): Promise<void> {
  const pod = getEntry(ctx.cluster, ctx.cluster.builtin('', 'pods'), namespace, name).obj;
  const provider = ctx.podLogs;
  if (!provider) {
    throw badRequest(`pod logs are not available: no node runs the pods of this cluster (pod "${name}")`);
  }
  const q = ctx.query;
  const opts: PodLogOptions = {
    container: resolveContainer(pod, q.get('container')),
    follow: queryBool(q, 'follow'),
    timestamps: queryBool(q, 'timestamps'),
    previous: queryBool(q, 'previous'),
  };
  const tail = queryInt(q, 'tailLines');
  if (tail !== undefined) opts.tailLines = tail;
  const since = queryInt(q, 'sinceSeconds');
  if (since !== undefined) opts.sinceSeconds = since;

  const { req, res } = ctx;
  const abort = new AbortController();
  const onClose = () => abort.abort();
  req.on('close', onClose);
  res.on('close', onClose);
  // The status line is only sent with the first byte, so an early failure can still be a proper Status.
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'text/plain' });
      if (res.write(chunk)) cb();
      else res.once('drain', () => cb());
    },
  });
  try {
    await provider.streamLog(namespace, name, opts, out, abort.signal);
    if (!res.headersSent) res.writeHead(200, { 'content-type': 'text/plain' });
    res.end();
  } catch (err) {
    if (abort.signal.aborted) res.end();
    else sendError(res, err);
  } finally {
    req.off('close', onClose);
  }
}
