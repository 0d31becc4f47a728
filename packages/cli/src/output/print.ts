import type { OutputFormat } from '../enums.js';
import type { KelosObject, KelosObjects } from '../kube/kelos.js';
import { API_GROUP, API_VERSION, type KindName, RESOURCES } from '../resources.js';
import { COLUMNS } from './columns.js';
import { DETAIL } from './detail.js';
import { renderDetail, renderTable } from './table.js';

export interface PrintOptions {
  output?: OutputFormat;
  /** Adds a leading NAMESPACE column to tables. */
  allNamespaces?: boolean;
  /** The detail view instead of a table. */
  detail?: boolean;
  now?: number;
}

/**
 * What the user sees of an object: without the managedFields bookkeeping (kubectl hides it too), and
 * with apiVersion and kind set even where a list response leaves them out.
 */
function presentable<K extends KindName>(kind: K, object: KelosObjects[K]): KelosObjects[K] {
  const { managedFields: _, ...metadata } = object.metadata as KelosObject['metadata'] & {
    managedFields?: unknown;
  };
  // kubectl's key order: apiVersion, kind, metadata, spec, status, then anything else.
  const {
    apiVersion: _v,
    kind: _k,
    metadata: _m,
    spec,
    status,
    ...rest
  } = object as KelosObject & Record<string, unknown>;
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind,
    metadata,
    ...(spec === undefined ? {} : { spec }),
    ...(status === undefined ? {} : { status }),
    ...rest,
  } as unknown as KelosObjects[K];
}

/** The YAML writer is loaded only for `-o yaml`: tables, the common case, start without it. */
async function serialise(value: unknown, format: 'yaml' | 'json'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  const { toYaml } = await import('./yaml.js');
  return toYaml(value);
}

/** One object, as `get <resource> <name>` shows it. */
export async function formatObject<K extends KindName>(
  kind: K,
  object: KelosObjects[K],
  options: PrintOptions,
): Promise<string> {
  const { output } = options;
  if (output === 'yaml' || output === 'json') return serialise(presentable(kind, object), output);
  if (options.detail) return renderDetail(DETAIL[kind](object, options.now ?? Date.now()));
  return formatList(kind, [object], options);
}

/** A list: a table (header only when empty, cli spec §7), names, or a `<Kind>List` document. */
export async function formatList<K extends KindName>(
  kind: K,
  items: readonly KelosObjects[K][],
  options: PrintOptions,
): Promise<string> {
  const { output } = options;
  if (output === 'yaml' || output === 'json') {
    const list = {
      apiVersion: `${API_GROUP}/${API_VERSION}`,
      kind: `${kind}List`,
      metadata: {},
      items: items.map((o) => presentable(kind, o)),
    };
    return serialise(list, output);
  }
  if (output === 'name') return items.map((o) => `${RESOURCES[kind].singular}/${o.metadata.name}\n`).join('');
  if (options.detail) {
    const now = options.now ?? Date.now();
    return items.map((o) => renderDetail(DETAIL[kind](o, now))).join('\n');
  }
  const columns = COLUMNS[kind];
  const now = options.now ?? Date.now();
  const wide = output === 'wide';
  const headers = [...columns.headers, ...(wide ? columns.wideHeaders : [])];
  const rows = items.map((o) => [...columns.row(o, now), ...(wide ? columns.wideRow(o) : [])]);
  if (options.allNamespaces) {
    return renderTable(
      ['NAMESPACE', ...headers],
      rows.map((row, i) => [items[i]?.metadata.namespace ?? '', ...row]),
    );
  }
  return renderTable(headers, rows);
}
