import { isCrdResource } from './admission.js';
import { builtinResources } from './builtin-resources.js';
import { crdResourceTypes } from './crd.js';
import { Entry } from './entry.js';
import { afterOwnerChange, afterRemove as gcAfterRemove, processDeleting } from './gc.js';
import {
  afterCrdPut,
  afterCustomResourceRemove,
  afterNamespacedRemove,
  afterNamespacePut,
} from './lifecycle.js';
import type { LoadedState, PersistenceLog } from './persistence.js';
import { apiVersionOf, Registry, type ResourceType } from './registry.js';
import { ObjectStore } from './storage.js';
import type { KObject } from './types.js';
import { WatchHub } from './watch-hub.js';

export interface ClusterOptions {
  log?: PersistenceLog;
  state?: LoadedState;
  /** Watch events kept for resuming watches (default 10,000). */
  watchHistory?: number;
}

/**
 * The state of the API server and the commit path every write takes: storage, then the reactions the
 * controllers of a real control plane would have (default ServiceAccounts, CRD serving, garbage collection,
 * namespace and CRD cleanup).
 */
export class Cluster {
  readonly registry = new Registry();
  readonly hub: WatchHub;
  readonly store: ObjectStore;
  /**
   * When a node runs pods, deleting a scheduled pod only marks it (deletionTimestamp + grace period); the
   * node removes it once its containers have stopped. Without a node, pods are removed at once.
   */
  gracefulPodDeletion = false;
  private readonly byStorage = new Map<string, ResourceType>();

  constructor(opts: ClusterOptions = {}) {
    const startRv = opts.state?.resourceVersion ?? 0;
    this.hub = new WatchHub(opts.watchHistory ?? 10_000, startRv);
    this.store = new ObjectStore(this.hub, opts.log, opts.state);
    for (const rt of builtinResources()) this.register(rt);
    for (const crd of this.store.list(this.crdType().storageKey)) this.serveCrd(crd.obj);
  }

  resourceType(storageKey: string): ResourceType | undefined {
    return this.byStorage.get(storageKey);
  }

  builtin(group: string, plural: string): ResourceType {
    const rt = this.registry.resolve({ group, plural });
    if (!rt) throw new Error(`built-in resource ${plural}.${group} is not registered`);
    return rt;
  }

  crdType(): ResourceType {
    return this.builtin('apiextensions.k8s.io', 'customresourcedefinitions');
  }

  /** The object as seen through a version other than the one it is stored in (conversion strategy None). */
  view(rt: ResourceType, entry: Entry): Entry {
    const apiVersion = apiVersionOf(rt);
    if (entry.obj.apiVersion === apiVersion) return entry;
    return new Entry(Object.freeze({ ...entry.obj, apiVersion }));
  }

  /** Stores a create or update and runs the reactions to it. */
  commitPut(rt: ResourceType, obj: KObject, old: Entry | undefined): Entry {
    const entry = this.store.put(rt.storageKey, obj);
    if (isCrdResource(rt)) {
      this.serveCrd(entry.obj);
      afterCrdPut(this, entry, old);
    }
    if (rt.group === '' && rt.plural === 'namespaces') afterNamespacePut(this, entry, old);
    afterOwnerChange(this, rt, entry, old);
    if (entry.obj.metadata.deletionTimestamp !== undefined) processDeleting(this, rt, entry);
    return this.store.get(rt.storageKey, obj.metadata.namespace, obj.metadata.name ?? '') ?? entry;
  }

  /** Removes an object for good and runs the reactions to it. */
  commitRemove(rt: ResourceType, current: Entry, finalObj?: KObject): Entry {
    const final = this.store.remove(rt.storageKey, current, finalObj);
    if (isCrdResource(rt)) this.unserveCrd(final.obj);
    gcAfterRemove(this, final);
    if (rt.namespaced && final.obj.metadata.namespace)
      afterNamespacedRemove(this, final.obj.metadata.namespace);
    if (rt.crdName !== undefined) afterCustomResourceRemove(this, rt);
    return final;
  }

  private register(rt: ResourceType): void {
    this.registry.register(rt);
    if (rt.version === rt.storageVersion) this.byStorage.set(rt.storageKey, rt);
  }

  private serveCrd(crd: KObject): void {
    const name = crd.metadata.name ?? '';
    const established = (
      crd.status as { conditions?: { type: string; status: string }[] } | undefined
    )?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    this.registry.unregisterCrd(name);
    if (!established) return;
    for (const rt of crdResourceTypes(crd)) this.register(rt);
  }

  private unserveCrd(crd: KObject): void {
    const types = crdResourceTypes(crd);
    this.registry.unregisterCrd(crd.metadata.name ?? '');
    for (const rt of types) {
      this.byStorage.delete(rt.storageKey);
      this.store.dropTable(rt.storageKey);
    }
  }
}
