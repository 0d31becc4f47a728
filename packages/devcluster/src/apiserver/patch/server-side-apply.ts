/**
 * Server-side apply (`application/apply-patch+yaml`) and the `Update` bookkeeping that every other
 * write performs, tracked in `metadata.managedFields` with real `FieldsV1` encoding.
 *
 * This is a documented simplification of kube-apiserver's structured-merge-diff (SMD). Compared with
 * SMD it differs in exactly these ways:
 *
 *  1. No OpenAPI schema. Every nested object is treated as a struct: only leaves, empty objects and
 *     list items are owned, never a non-empty object itself, so map-typed fields (labels, data) get
 *     no `.` entry. Atomicity comes only from the strategy table (workload `spec.selector`); every
 *     other object is granular.
 *  2. Associative lists are keyed by the single strategic-merge-patch merge key from the same table
 *     (container `ports` by `containerPort`, Service `ports` by `port`), not by SMD's multi-field
 *     list-map keys (`containerPort` + `protocol`), and key fields are not defaulted. Merging lists of
 *     scalars (finalizers) are sets; every list without a table entry is atomic.
 *  3. Merged associative and set lists keep the live order and append new applied items in applied
 *     order; SMD interleaves them following the applied order.
 *  4. No version conversion: field sets recorded under another apiVersion are compared as-is.
 *  5. The applied configuration is not validated, defaulted or converted against a schema, and
 *     `status` is not reset; the server must reset fields its subresources own before calling in.
 *  6. `Update` managers are not capped at ten (no `ancient-changes` entry), an object without
 *     managedFields has no owners, so the first apply never conflicts (no `before-first-apply`),
 *     and apply entries carry no `subresource` (updates can record one).
 *  7. A `null` in the applied configuration removes the field; the applier still owns the path.
 *  8. Pruning removes a field the applier stops applying unless some manager owns it or anything
 *     beneath it; objects left empty by that are removed too. SMD removes empty struct fields but
 *     keeps empty maps, which we cannot tell apart.
 *  9. The applier's entry gets a new `time` whenever its field set or the object changed; SMD only
 *     stamps it when the object changed. Other managers keep their time even when they lose fields.
 * 10. No interplay with the `kubectl.kubernetes.io/last-applied-configuration` annotation.
 */
import { PatchError } from './errors.js';
import { cloneJson, getOwn, isObject, type JsonObject, jsonEqual, setOwn } from './json.js';
import {
  coveredPrefixes,
  type FieldPath,
  FieldSet,
  fieldSetOf,
  flatten,
  formatPath,
  fromFieldsV1,
  hasPrefixIn,
  ITEM,
  keyElement,
  listKind,
  removePath,
  toFieldsV1,
  valueAt,
} from './managed-fields.js';
import { type FieldStrategy, type GroupKind, groupKindOf, type Schema, schemaFor } from './strategies.js';

export type ManagedFieldsOperation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ServerSideApplyOptions {
  fieldManager: string;
  force: boolean;
  kind: GroupKind;
  /** RFC 3339 timestamp recorded in managedFields; defaults to the current time. */
  now?: string;
}

export interface ServerSideApplyResult {
  /** The merged object with updated managedFields; the unchanged live object when there are conflicts. */
  object: unknown;
  /**
   * One kube-apiserver conflict cause per field, e.g. `conflict with "kubectl" using apps/v1: .spec.replicas`.
   * Non-empty only without `force`; the server answers 409 with them.
   */
  conflicts: string[];
}

/** A managedFields entry with its fields decoded. */
interface Manager {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time: string | undefined;
  subresource: string | undefined;
  set: FieldSet;
}

type Managers = Map<string, Manager>;

/**
 * Applies `applied` over `live` (undefined when the object does not exist yet) as `fieldManager`.
 * Throws `PatchError` for a malformed request; conflicts are returned, not thrown.
 */
