/**
 * Field paths, field sets and their `FieldsV1` encoding, as used in `metadata.managedFields`.
 *
 * A path is a list of elements in the structured-merge-diff string form: `f:<field>` for an object
 * field, `k:{"name":"x"}` for the item of an associative list with that merge key, and `v:<json>` for
 * a member of a list of scalars treated as a set. `FieldsV1` nests those elements as object keys; an
 * empty object marks a leaf, and `.` marks a node that is owned itself as well as having children.
 */
import { getOwn, hasOwn, isObject, type JsonObject, setOwn } from './json.js';
import type { FieldStrategy, Schema } from './strategies.js';

export type FieldPath = readonly string[];

const pathKey = (path: FieldPath): string => JSON.stringify(path);

/** A set of field paths. Iteration yields the paths in insertion order. */
export class FieldSet implements Iterable<FieldPath> {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const path of paths) this.add(path);
  }

  get size(): number {
    return this.paths.size;
  }

  add(path: FieldPath): void {
    this.paths.set(pathKey(path), path);
  }

  has(path: FieldPath): boolean {
    return this.paths.has(pathKey(path));
  }

  delete(path: FieldPath): void {
    this.paths.delete(pathKey(path));
  }

  [Symbol.iterator](): Iterator<FieldPath> {
    return this.paths.values();
  }
}

/** Every prefix (the paths themselves included) of every path in the sets. */
export function coveredPrefixes(sets: Iterable<FieldSet>): Set<string> {
  const out = new Set<string>();
  for (const set of sets) {
    for (const path of set) {
      for (let n = 1; n <= path.length; n++) out.add(pathKey(path.slice(0, n)));
    }
  }
  return out;
}

export function hasPrefixIn(prefixes: Set<string>, path: FieldPath): boolean {
  return prefixes.has(pathKey(path));
}

// Fields the apiserver manages itself; kube-apiserver strips them from every field set.
const STRIPPED_ROOT = new Set(['apiVersion', 'kind']);
const STRIPPED_METADATA = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
]);

/** Marker value for list items in a flattened object: an item's presence is all that is compared. */
export const ITEM = Symbol('list item');

/**
 * Flattens an object into the paths a field set can name, each with its value: scalars, empty
 * objects and atomic values are leaves; items of associative and set lists are members too (their
 * fields are flattened beneath them). Used both to compute the fields an applied configuration sets
 * and to diff two versions of an object.
 */
export function flatten(
  obj: JsonObject,
  schema: Schema | undefined,
): Map<string, { path: FieldPath; value: unknown }> {
  const out = new Map<string, { path: FieldPath; value: unknown }>();
  const add = (path: FieldPath, value: unknown) => out.set(pathKey(path), { path, value });

  const walkObject = (value: JsonObject, fields: Schema | undefined, path: FieldPath): void => {
    for (const [key, child] of Object.entries(value)) {
      if (path.length === 0 && STRIPPED_ROOT.has(key)) continue;
      if (path.length === 1 && path[0] === 'f:metadata' && STRIPPED_METADATA.has(key)) continue;
      walkField(child, fields?.[key], [...path, `f:${key}`]);
    }
  };
  const walkField = (value: unknown, field: FieldStrategy | undefined, path: FieldPath): void => {
    if (Array.isArray(value)) {
      const kind = listKind(field, value);
      if (kind === 'map') {
        for (const item of value as JsonObject[]) {
          const itemPath = [...path, keyElement(field?.mergeKey ?? '', item)];
          add(itemPath, ITEM);
          walkObject(item, field?.fields, itemPath);
        }
      } else if (kind === 'set') {
        for (const item of value) add([...path, `v:${JSON.stringify(item)}`], ITEM);
      } else {
        add(path, value);
      }
    } else if (isObject(value) && !field?.atomic && Object.keys(value).length > 0) {
      walkObject(value, field?.fields, path);
    } else {
      add(path, value);
    }
  };

  walkObject(obj, schema, []);
  return out;
}

/** The paths an applied configuration sets, i.e. what its manager will own. */
export function fieldSetOf(obj: JsonObject, schema: Schema | undefined): FieldSet {
  return new FieldSet([...flatten(obj, schema).values()].map((entry) => entry.path));
}

