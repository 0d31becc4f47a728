import type { Cluster } from '../cluster.js';
import type { Entry } from '../entry.js';
import type { ResourceType } from '../registry.js';
import {
  type FieldSelector,
  fieldsOf,
  type LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../selectors.js';
import { badRequest, notFound } from '../status.js';
import type { KObject } from '../types.js';
import type { ListOptions } from './options.js';

export function getEntry(c: Cluster, rt: ResourceType, namespace: string | undefined, name: string): Entry {
  const e = c.store.get(rt.storageKey, rt.namespaced ? namespace : undefined, name);
  if (!e) throw notFound({ group: rt.group, resource: rt.plural, name });
  return e;
}

export type ObjectFilter = (obj: KObject) => boolean;

/** The predicate of a namespace plus label and field selectors; undefined when everything matches. */
export function makeFilter(
  rt: ResourceType,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
): ObjectFilter | undefined {
  const ns = rt.namespaced ? opts.namespace : undefined;
  let labels: LabelSelector | undefined;
  let fields: FieldSelector | undefined;
  try {
    if (opts.labelSelector) labels = parseLabelSelector(opts.labelSelector);
    if (opts.fieldSelector) fields = parseFieldSelector(opts.fieldSelector);
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
  if (fields) {
    const supported = fieldsOf(rt.plural, {});
    for (const r of fields.requirements) {
      if (!Object.hasOwn(supported, r.field)) throw badRequest(`field label not supported: ${r.field}`);
    }
  }
  if (!ns && !labels && !fields) return undefined;
  return (obj) =>
    (!ns || obj.metadata.namespace === ns) &&
    (!labels || matchesLabels(labels, obj.metadata.labels)) &&
    (!fields || matchesFields(fields, fieldsOf(rt.plural, obj)));
}

export interface ListPage {
  entries: Entry[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v === 'meta.k8s.io/v1' && typeof t.start === 'string') return t;
  } catch {
    // reported below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** First index whose key is >= `start`, by binary search over the key-ordered entries. */
function lowerBound(entries: Entry[], start: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as Entry).key < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Lists in key order with limit/continue. A continuation serves the current state from where the last page
 * stopped (not a snapshot at the first page's resourceVersion, as etcd would).
 */
export function listEntries(c: Cluster, rt: ResourceType, opts: ListOptions): ListPage {
  const rv = c.store.resourceVersion;
  const all = c.store.list(rt.storageKey, rt.namespaced ? opts.namespace : undefined);
  const filter = makeFilter(rt, { ...opts, namespace: undefined });
  let i = opts.continue ? lowerBound(all, decodeContinue(opts.continue).start) : 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
  const entries: Entry[] = [];
  for (; i < all.length && entries.length < limit; i++) {
    const e = all[i] as Entry;
    if (!filter || filter(e.obj)) entries.push(e);
  }
  const page: ListPage = { entries, resourceVersion: String(rv) };
  if (i < all.length && entries.length >= limit) {
    const rest = filter ? all.slice(i).some((e) => filter(e.obj)) : true;
    if (rest) {
      page.continue = encodeContinue(rv, (entries[entries.length - 1] as Entry).key);
      if (!filter) page.remainingItemCount = all.length - i;
    }
  }
  return page;
}
