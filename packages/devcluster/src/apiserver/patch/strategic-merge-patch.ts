/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), ported from
 * k8s.io/apimachinery/pkg/util/strategicpatch (the server-side path: `StrategicMergeMapPatch` with
 * `MergeParallelList` and `IgnoreUnmatchedNulls`). Per-field behaviour comes from the strategy
 * table in ./strategies.ts instead of Go struct tags.
 *
 * Where Go's behaviour is surprising it is kept on purpose, because clients (kubectl in particular)
 * generate patches against it. For example, items a patch adds to a merging list are placed before
 * the live items that come after them in the live order, so a new container lands first.
 */

import { PatchError } from './errors.js';
import { cloneJson, getOwn, hasOwn, isObject, type JsonObject, setOwn } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import {
  type FieldStrategy,
  type GroupKind,
  type Schema,
  schemaFor,
  supportsStrategicMergePatch,
} from './strategies.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies a strategic merge patch to `target` for the given kind. Kinds without Go types (custom
 * resources) fall back to JSON merge patch; the server should reject those requests beforehand with
 * 415, as kube-apiserver does, using `supportsStrategicMergePatch`. Inputs are never mutated.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: GroupKind): unknown {
  if (!supportsStrategicMergePatch(kind)) return applyMergePatch(target, patch);
  if (!isObject(patch)) {
    throw new PatchError('invalid JSON document: a strategic merge patch must be an object', 400);
  }
  const original = isObject(target) ? cloneJson(target) : {};
  // Both sides are private copies from here on, so the port can mutate them the way Go does.
  return mergeMap(original, cloneJson(patch), schemaFor(kind));
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    if (isDeleteList) key = directiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST);

    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const originalValue = getOwn(original, key);
    if (originalValue === undefined || jsonType(originalValue) !== jsonType(patchValue)) {
      // Nothing to merge with: take the patch value, minus directives that only make sense when merging.
      if (!isDeleteList) {
        const [value, keep] = withoutDirectives(patchValue);
        if (keep) setOwn(original, key, value);
        else delete original[key];
      }
      continue;
    }
    const field = schema?.[key];
    if (isObject(originalValue) && isObject(patchValue)) {
      setOwn(original, key, mergeMap(originalValue, patchValue, field?.fields));
    } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
      setOwn(original, key, mergeListField(originalValue, patchValue, field, isDeleteList, key));
    } else {
      setOwn(original, key, patchValue);
    }
  }
  return original;
}

/** `$patch` inside an object: `replace` swaps in the patch as-is, `delete` empties the object. */
function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return withoutDirectives(patch)[0] as JsonObject;
  }
  if (directive === 'delete') return {};
  throw new PatchError(
    `unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`,
    422,
  );
}

/** `$retainKeys`: drop every live key not listed; each key the patch sets must itself be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw new PatchError('invalid patch format of retainKeys', 400);
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) {
      continue;
    }
    if (!keep.has(key)) throw new PatchError('invalid patch format of retainKeys', 400);
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<field>`: merge the sibling list (if the patch has one) and then order the result
 * by the directive, keeping live-only items where they were relative to each other.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const [patchKey, order] of Object.entries(patch)) {
    if (!patchKey.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[patchKey];
    const key = directiveField(patchKey, SET_ELEMENT_ORDER);
    if (!Array.isArray(order)) throw new PatchError('invalid patch format of setElementOrder list', 400);
    const field = schema?.[key];
    const originalList = getOwn(original, key);
    const patchList = getOwn(patch, key);
    const originalItems = Array.isArray(originalList) ? originalList : undefined;
    const patchItems = Array.isArray(patchList) ? patchList : undefined;
    if ((originalList !== undefined && !originalItems) || (patchList !== undefined && !patchItems)) {
      throw new PatchError(`${SET_ELEMENT_ORDER}/${key} applies to a field that is not a list`, 422);
    }
    // Ordering only means something for merging lists; a replaced list already has the patch's order.
    if (!field?.merge || (!originalItems && !patchItems)) continue;
    const mergeKey = field.mergeKey ?? '';
    if (mergeKey) for (const entry of order) requireMergeKey(entry, mergeKey);
    validateSetElementOrder(patchItems ?? [], order, mergeKey);

    let merged: unknown[];
    if (originalItems && patchItems) merged = mergeList(originalItems, patchItems, field, false, key);
    else if (originalItems) merged = originalItems;
    else merged = withoutDirectives(patchItems)[0] as unknown[];
    const [inOrder, serverOnly] = partition(merged, order, mergeKey);
    setOwn(original, key, normalizeElementOrder(inOrder, serverOnly, order, originalItems ?? [], mergeKey));
    delete patch[key];
  }
}

/** The patch list must be a subsequence of the `$setElementOrder` list (ignoring `$patch` items). */
function validateSetElementOrder(patchItems: unknown[], order: unknown[], mergeKey: string): void {
  const items = mergeKey
    ? patchItems.filter((item) => !(isObject(item) && hasOwn(item, DIRECTIVE)))
    : patchItems;
  let i = 0;
  for (const entry of order) {
    if (i >= items.length) break;
    if (sameItem(items[i], entry, mergeKey)) i++;
  }
  if (i < items.length) {
    throw new PatchError(
      `The order in patch list:\n${JSON.stringify(patchItems)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${JSON.stringify(order)}`,
      400,
    );
  }
}