export function applyServerSideApply(
  live: unknown | undefined,
  applied: unknown,
  opts: ServerSideApplyOptions,
): ServerSideApplyResult {
  if (!opts.fieldManager) {
    throw new PatchError('fieldManager: Required value: is required for apply patch', 422);
  }
  if (!isObject(applied)) throw new PatchError('an apply patch must be a JSON or YAML object', 400);
  const appliedMeta = getOwn(applied, 'metadata');
  if (isObject(appliedMeta) && getOwn(appliedMeta, 'managedFields') != null) {
    throw new PatchError('metadata.managedFields must be nil', 400);
  }

  const schema = schemaFor(opts.kind);
  const liveObject = isObject(live) ? live : {};
  const managers = readManagers(liveObject);
  const apiVersion = stringField(applied, 'apiVersion') || stringField(liveObject, 'apiVersion');
  const applierId = managerId(opts.fieldManager, 'Apply', apiVersion, undefined);
  const previous = managers.get(applierId);
  const appliedSet = fieldSetOf(applied, schema);
  const others = [...managers].filter(([id]) => id !== applierId).map(([, manager]) => manager);

  const merged = withoutManagedFields(liveObject);
  const nulls: Array<[JsonObject, string]> = [];
  mergeInto(merged, applied, schema, nulls);
  if (previous) prune(merged, previous.set, [appliedSet, ...others.map((m) => m.set)]);

  const { changed, removed } = diff(liveObject, merged, schema);
  const conflicts = others.flatMap((manager) =>
    [...manager.set].filter((path) => changed.has(path)).map((path) => ({ manager, path })),
  );
  if (conflicts.length > 0 && !opts.force) {
    return { object: cloneJson(live), conflicts: conflictMessages(conflicts) };
  }
  for (const { manager, path } of conflicts) manager.set.delete(path);
  for (const manager of others) for (const path of removed) manager.set.delete(path);

  const setChanged = !previous || !sameSet(previous.set, appliedSet);
  managers.set(applierId, {
    manager: opts.fieldManager,
    operation: 'Apply',
    apiVersion,
    subresource: undefined,
    time: setChanged || changed.size > 0 || removed.size > 0 ? timestamp(opts.now) : previous?.time,
    set: appliedSet,
  });
  for (const [parent, key] of nulls) if (parent[key] === null) delete parent[key];
  writeManagers(merged, managers);
  return { object: merged, conflicts: [] };
}

/**
 * Records the `Update` (or other) manager for a create, update or non-apply patch: `manager` gains the
 * fields that changed between `before` (undefined on create) and `after`, other managers lose them,
 * and removed fields leave every set. Returns a copy of `after` with the new managedFields. As in
 * kube-apiserver, managedFields sent in `after` replace the stored ones, and `[{}]` clears them.
 */
export function recordUpdateManager(
  before: unknown | undefined,
  after: unknown,
  manager: string,
  operation: ManagedFieldsOperation = 'Update',
  opts: { now?: string; kind?: GroupKind; subresource?: string } = {},
): unknown {
  if (!isObject(after)) return cloneJson(after);
  const schema = schemaFor(opts.kind ?? groupKindOf(after));
  const beforeObject = isObject(before) ? before : {};
  const managers = readManagers(managedFieldsSentIn(after) ? after : beforeObject);
  const apiVersion = stringField(after, 'apiVersion');
  const id = managerId(manager, operation, apiVersion, opts.subresource);

  const { changed, removed } = diff(beforeObject, after, schema);
  for (const [otherId, other] of managers) {
    if (otherId === id) continue;
    for (const path of [...changed, ...removed]) other.set.delete(path);
  }
  const self = managers.get(id) ?? {
    manager,
    operation,
    apiVersion,
    subresource: opts.subresource,
    time: undefined,
    set: new FieldSet(),
  };
  for (const path of removed) self.set.delete(path);
  for (const path of changed) self.set.add(path);
  if (changed.size > 0) self.time = timestamp(opts.now);
  managers.set(id, self);

  const out = withoutManagedFields(after);
  writeManagers(out, managers);
  return out;
}

