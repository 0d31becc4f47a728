import type { Registry, ResourceType } from '../registry.js';
import { apiVersionOf } from '../registry.js';

/** Legacy (non-aggregated) discovery documents, which every client version understands. */

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kelos.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(registry: Registry, group: string): object {
  const versions = registry
    .versions(group)
    .map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(registry: Registry): object {
  const groups = registry.groups().filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => groupDoc(registry, g)) };
}

export function group(registry: Registry, name: string): object | undefined {
  if (name === '' || registry.versions(name).length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(registry, name) };
}

function resourceEntries(rt: ResourceType): object[] {
  const main: Record<string, unknown> = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: rt.verbs,
  };
  if (rt.shortNames.length > 0) main.shortNames = rt.shortNames;
  if (rt.categories.length > 0) main.categories = rt.categories;
  const out: object[] = [main];
  const sub = (name: string, kind: string, verbs: string[], extra: object = {}) =>
    out.push({
      name: `${rt.plural}/${name}`,
      singularName: '',
      namespaced: rt.namespaced,
      kind,
      verbs,
      ...extra,
    });
  if (rt.hasStatus) sub('status', rt.kind, ['get', 'patch', 'update']);
  if (rt.scale) sub('scale', 'Scale', ['get', 'patch', 'update'], { group: 'autoscaling', version: 'v1' });
  if (rt.hasLog) sub('log', rt.kind, ['get']);
  return out;
}

export function resourceList(registry: Registry, group: string, version: string): object | undefined {
  const types = registry.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}
