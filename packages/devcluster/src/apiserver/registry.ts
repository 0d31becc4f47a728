import type { PrinterColumn } from './table.js';

/** Which rule `metadata.name` must follow for a resource. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** One served group/version/resource. All versions of a resource share one storage table. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** `plural` or `plural.group`: the storage table shared by every version of the resource. */
  storageKey: string;
  /** The version objects are persisted as (CRDs: the storage version). */
  storageVersion: string;
  hasStatus: boolean;
  hasLog: boolean;
  scale?: ScaleSpec;
  tracksGeneration: boolean;
  nameRule: NameRule;
  printerColumns?: PrinterColumn[];
  /** The CRD's openAPIV3Schema for this version; only custom resources have one. */
  schema?: unknown;
  /** Name of the CRD serving this resource. */
  crdName?: string;
}

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function storageKeyOf(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

/** Kubernetes' version priority: GA > beta > alpha, higher numbers first, then non-kube-like names. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) {
    const d = (rb[i] ?? 0) - (ra[i] ?? 0);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A resource named by an in-process caller: `'pods'`, `'jobs.batch'`, `'tasks.kelos.dev'` or parts. */
export type ResourceRef = string | { group: string; plural: string; version?: string };

export class Registry {
  private readonly byGvr = new Map<string, ResourceType>();
  /** Insertion order of groups, so discovery lists built-in groups in a stable, familiar order. */
  private readonly groupOrder: string[] = [];

  register(rt: ResourceType): void {
    this.byGvr.set(`${rt.group}/${rt.version}/${rt.plural}`, rt);
    if (!this.groupOrder.includes(rt.group)) this.groupOrder.push(rt.group);
  }

  unregisterCrd(crdName: string): void {
    for (const [key, rt] of this.byGvr) if (rt.crdName === crdName) this.byGvr.delete(key);
  }

  get(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGvr.get(`${group}/${version}/${plural}`);
  }

  /** Resolves an in-process reference to the resource's preferred version. */
  resolve(ref: ResourceRef): ResourceType | undefined {
    let group: string;
    let plural: string;
    let version: string | undefined;
    if (typeof ref === 'string') {
      const dot = ref.indexOf('.');
      plural = dot < 0 ? ref : ref.slice(0, dot);
      group = dot < 0 ? '' : ref.slice(dot + 1);
    } else {
      ({ group, plural, version } = ref);
    }
    if (version !== undefined) return this.get(group, version, plural);
    const preferred = this.preferredVersion(group);
    const rt = preferred === undefined ? undefined : this.get(group, preferred, plural);
    if (rt) return rt;
    return this.all().find((r) => r.group === group && r.plural === plural);
  }

  /** The resource of a kind, for owner references and apply bodies. */
  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    for (const rt of this.byGvr.values()) {
      if (rt.group === group && rt.version === version && rt.kind === kind) return rt;
    }
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.byGvr.values()];
  }

  /** Every storage table with one representative resource type (the storage version's). */
  storageTypes(): ResourceType[] {
    const out = new Map<string, ResourceType>();
    for (const rt of this.byGvr.values()) {
      const cur = out.get(rt.storageKey);
      if (!cur || rt.version === rt.storageVersion) out.set(rt.storageKey, rt);
    }
    return [...out.values()];
  }

  groups(): string[] {
    return this.groupOrder.filter((g) => this.versions(g).length > 0);
  }

  /** Served versions of a group, preferred first. */
  versions(group: string): string[] {
    const vs = new Set<string>();
    for (const rt of this.byGvr.values()) if (rt.group === group) vs.add(rt.version);
    return [...vs].sort(compareVersions);
  }

  preferredVersion(group: string): string | undefined {
    return this.versions(group)[0];
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.all().filter((rt) => rt.group === group && rt.version === version);
  }
}
