import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildCrd, type CustomResourceDefinition } from '../src/crd/build-crd.js';
import { KIND_ORDER } from '../src/crd/kinds.js';
import { renderAllCrdsYaml } from '../src/crd/render.js';
import { staleGeneratedFiles } from '../src/generate.js';
import type { JSONSchemaProps } from '../src/validation/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Keywords a structural schema may use (apiextensions.k8s.io/v1 JSONSchemaProps). */
const ALLOWED = new Set([
  'type',
  'description',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'format',
  'default',
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-int-or-string',
]);

function walk(
  schema: JSONSchemaProps,
  path: string,
  visit: (s: JSONSchemaProps, path: string) => void,
): void {
  visit(schema, path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, `${path}.${name}`, visit);
  if (schema.items) walk(schema.items as JSONSchemaProps, `${path}[]`, visit);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    walk(schema.additionalProperties, `${path}{}`, visit);
  }
}

describe('generated CRDs', () => {
  it.each(KIND_ORDER)('%s has a structural schema', (kind) => {
    const schema = buildCrd(kind).spec.versions[0]?.schema.openAPIV3Schema as JSONSchemaProps;
    walk(schema, kind, (node, path) => {
      for (const key of Object.keys(node)) expect(ALLOWED, `${path}: keyword ${key}`).toContain(key);
      if (!node['x-kubernetes-int-or-string']) expect(node.type, `${path} needs a type`).toBeDefined();
      for (const name of node.required ?? [])
        expect(node.properties, `${path} requires ${name}`).toHaveProperty(name);
    });
  });

  it('declares names, scope, status subresource and printer columns', () => {
    const task = buildCrd('Task');
    expect(task.metadata.name).toBe('tasks.kelos.dev');
    expect(task.spec.names).toEqual({
      kind: 'Task',
      listKind: 'TaskList',
      plural: 'tasks',
      singular: 'task',
    });
    expect(task.spec.scope).toBe('Namespaced');
    const version = task.spec.versions[0];
    expect(version?.name).toBe('v1alpha1');
    expect(version?.subresources).toEqual({ status: {} });
    expect(version?.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath, c.priority ?? 0])).toEqual([
      ['Type', '.spec.type', 0],
      ['Phase', '.status.phase', 0],
      ['Branch', '.spec.branch', 1],
      ['Depends On', '.spec.dependsOn', 1],
      ['Age', '.metadata.creationTimestamp', 0],
    ]);
    expect(buildCrd('Workspace').spec.versions[0]?.subresources).toBeUndefined();
    expect(buildCrd('AgentConfig').spec.versions[0]?.subresources).toBeUndefined();
    expect(buildCrd('TaskSpawner').spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'Workspace',
      'Suspend',
      'Phase',
      'Active',
      'Discovered',
      'Tasks',
      'Age',
    ]);
  });

  it('carries the spec’s enums, defaults, patterns and CEL rules', () => {
    const task = buildCrd('Task').spec.versions[0]?.schema.openAPIV3Schema as JSONSchemaProps;
    const spec = task.properties?.spec as JSONSchemaProps;
    expect(spec.required).toEqual(['type', 'prompt', 'credentials']);
    expect(spec.properties?.type?.enum).toEqual(['claude-code', 'codex', 'gemini', 'opencode', 'cursor']);
    expect(spec.properties?.ttlSecondsAfterFinished).toMatchObject({
      type: 'integer',
      format: 'int32',
      minimum: 0,
    });
    expect(spec['x-kubernetes-validations']?.map((r) => r.rule)).toEqual([
      '!(has(self.agentConfigRef) && has(self.agentConfigRefs))',
      'self == oldSelf',
    ]);
    const workspace = buildCrd('Workspace').spec.versions[0]?.schema.openAPIV3Schema as JSONSchemaProps;
    expect(workspace.properties?.spec?.properties?.repo?.pattern).toBe('^(https?://|git://|git@).*');
    const spawner = buildCrd('TaskSpawner').spec.versions[0]?.schema.openAPIV3Schema as JSONSchemaProps;
    const spawnerSpec = spawner.properties?.spec as JSONSchemaProps;
    expect(spawnerSpec.properties?.pollInterval?.default).toBe('5m');
    expect(spawnerSpec.properties?.suspend?.default).toBe(false);
    const issues = spawnerSpec.properties?.when?.properties?.githubIssues as JSONSchemaProps;
    expect(issues.properties?.types?.default).toEqual(['issues']);
    expect(issues.properties?.state?.default).toBe('open');
  });

  it('renders parseable multi-document YAML', () => {
    const docs = parseAllDocuments(renderAllCrdsYaml()).map((d) => d.toJS() as CustomResourceDefinition);
    expect(docs.map((d) => d.metadata.name)).toEqual([
      'tasks.kelos.dev',
      'workspaces.kelos.dev',
      'agentconfigs.kelos.dev',
      'taskspawners.kelos.dev',
    ]);
  });

  it('matches the checked-in CRD YAML and docs/api.md (run `pnpm generate` after changing a schema)', () => {
    expect(staleGeneratedFiles(repoRoot)).toEqual([]);
  });
});
