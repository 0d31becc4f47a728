import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, eventually, rawRequest, startTestCluster, type TestCluster } from './helpers/apiserver.js';

let c: TestCluster;
let ext: ApiextensionsV1Api;
let custom: CustomObjectsApi;

const group = 'example.kelos.dev';
const version = 'v1alpha1';
const plural = 'widgets';
const namespace = 'default';

const crd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: version,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['color', 'id'],
                x_kubernetes_validations: [{ rule: 'self.id == oldSelf.id', message: 'id is immutable' }],
                properties: {
                  color: { type: 'string', _enum: ['red', 'green', 'blue'] },
                  id: { type: 'string', pattern: '^[a-z]+-[0-9]+$' },
                  size: { type: 'integer', _default: 3 },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: `${group}/${version}`,
  kind: 'Widget',
  metadata: { name },
  spec,
});

type Obj = {
  metadata: { name: string; generation?: number; resourceVersion?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  c = await startTestCluster();
  ext = c.kc.makeApiClient(ApiextensionsV1Api);
  custom = c.kc.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await c.stop();
});

describe('CustomResourceDefinitions', () => {
  it('establishes a CRD and serves its version', async () => {
    const created = await ext.createCustomResourceDefinition({ body: crd });
    const conditions = Object.fromEntries((created.status?.conditions ?? []).map((x) => [x.type, x.status]));
    expect(conditions).toMatchObject({ NamesAccepted: 'True', Established: 'True' });
    expect(created.status?.acceptedNames?.kind).toBe('Widget');
    expect(created.status?.storedVersions).toEqual([version]);
    const doc = (await rawRequest(c, `/apis/${group}/${version}`)).json() as {
      resources: { name: string; shortNames?: string[] }[];
    };
    expect(doc.resources.map((r) => r.name)).toEqual(['widgets', 'widgets/status']);
    expect(doc.resources[0]?.shortNames).toEqual(['wd']);
    const bad = await errorOf(
      ext.createCustomResourceDefinition({ body: { ...crd, metadata: { name: 'wrong.example.kelos.dev' } } }),
    );
    expect(bad.code).toBe(422);
  });

  it('prunes unknown fields and applies defaults', async () => {
    const w = (await custom.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: widget('w1', { color: 'red', id: 'abc-1', extra: 'dropped' }),
    })) as Obj;
    expect(w.spec).toEqual({ color: 'red', id: 'abc-1', size: 3 });
    expect(w.metadata.generation).toBe(1);
    const strict = await rawRequest(
      c,
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}?fieldValidation=Strict`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(widget('w-strict', { color: 'red', id: 'abc-2', extra: 1 })),
      },
    );
    expect(strict.status).toBe(400);
    expect(String(strict.json().message)).toContain('unknown field "spec.extra"');
  });

  it('rejects invalid objects with Invalid causes', async () => {
    const bad = await errorOf(
      custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        body: widget('w2', { color: 'purple', id: 'NOPE' }),
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body).toMatchObject({ reason: 'Invalid', details: { name: 'w2', group, kind: 'Widget' } });
    expect(String(bad.body.message)).toMatch(/^Widget\.example\.kelos\.dev "w2" is invalid: \[/);
    const causes = (bad.body.details as { causes: { reason: string; field: string }[] }).causes;
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'FieldValueNotSupported', field: 'spec.color' }),
        expect.objectContaining({ reason: 'FieldValueInvalid', field: 'spec.id' }),
      ]),
    );
    const missing = await errorOf(
      custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        body: widget('w3', { color: 'red' }),
      }),
    );
    expect(String(missing.body.message)).toMatch(
      /^Widget\.example\.kelos\.dev "w3" is invalid: \[spec\.id: Required value, /,
    );
  });

  it('enforces CEL transition rules and optimistic concurrency', async () => {
    const w = (await custom.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'w1',
    })) as Obj;
    const changedId = structuredClone(w);
    (changedId.spec as Record<string, unknown>).id = 'abc-2';
    const cel = await errorOf(
      custom.replaceNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'w1',
        body: changedId,
      }),
    );
    expect(cel.code).toBe(422);
    expect(String(cel.body.message)).toContain('id is immutable');
    const recolored = structuredClone(w);
    (recolored.spec as Record<string, unknown>).color = 'blue';
    await custom.replaceNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'w1',
      body: recolored,
    });
    const stale = await errorOf(
      custom.replaceNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'w1',
        body: recolored,
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on widgets.example.kelos.dev "w1": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('separates the status subresource and bumps generation on spec changes only', async () => {
    const before = (await custom.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'w1',
    })) as Obj;
    expect(before.metadata.generation).toBe(2);
    const withStatus = await custom.patchNamespacedCustomObject(
      {
        group,
        version,
        namespace,
        plural,
        name: 'w1',
        body: { status: { phase: 'Ignored' }, metadata: { labels: { a: 'b' } } },
      },
      mergePatch,
    );
    expect((withStatus as Obj).status).toBeUndefined();
    expect((withStatus as Obj).metadata.generation).toBe(2);
    const status = (await custom.patchNamespacedCustomObjectStatus(
      {
        group,
        version,
        namespace,
        plural,
        name: 'w1',
        body: { status: { phase: 'Ready' }, spec: { color: 'green' } },
      },
      mergePatch,
    )) as Obj;
    expect(status.status).toEqual({ phase: 'Ready' });
    expect(status.spec?.color).toBe('blue');
    expect(status.metadata.generation).toBe(2);
    const spec = (await custom.patchNamespacedCustomObject(
      { group, version, namespace, plural, name: 'w1', body: { spec: { size: 5 } } },
      mergePatch,
    )) as Obj;
    expect(spec.metadata.generation).toBe(3);
    expect(spec.status).toEqual({ phase: 'Ready' });
  });

  it('serves printer columns as a Table', async () => {
    const res = await rawRequest(c, `/apis/${group}/${version}/namespaces/${namespace}/${plural}`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = res.json() as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((d) => d.name)).toEqual(
      expect.arrayContaining(['Name', 'Color', 'Phase']),
    );
    expect(table.rows).toHaveLength(1);
  });

  it('serves a new version added to the CRD', async () => {
    const current = await ext.readCustomResourceDefinition({ name: `${plural}.${group}` });
    const v1 = structuredClone(current.spec.versions[0]);
    if (!v1) throw new Error('no version');
    v1.name = 'v1';
    v1.storage = false;
    current.spec.versions.push(v1);
    await ext.replaceCustomResourceDefinition({ name: `${plural}.${group}`, body: current });
    const viaV1 = (await custom.getNamespacedCustomObject({
      group,
      version: 'v1',
      namespace,
      plural,
      name: 'w1',
    })) as { apiVersion: string };
    expect(viaV1.apiVersion).toBe(`${group}/v1`);
  });

  it('removes the custom resources with their CRD', async () => {
    await ext.deleteCustomResourceDefinition({ name: `${plural}.${group}` });
    await eventually(async () => (await rawRequest(c, `/apis/${group}/${version}`)).status === 404);
    const list = await rawRequest(c, `/apis/${group}/${version}/namespaces/${namespace}/${plural}`);
    expect(list.status).toBe(404);
    await ext.createCustomResourceDefinition({ body: crd });
    const empty = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
      items: unknown[];
    };
    expect(empty.items).toEqual([]);
  });
});
