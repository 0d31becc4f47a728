import type { Cluster } from '../cluster.js';
import type { Entry } from '../entry.js';
import type { ResourceType } from '../registry.js';
import { badRequest, expired } from '../status.js';
import type { StoreEvent } from '../watch-hub.js';
import type { WatchOptions } from './options.js';
import { makeFilter } from './read.js';

export type WatchEventSink = (type: 'ADDED' | 'MODIFIED' | 'DELETED', entry: Entry) => void;

/**
 * Translates a store event for a watcher with a filter: an update that makes an object match is ADDED for
 * that watcher, one that makes it stop matching is DELETED, as the Kubernetes watch cache does.
 */
function deliver(
  ev: StoreEvent,
  filter: ((o: Entry['obj']) => boolean) | undefined,
  sink: WatchEventSink,
): void {
  if (!filter) {
    sink(ev.type, ev.entry);
    return;
  }
  const now = filter(ev.entry.obj);
  if (ev.type !== 'MODIFIED') {
    if (now) sink(ev.type, ev.entry);
    return;
  }
  const before = ev.old !== undefined && filter(ev.old.obj);
  if (now && before) sink('MODIFIED', ev.entry);
  else if (now) sink('ADDED', ev.entry);
  else if (before) sink('DELETED', ev.entry);
}

/**
 * Starts a watch: replays the current state (no resourceVersion or "0") or the retained events after the
 * given resourceVersion, then follows new commits. Throws 410 Expired when those events are no longer kept.
 * Returns the function that stops it.
 */
export function startWatch(
  c: Cluster,
  rt: ResourceType,
  opts: WatchOptions,
  sink: WatchEventSink,
): () => void {
  const filter = makeFilter(rt, opts);
  const rv = opts.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    const source = c.store.list(rt.storageKey, rt.namespaced ? opts.namespace : undefined);
    for (const e of source) if (!filter || filter(e.obj)) sink('ADDED', e);
  } else {
    const n = Number(rv);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
    const history = c.hub.since(rt.storageKey, n);
    if (!history) throw expired(`too old resource version: ${n} (${c.store.resourceVersion})`);
    for (const ev of history) deliver(ev, filter, sink);
  }
  return c.hub.subscribe(rt.storageKey, (ev) => deliver(ev, filter, sink));
}
