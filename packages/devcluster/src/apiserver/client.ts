import type { Cluster } from './cluster.js';
import { cloneJson, type Entry } from './entry.js';
import { createObject } from './ops/create.js';
import { deleteCollection, deleteObject } from './ops/delete.js';
import type { DeleteOptions, ListOptions, WatchOptions, WriteOptions } from './ops/options.js';
import { type PatchType, patchObject } from './ops/patch.js';
import { getEntry, listEntries } from './ops/read.js';
import { updateObject } from './ops/update.js';
import { startWatch } from './ops/watch.js';
import type { ResourceRef, ResourceType } from './registry.js';
import { ApiError } from './status.js';
import type { KObject } from './types.js';

export interface ObjectList {
  items: readonly KObject[];
  resourceVersion: string;
  continue?: string;
}

export type InProcessWatchHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject) => void;

export interface PatchRequest {
  type: PatchType;
  patch: unknown;
  namespace?: string;
  subresource?: 'status';
  fieldManager?: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * The API without HTTP, for controllers in the same process (the local node). Same semantics as the REST
 * API: admission, validation, optimistic concurrency, finalizers, garbage collection, watch events.
 *
 * Objects returned are the stored ones, deeply frozen: read them freely, clone (structuredClone) to modify.
 * Arguments are cloned, so callers keep ownership of what they pass in.
 */
export class InProcessClient {
  constructor(private readonly cluster: Cluster) {}

  /** The served resource for a reference such as `'pods'`, `'jobs.batch'` or `'tasks.kelos.dev'`. */
  resource(ref: ResourceRef): ResourceType {
    const rt = this.cluster.registry.resolve(ref);
    if (!rt) {
      const name = typeof ref === 'string' ? ref : `${ref.plural}.${ref.group}`;
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${name})`);
    }
    return rt;
  }

  get(ref: ResourceRef, name: string, namespace?: string): KObject {
    const rt = this.resource(ref);
    return this.view(rt, getEntry(this.cluster, rt, namespace, name));
  }

  list(ref: ResourceRef, opts: ListOptions = {}): ObjectList {
    const rt = this.resource(ref);
    const page = listEntries(this.cluster, rt, opts);
    const list: ObjectList = {
      items: page.entries.map((e) => this.view(rt, e)),
      resourceVersion: page.resourceVersion,
    };
    if (page.continue) list.continue = page.continue;
    return list;
  }

  create(ref: ResourceRef, obj: KObject, opts: WriteOptions = {}): KObject {
    const rt = this.resource(ref);
    return this.view(rt, createObject(this.cluster, rt, obj.metadata?.namespace, cloneJson(obj), opts));
  }

  /** Replaces an object; its metadata.resourceVersion, when set, must be the current one (409 otherwise). */
  update(ref: ResourceRef, obj: KObject, opts: WriteOptions = {}): KObject {
    return this.replace(ref, obj, opts, undefined);
  }

  /** Writes only `.status` of an object (the status subresource). */
  updateStatus(ref: ResourceRef, obj: KObject, opts: WriteOptions = {}): KObject {
    return this.replace(ref, obj, opts, 'status');
  }

  patch(ref: ResourceRef, name: string, req: PatchRequest): KObject {
    const rt = this.resource(ref);
    const opts: Parameters<typeof patchObject>[6] = { subresource: req.subresource };
    if (req.fieldManager !== undefined) opts.fieldManager = req.fieldManager;
    if (req.force !== undefined) opts.force = req.force;
    if (req.dryRun !== undefined) opts.dryRun = req.dryRun;
    return this.view(
      rt,
      patchObject(this.cluster, rt, req.namespace, name, req.type, cloneJson(req.patch), opts),
    );
  }

  /** Deletes an object; returns its last state (still present when finalizers or a grace period hold it). */
  delete(ref: ResourceRef, name: string, opts: DeleteOptions & { namespace?: string } = {}): KObject {
    const rt = this.resource(ref);
    return this.view(rt, deleteObject(this.cluster, rt, opts.namespace, name, opts).entry);
  }

  deleteCollection(ref: ResourceRef, list: ListOptions = {}, opts: DeleteOptions = {}): number {
    return deleteCollection(this.cluster, this.resource(ref), list, opts);
  }

  /**
   * Watches a resource. Events are delivered asynchronously (in order, on the microtask queue) so a handler
   * may write to the API without re-entering the write that produced the event. Returns the stop function.
   */
  watch(ref: ResourceRef, opts: WatchOptions, handler: InProcessWatchHandler): () => void {
    const rt = this.resource(ref);
    let stopped = false;
    const stop = startWatch(this.cluster, rt, opts, (type, entry) => {
      const obj = this.view(rt, entry);
      queueMicrotask(() => {
        if (!stopped) handler(type, obj);
      });
    });
    return () => {
      stopped = true;
      stop();
    };
  }

  private replace(
    ref: ResourceRef,
    obj: KObject,
    opts: WriteOptions,
    subresource: 'status' | undefined,
  ): KObject {
    const rt = this.resource(ref);
    const name = obj.metadata?.name ?? '';
    const entry = updateObject(this.cluster, rt, obj.metadata?.namespace, name, cloneJson(obj), {
      ...opts,
      subresource,
    });
    return this.view(rt, entry);
  }

  private view(rt: ResourceType, e: Entry): KObject {
    return this.cluster.view(rt, e).obj;
  }
}
