/** What a request path names. */
export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'coreVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | { kind: 'openapiV2' }
  | { kind: 'openapiV3' }
  | { kind: 'openapiV3Spec'; group: string; version: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** The legacy `/watch/` path prefix. */
      watch: boolean;
    };

function resourceRoute(group: string, version: string, rest: string[]): Route | undefined {
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  let watch = false;
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/x/status` is the namespace's own subresource, not a resource called "status".
  const nsSub = rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !nsSub) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const [plural, name, subresource] = rest as [string, string | undefined, string | undefined];
  const route: Route = { kind: 'resource', group, version, plural, watch };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return route;
}

export function parseRoute(pathname: string): Route | undefined {
  let segs: string[];
  try {
    segs = pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [a, b, c] = segs;
  switch (a) {
    case 'version':
      return segs.length === 1 ? { kind: 'version' } : undefined;
    case 'healthz':
    case 'livez':
    case 'readyz':
      return { kind: 'health' };
    case 'openapi':
      if (b === 'v2' && segs.length === 2) return { kind: 'openapiV2' };
      if (b === 'v3' && segs.length === 2) return { kind: 'openapiV3' };
      if (b === 'v3' && c === 'api' && segs[3] && segs.length === 4)
        return { kind: 'openapiV3Spec', group: '', version: segs[3] };
      if (b === 'v3' && c === 'apis' && segs[3] && segs[4] && segs.length === 5) {
        return { kind: 'openapiV3Spec', group: segs[3], version: segs[4] };
      }
      return undefined;
    case 'api':
      if (b === undefined) return { kind: 'coreVersions' };
      return resourceRoute('', b, segs.slice(2));
    case 'apis':
      if (b === undefined) return { kind: 'groupList' };
      if (c === undefined) return { kind: 'group', group: b };
      return resourceRoute(b, c, segs.slice(3));
    default:
      return undefined;
  }
}
