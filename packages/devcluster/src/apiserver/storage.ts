import { deepFreeze, Entry, objectKey } from './entry.js';
import type { LoadedState, PersistenceLog } from './persistence.js';
import type { KObject } from './types.js';
import type { WatchHub } from './watch-hub.js';

/** The objects of one resource, indexed by `ns/name` and by namespace, with a lazily sorted key list. */
class Table {
  readonly all = new Map<string, Entry>();
  readonly byNs = new Map<string, Map<string, Entry>>();
  private sortedAll: string[] | undefined;
  private readonly sortedNs = new Map<string, string[]>();

  set(entry: Entry): boolean {
    const key = entry.key;
    const isNew = !this.all.has(key);
    this.all.set(key, entry);
    const ns = entry.obj.metadata.namespace ?? '';
    let nsMap = this.byNs.get(ns);
    if (!nsMap) {
      nsMap = new Map();
      this.byNs.set(ns, nsMap);
    }
    nsMap.set(key, entry);
    if (isNew) this.invalidate(ns);
    return isNew;
  }

  delete(entry: Entry): void {
    const ns = entry.obj.metadata.namespace ?? '';
    this.all.delete(entry.key);
    const nsMap = this.byNs.get(ns);
    nsMap?.delete(entry.key);
    if (nsMap?.size === 0) this.byNs.delete(ns);
    this.invalidate(ns);
  }

  /** Entries ordered by key, as Kubernetes lists them. */
  sorted(ns: string | undefined): Entry[] {
    const source = ns === undefined ? this.all : this.byNs.get(ns);
    if (!source) return [];
    let keys = ns === undefined ? this.sortedAll : this.sortedNs.get(ns);
    if (!keys) {
      keys = [...source.keys()].sort();
      if (ns === undefined) this.sortedAll = keys;
      else this.sortedNs.set(ns, keys);
    }
    const out: Entry[] = [];
    for (const k of keys) {
      const e = source.get(k);
      if (e) out.push(e);
    }
    return out;
  }

  private invalidate(ns: string): void {
    this.sortedAll = undefined;
    this.sortedNs.delete(ns);
  }
}

/**
 * All objects, keyed by storage key and `ns/name`. Every write takes the next global resourceVersion,
 * goes to the persistence log (when there is one) before it becomes visible, and is published to the hub.
 */
export class ObjectStore {
  private rv: number;
  private readonly tables = new Map<string, Table>();
  private readonly uids = new Map<string, { storageKey: string; entry: Entry }>();
  /** Owner uid → uids of the objects that name it in ownerReferences. */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(
    private readonly hub: WatchHub,
    private readonly log: PersistenceLog | undefined,
    initial: LoadedState | undefined,
  ) {
    this.rv = initial?.resourceVersion ?? 0;
    if (initial) {
      for (const [storageKey, objects] of initial.objects) {
        for (const obj of objects.values()) this.index(storageKey, new Entry(deepFreeze(obj)), undefined);
      }
    }
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(storageKey: string, namespace: string | undefined, name: string): Entry | undefined {
    return this.tables.get(storageKey)?.all.get(objectKey(namespace, name));
  }

  list(storageKey: string, namespace?: string): Entry[] {
    return this.tables.get(storageKey)?.sorted(namespace) ?? [];
  }

  count(storageKey: string, namespace?: string): number {
    const t = this.tables.get(storageKey);
    if (!t) return 0;
    return namespace === undefined ? t.all.size : (t.byNs.get(namespace)?.size ?? 0);
  }

  storageKeys(): string[] {
    return [...this.tables.keys()];
  }

  byUid(uid: string): { storageKey: string; entry: Entry } | undefined {
    return this.uids.get(uid);
  }

  dependentsOf(uid: string): { storageKey: string; entry: Entry }[] {
    const set = this.dependents.get(uid);
    if (!set) return [];
    const out: { storageKey: string; entry: Entry }[] = [];
    for (const d of set) {
      const hit = this.uids.get(d);
      if (hit) out.push(hit);
    }
    return out;
  }

  /** Commits `obj` (which becomes frozen) as a create or an update; returns the stored entry. */
  put(storageKey: string, obj: KObject): Entry {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const entry = new Entry(deepFreeze(obj));
    this.log?.appendPut(storageKey, entry.obj);
    const old = this.get(storageKey, obj.metadata.namespace, obj.metadata.name ?? '');
    this.index(storageKey, entry, old);
    const ev = old
      ? { type: 'MODIFIED' as const, rv: this.rv, storageKey, entry, old }
      : { type: 'ADDED' as const, rv: this.rv, storageKey, entry };
    this.hub.publish(ev);
    return entry;
  }

  /**
   * Removes an object; the returned entry is its final state (`finalObj` when the removal comes with a last
   * update, such as the removal of the last finalizer), stamped with the deletion's resourceVersion.
   */
  remove(storageKey: string, current: Entry, finalObj?: KObject): Entry {
    this.rv++;
    const base = finalObj ?? current.obj;
    const metadata = { ...base.metadata, resourceVersion: String(this.rv) };
    const final = new Entry(deepFreeze({ ...base, metadata }));
    this.log?.appendDelete(storageKey, current.key, this.rv);
    const table = this.tables.get(storageKey);
    table?.delete(current);
    this.unindexOwners(current);
    const uid = current.obj.metadata.uid;
    if (uid) this.uids.delete(uid);
    this.hub.publish({ type: 'DELETED', rv: this.rv, storageKey, entry: final });
    return final;
  }

  /** Forgets a whole table without events or log records (its objects were already deleted one by one). */
  dropTable(storageKey: string): void {
    this.tables.delete(storageKey);
  }

  private index(storageKey: string, entry: Entry, old: Entry | undefined): void {
    let table = this.tables.get(storageKey);
    if (!table) {
      table = new Table();
      this.tables.set(storageKey, table);
    }
    table.set(entry);
    const uid = entry.obj.metadata.uid;
    if (uid) this.uids.set(uid, { storageKey, entry });
    if (old) this.unindexOwners(old);
    for (const ref of entry.obj.metadata.ownerReferences ?? []) {
      if (!uid) break;
      let set = this.dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.dependents.set(ref.uid, set);
      }
      set.add(uid);
    }
  }

  private unindexOwners(entry: Entry): void {
    const uid = entry.obj.metadata.uid;
    if (!uid) return;
    for (const ref of entry.obj.metadata.ownerReferences ?? []) {
      const set = this.dependents.get(ref.uid);
      set?.delete(uid);
      if (set?.size === 0) this.dependents.delete(ref.uid);
    }
  }
}