/**
 * How a list is tracked: `map` (items identified by merge key), `set` (scalars identified by value)
 * or `atomic` (owned as one value). Malformed lists, say an item without its key, fall back to atomic.
 */
export function listKind(field: FieldStrategy | undefined, ...lists: unknown[][]): 'map' | 'set' | 'atomic' {
  if (!field?.merge || field.atomic) return 'atomic';
  const items = lists.flat();
  const mergeKey = field.mergeKey;
  if (mergeKey) return items.every((item) => isObject(item) && hasOwn(item, mergeKey)) ? 'map' : 'atomic';
  return items.every((item) => item === null || typeof item !== 'object') ? 'set' : 'atomic';
}

export function keyElement(mergeKey: string, item: JsonObject): string {
  return `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`;
}

/** Resolves a list item or field element against a value; `undefined` when it does not exist. */
function child(value: unknown, element: string): unknown {
  if (element.startsWith('f:')) return isObject(value) ? getOwn(value, element.slice(2)) : undefined;
  if (Array.isArray(value) && element.startsWith('k:')) {
    const index = findItem(value, element);
    return index < 0 ? undefined : value[index];
  }
  return undefined;
}

function findItem(list: unknown[], element: string): number {
  if (element.startsWith('k:')) {
    const key = JSON.parse(element.slice(2)) as JsonObject;
    return list.findIndex(
      (item) => isObject(item) && Object.entries(key).every(([k, v]) => hasOwn(item, k) && item[k] === v),
    );
  }
  if (element.startsWith('v:')) {
    const value: unknown = JSON.parse(element.slice(2));
    return list.indexOf(value);
  }
  return -1;
}

export function valueAt(root: JsonObject, path: FieldPath): unknown {
  let value: unknown = root;
  for (const element of path) value = child(value, element);
  return value;
}

/** Removes the field, list item or set member a path names; a path that does not resolve is a no-op. */
export function removePath(root: JsonObject, path: FieldPath): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const parent = valueAt(root, path.slice(0, -1));
  if (last.startsWith('f:')) {
    if (isObject(parent)) delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const index = findItem(parent, last);
    if (index >= 0) parent.splice(index, 1);
  }
}

/** Renders a path the way kube-apiserver prints it in conflict messages: `.spec.containers[name="x"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('k:')) {
        const key = JSON.parse(body) as JsonObject;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${body}]`;
    })
    .join('');
}

interface TrieNode {
  member: boolean;
  readonly children: Map<string, TrieNode>;
}

// structured-merge-diff serialises children in path-element order: fields, then keys, then values.
const ELEMENT_RANK: Readonly<Record<string, number>> = { f: 0, k: 1, v: 2, i: 3 };
const compareElements = (a: string, b: string): number =>
  (ELEMENT_RANK[a.charAt(0)] ?? 4) - (ELEMENT_RANK[b.charAt(0)] ?? 4) || (a < b ? -1 : a > b ? 1 : 0);

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: TrieNode = { member: false, children: new Map() };
  for (const path of set) {
    let node = root;
    for (const element of path) {
      let next = node.children.get(element);
      if (!next) {
        next = { member: false, children: new Map() };
        node.children.set(element, next);
      }
      node = next;
    }
    node.member = true;
  }
  const encode = (node: TrieNode): JsonObject => {
    const out: JsonObject = {};
    if (node.member && node.children.size > 0) out['.'] = {};
    for (const element of [...node.children.keys()].sort(compareElements)) {
      setOwn(out, element, encode(node.children.get(element) as TrieNode));
    }
    return out;
  };
  return encode(root);
}

export function fromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const decode = (node: JsonObject, prefix: FieldPath): void => {
    for (const [element, value] of Object.entries(node)) {
      if (element === '.') {
        if (prefix.length > 0) set.add(prefix);
        continue;
      }
      const path = [...prefix, element];
      if (isObject(value) && Object.keys(value).length > 0) decode(value, path);
      else set.add(path);
    }
  };
  if (isObject(fields)) decode(fields, []);
  return set;
}