/** Whether a write carries its own managedFields (which then replace the stored ones). */
function managedFieldsSentIn(obj: JsonObject): boolean {
  const meta = getOwn(obj, 'metadata');
  const entries = isObject(meta) ? getOwn(meta, 'managedFields') : undefined;
  return Array.isArray(entries) && entries.length > 0;
}

function readManagers(obj: JsonObject): Managers {
  const managers: Managers = new Map();
  const meta = getOwn(obj, 'metadata');
  const entries = isObject(meta) ? getOwn(meta, 'managedFields') : undefined;
  if (!Array.isArray(entries)) return managers;
  for (const entry of entries) {
    // Entries kube-apiserver could not decode are dropped, which is also how `[{}]` resets ownership.
    if (!isObject(entry) || typeof entry.manager !== 'string') continue;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') continue;
    const apiVersion = typeof entry.apiVersion === 'string' ? entry.apiVersion : '';
    const subresource = typeof entry.subresource === 'string' ? entry.subresource : undefined;
    managers.set(managerId(entry.manager, entry.operation, apiVersion, subresource), {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion,
      subresource,
      time: typeof entry.time === 'string' ? entry.time : undefined,
      set: fromFieldsV1(entry.fieldsV1),
    });
  }
  return managers;
}

/** kube-apiserver's manager identity: appliers are one manager across apiVersions, updaters are not. */
function managerId(
  manager: string,
  operation: ManagedFieldsOperation,
  apiVersion: string,
  subresource: string | undefined,
): string {
  return JSON.stringify([manager, operation, operation === 'Apply' ? '' : apiVersion, subresource ?? '']);
}

/** Encodes the managers into `metadata.managedFields`, sorted the way kube-apiserver sorts them. */
function writeManagers(obj: JsonObject, managers: Managers): void {
  const entries = [...managers.values()]
    .filter((m) => m.set.size > 0)
    .sort(
      (a, b) =>
        compare(a.operation, b.operation) ||
        compare(a.time ?? '', b.time ?? '') ||
        compare(a.manager, b.manager) ||
        compare(a.apiVersion, b.apiVersion) ||
        compare(a.subresource ?? '', b.subresource ?? ''),
    )
    .map((m): ManagedFieldsEntry => {
      const entry: ManagedFieldsEntry = {
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(m.set),
      };
      if (m.time !== undefined) entry.time = m.time;
      if (m.subresource !== undefined) entry.subresource = m.subresource;
      return entry;
    });
  const existing = getOwn(obj, 'metadata');
  if (entries.length === 0) {
    if (isObject(existing)) delete existing.managedFields;
    return;
  }
  const meta = isObject(existing) ? existing : {};
  meta.managedFields = entries;
  setOwn(obj, 'metadata', meta);
}

function withoutManagedFields(obj: JsonObject): JsonObject {
  const copy = cloneJson(obj);
  const meta = getOwn(copy, 'metadata');
  if (isObject(meta)) delete meta.managedFields;
  return copy;
}

/**
 * Merges the applied configuration into `target` in place: objects merge per field, associative
 * lists per merge key, sets by value, everything else is replaced. `null`s are recorded in `nulls`
 * so they can count as changes before they are removed.
 */
function mergeInto(
  target: JsonObject,
  applied: JsonObject,
  schema: Schema | undefined,
  nulls: Array<[JsonObject, string]>,
): void {
  for (const [key, value] of Object.entries(applied)) {
    if (value === null) {
      setOwn(target, key, null);
      nulls.push([target, key]);
    } else {
      setOwn(target, key, mergeValue(getOwn(target, key), value, schema?.[key], nulls));
    }
  }
}

