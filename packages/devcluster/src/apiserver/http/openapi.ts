import { createHash } from 'node:crypto';
import type { Registry, ResourceType } from '../registry.js';
import { SERVER_VERSION } from './discovery.js';

/**
 * Just enough OpenAPI for kubectl's default client-side flows. v3 lists one PATCH operation per kind that
 * declares the `fieldValidation` query parameter, so kubectl (>= 1.27) leaves validation to the server; the
 * operations carry no request body schema, so `kubectl apply` computes its patches from its built-in types
 * (strategic merge) or as JSON merge patches (custom resources). v2 is an empty but valid document: older
 * kubectl versions download it for client-side validation, find no schema and skip validation.
 */

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function specFor(registry: Registry, group: string, version: string): object {
  const paths: Record<string, object> = {};
  for (const rt of registry.resourcesIn(group, version)) {
    const base = `/${gvPath(group, version)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${rt.kind}`,
        'x-kubernetes-group-version-kind': { group, version, kind: rt.kind },
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}

function groupVersions(registry: Registry): { group: string; version: string }[] {
  const out: { group: string; version: string }[] = [];
  for (const group of registry.groups())
    for (const version of registry.versions(group)) out.push({ group, version });
  return out;
}

function hashOf(types: ResourceType[]): string {
  const key = types.map((t) => `${t.plural}:${t.kind}:${t.namespaced}`).join(',');
  return createHash('sha256').update(key).digest('hex').slice(0, 32).toUpperCase();
}

export function openapiV3Root(registry: Registry): object {
  const paths: Record<string, object> = {};
  for (const { group, version } of groupVersions(registry)) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(registry.resourcesIn(group, version))}` };
  }
  return { paths };
}

export function openapiV3Spec(registry: Registry, group: string, version: string): object | undefined {
  if (registry.resourcesIn(group, version).length === 0) return undefined;
  return specFor(registry, group, version);
}

// What kube-apiserver answers (the Accept form with '@' is not a valid media type for Go's mime parser).
export const OPENAPI_V2_PROTOBUF_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function protoString(field: number, s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
}

/** gnostic `openapi_v2.Document{swagger: "2.0", info: {title, version}, paths: {}}` in protobuf encoding. */
export function openapiV2Protobuf(): Buffer {
  const info = Buffer.concat([protoString(1, 'Kubernetes'), protoString(2, SERVER_VERSION.gitVersion)]);
  return Buffer.concat([
    protoString(1, '2.0'),
    Buffer.from([(2 << 3) | 2, info.length]),
    info,
    Buffer.from([(8 << 3) | 2, 0]),
  ]);
}

export function openapiV2Json(): object {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths: {},
    definitions: {},
  };
}