function mergeListField(
  original: unknown[],
  patch: unknown[],
  field: FieldStrategy | undefined,
  isDeleteList: boolean,
  name: string,
): unknown[] {
  // Deletion lists are honoured whatever the field's strategy; other non-merging lists are replaced.
  if (field?.merge || isDeleteList) return mergeList(original, patch, field, isDeleteList, name);
  return patch;
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  field: FieldStrategy | undefined,
  isDeleteList: boolean,
  name: string,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const itemsAreObjects = listOfObjects(original, patch);
  const mergeKey = field?.mergeKey ?? '';

  let serverOrder = original;
  let remainingPatch = patch;
  let merged: unknown[];
  if (!itemsAreObjects) {
    if (isDeleteList) return original.filter((item) => !patch.includes(item));
    merged = [...original];
    for (const item of patch) if (!merged.includes(item)) merged.push(item);
  } else {
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${name}`, 422);
    [serverOrder, remainingPatch] = applyListDirectives(original, patch, mergeKey);
    merged = [...serverOrder];
    for (const item of remainingPatch as JsonObject[]) {
      const keyValue = requireMergeKey(item, mergeKey);
      const index = merged.findIndex((candidate) => isObject(candidate) && candidate[mergeKey] === keyValue);
      const existing = merged[index];
      if (isObject(existing)) merged[index] = mergeMap(existing, item, field?.fields);
      else merged.push(withoutDirectives(item)[0]);
    }
  }
  const [fromPatch, serverOnly] = partition(merged, remainingPatch, mergeKey);
  return normalizeElementOrder(fromPatch, serverOnly, remainingPatch, serverOrder, mergeKey);
}

/**
 * List items carrying `$patch`: `delete` removes live items with the same merge key, `replace` makes
 * the rest of the patch list the whole result. Returns the live list and the patch without them.
 */
function applyListDirectives(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  let live = original;
  const rest: unknown[] = [];
  let replace = false;
  for (const item of patch as JsonObject[]) {
    if (!hasOwn(item, DIRECTIVE)) {
      rest.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      const keyValue = requireMergeKey(item, mergeKey);
      live = live.filter((candidate) => !(isObject(candidate) && candidate[mergeKey] === keyValue));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch', 422);
    } else {
      throw new PatchError(
        `unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(item)}`,
        422,
      );
    }
  }
  return replace ? [rest.map((item) => withoutDirectives(item)[0]), []] : [live, rest];
}

function requireMergeKey(item: unknown, mergeKey: string): unknown {
  if (!isObject(item) || !hasOwn(item, mergeKey)) {
    throw new PatchError(
      `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
      422,
    );
  }
  return item[mergeKey];
}

/** Splits `list` into the items that appear in `by` (matched by merge key or value) and the rest. */
function partition(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of list) (indexIn(by, item, mergeKey) >= 0 ? inBy : rest).push(item);
  return [inBy, rest];
}

/**
 * Go's `normalizeElementOrder`: sort the patch-side items by `patchOrder` and the server-only items
 * by their live order, then interleave them. A server-only item is emitted first only when both it
 * and the next patch item have live positions and it comes earlier, so new items move ahead.
 */
function normalizeElementOrder(
  fromPatch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
): unknown[] {
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const right = sortByOrder(fromPatch, patchOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function sortByOrder(items: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const isDelete = (item: unknown) => isObject(item) && item[DIRECTIVE] === 'delete';
  const kept = items.filter((item) => !isDelete(item));
  const indexed = kept.map((item, position) => ({ item, position, at: indexIn(order, item, mergeKey) }));
  // Stable: items missing from `order` keep their relative position.
  indexed.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.position - b.position));
  return [...indexed.map((entry) => entry.item), ...items.filter(isDelete)];
}

function indexIn(list: unknown[], item: unknown, mergeKey: string): number {
  return list.findIndex((candidate) => sameItem(candidate, item, mergeKey));
}

function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (!mergeKey) return a === b;
  return isObject(a) && isObject(b) && hasOwn(a, mergeKey) && a[mergeKey] === b[mergeKey];
}

/** Whether the lists hold objects; mixed element types and nested lists are rejected as in Go. */
function listOfObjects(...lists: unknown[][]): boolean {
  let seen: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = jsonType(item);
      if (type === 'array') throw new PatchError('lists of lists are not supported', 422);
      if (seen !== undefined && seen !== type) {
        throw new PatchError(`list element types are not identical: ${JSON.stringify(lists)}`, 422);
      }
      seen = type;
    }
  }
  return seen === 'object';
}

function directiveField(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw new PatchError(
      prefix === SET_ELEMENT_ORDER
        ? 'invalid patch format of setElementOrder list'
        : 'invalid patch format of primitive list',
      400,
    );
  }
  return key.slice(slash + 1);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Strips directives from a value that has nothing to merge with. Returns `[value, keep]`; `keep` is
 * false for an object that asks to be deleted. (Go drops `$patch: replace` objects here too, which
 * would lose the replacement; we keep the replacement content instead.)
 */
function withoutDirectives(value: unknown): [unknown, boolean] {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (isObject(item) && hasOwn(item, DIRECTIVE) && Object.keys(item).length === 1) continue;
      const [cleaned, keep] = withoutDirectives(item);
      if (keep) out.push(cleaned);
    }
    return [out, true];
  }
  if (!isObject(value)) return [value, true];
  if (hasOwn(value, DIRECTIVE) && value[DIRECTIVE] !== 'replace') return [undefined, false];
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    if (item === null) continue;
    const [cleaned, keep] = withoutDirectives(item);
    if (keep) setOwn(out, key, cleaned);
  }
  return [out, true];
}