function mergeValue(
  live: unknown,
  applied: unknown,
  field: FieldStrategy | undefined,
  nulls: Array<[JsonObject, string]>,
): unknown {
  if (isObject(applied) && !field?.atomic) {
    const target = isObject(live) ? live : {};
    mergeInto(target, applied, field?.fields, nulls);
    return target;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const kind = listKind(field, live, applied);
    if (kind === 'map') {
      const mergeKey = field?.mergeKey ?? '';
      for (const item of applied as JsonObject[]) {
        const wanted = keyElement(mergeKey, item);
        const index = live.findIndex((candidate) => keyElement(mergeKey, candidate as JsonObject) === wanted);
        if (index >= 0) live[index] = mergeValue(live[index], item, { fields: field?.fields }, nulls);
        else live.push(mergeValue(undefined, item, { fields: field?.fields }, nulls));
      }
      return live;
    }
    if (kind === 'set') {
      for (const item of applied) if (!live.includes(item)) live.push(item);
      return live;
    }
  }
  return cloneJson(applied);
}

/**
 * Removes what the applier owned last time but no longer applies, unless another manager (or the new
 * applied set) owns that path or something beneath it. Objects the removal leaves empty go too.
 */
function prune(merged: JsonObject, lastSet: FieldSet, ownedSets: FieldSet[]): void {
  const owned = coveredPrefixes(ownedSets);
  // Shallow paths first: a list item is found by its key fields, so it must go before they do.
  const candidates = [...lastSet].filter((p) => !hasPrefixIn(owned, p) && !isKeyField(p));
  for (const path of candidates.sort((a, b) => a.length - b.length)) removePath(merged, path);

  const ancestors = new FieldSet();
  for (const path of lastSet) {
    for (let n = path.length - 1; n >= 1; n--) {
      const ancestor = path.slice(0, n);
      if (!hasPrefixIn(owned, ancestor)) ancestors.add(ancestor);
    }
  }
  // Deepest first, so that emptying a child can empty its parent in turn.
  for (const path of [...ancestors].sort((a, b) => b.length - a.length)) {
    const value = valueAt(merged, path);
    const empty = isObject(value)
      ? Object.keys(value).length === 0
      : Array.isArray(value) && value.length === 0;
    if (empty) removePath(merged, path);
  }
}

/** Whether a path names a merge-key field of a list item, which must stay as long as the item does. */
function isKeyField(path: FieldPath): boolean {
  const parent = path[path.length - 2];
  const last = path[path.length - 1];
  if (!parent?.startsWith('k:') || !last?.startsWith('f:')) return false;
  return Object.hasOwn(JSON.parse(parent.slice(2)) as JsonObject, last.slice(2));
}

/** Paths added or modified (`changed`) and removed between two versions of an object. */
function diff(before: JsonObject, after: JsonObject, schema: Schema | undefined) {
  const old = flatten(before, schema);
  const next = flatten(after, schema);
  const changed = new FieldSet();
  const removed = new FieldSet();
  for (const [key, { path, value }] of next) {
    const prior = old.get(key);
    if (!prior || (value !== ITEM && !jsonEqual(prior.value, value))) changed.add(path);
  }
  for (const [key, { path }] of old) if (!next.has(key)) removed.add(path);
  return { changed, removed };
}

function conflictMessages(conflicts: Array<{ manager: Manager; path: FieldPath }>): string[] {
  return conflicts
    .map(({ manager, path }) => {
      const who =
        manager.operation === 'Update'
          ? `${JSON.stringify(manager.manager)} using ${manager.apiVersion}`
          : JSON.stringify(manager.manager);
      return { who, path: formatPath(path) };
    })
    .sort((a, b) => compare(a.who, b.who) || compare(a.path, b.path))
    .map(({ who, path }) => `conflict with ${who}: ${path}`);
}

function sameSet(a: FieldSet, b: FieldSet): boolean {
  return a.size === b.size && [...a].every((path) => b.has(path));
}

function stringField(obj: JsonObject, key: string): string {
  const value = getOwn(obj, key);
  return typeof value === 'string' ? value : '';
}

/** managedFields times are RFC 3339 with second precision. */
function timestamp(now: string | undefined): string {
  return now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
