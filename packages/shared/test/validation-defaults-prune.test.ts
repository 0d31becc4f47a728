import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  applyDefaultsInPlace,
  type JSONSchemaProps,
  pruneUnknownFields,
  pruneUnknownFieldsInPlace,
} from '../src/validation/index.js';

describe('applyDefaults', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          type: { type: 'string', default: 'claude-code' },
          ttl: { type: 'integer', default: 3600 },
          note: { type: 'string', nullable: true },
          branch: { type: 'string' },
          resources: {
            type: 'object',
            default: { cpu: '1' },
            properties: { cpu: { type: 'string' }, memory: { type: 'string', default: '1Gi' } },
          },
          remotes: {
            type: 'array',
            items: {
              type: 'object',
              default: { name: 'placeholder' },
              properties: { name: { type: 'string' }, fetch: { type: 'boolean', default: true } },
            },
          },
          env: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              default: { value: 'unset' },
              properties: { value: { type: 'string' }, secret: { type: 'boolean', default: false } },
            },
          },
        },
      },
    },
  };

  it('fills absent properties, recursively, defaults included', () => {
    expect(applyDefaults(schema, {})).toEqual({
      spec: { type: 'claude-code', ttl: 3600, resources: { cpu: '1', memory: '1Gi' } },
    });
  });

  it('keeps what is there', () => {
    expect(applyDefaults(schema, { spec: { type: 'codex', ttl: 0, resources: { cpu: '2' } } })).toEqual({
      spec: { type: 'codex', ttl: 0, resources: { cpu: '2', memory: '1Gi' } },
    });
  });

  it('defaults inside array items and map values', () => {
    const value = { spec: { remotes: [{ name: 'a' }, null], env: { A: { value: 'x' }, B: null } } };
    expect(applyDefaults(schema, value)).toMatchObject({
      spec: {
        remotes: [
          { name: 'a', fetch: true },
          { name: 'placeholder', fetch: true },
        ],
        env: { A: { value: 'x', secret: false }, B: { value: 'unset', secret: false } },
      },
    });
  });

  it('replaces non-nullable nulls with the default, drops them without one, keeps nullable ones', () => {
    const spec = { type: null, branch: null, note: null };
    expect(applyDefaults(schema, { spec })).toMatchObject({ spec: { type: 'claude-code', note: null } });
    expect((applyDefaults(schema, { spec }) as { spec: object }).spec).not.toHaveProperty('branch');
  });

  it('leaves its input alone, and defaults are copies', () => {
    const input = { spec: { resources: {} } };
    const first = applyDefaults(schema, input) as { spec: { resources: { memory: string } } };
    first.spec.resources.memory = 'changed';
    expect(input).toEqual({ spec: { resources: {} } });
    expect(applyDefaults(schema, {})).toMatchObject({ spec: { resources: { memory: '1Gi' } } });
  });

  it('in place at a resource root: metadata is stored as sent', () => {
    const root: JSONSchemaProps = {
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { labels: { type: 'object', default: { a: 'b' } } } },
        spec: { type: 'object', properties: { ttl: { type: 'integer', default: 3600 } } },
      },
    };
    const value = { metadata: { name: 't' }, spec: {} };
    applyDefaultsInPlace(root, value, { resourceRoot: true });
    expect(value).toEqual({ metadata: { name: 't' }, spec: { ttl: 3600 } });
    const elsewhere = { metadata: { name: 't' }, spec: {} };
    applyDefaultsInPlace(root, elsewhere);
    expect(elsewhere.metadata).toEqual({ name: 't', labels: { a: 'b' } });
  });

  it('in place: defaults the value itself, with copies of the defaults', () => {
    const input: { spec: { resources: { cpu?: string; memory?: string } } } = { spec: { resources: {} } };
    const resources = input.spec.resources;
    applyDefaultsInPlace(schema, input);
    expect(input.spec.resources).toBe(resources);
    expect(input).toEqual({
      spec: { type: 'claude-code', ttl: 3600, resources: { memory: '1Gi' } },
    });
    const other = {};
    applyDefaultsInPlace(schema, other);
    expect(other).toEqual({
      spec: { type: 'claude-code', ttl: 3600, resources: { cpu: '1', memory: '1Gi' } },
    });
    expect((other as { spec: { resources: object } }).spec.resources).not.toBe(
      schema.properties?.spec?.properties?.resources?.default,
    );
  });
});

describe('pruneUnknownFields', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          prompt: { type: 'string' },
          remotes: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          config: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
          },
          tags: { type: 'array', items: { type: 'string' } },
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
          },
          anything: {
            type: 'array',
            'x-kubernetes-preserve-unknown-fields': true,
            items: { type: 'object' },
          },
        },
      },
    },
  };

  it('removes unknown fields at every depth and lists their paths', () => {
    const value = {
      spec: {
        prompt: 'p',
        extra: 1,
        remotes: [{ name: 'a', url: 'x' }, { name: 'b' }],
        labels: { any: 'kept' },
        tags: ['a'],
      },
      status: {},
    };
    expect(pruneUnknownFields(schema, value)).toEqual({
      value: {
        spec: { prompt: 'p', remotes: [{ name: 'a' }, { name: 'b' }], labels: { any: 'kept' }, tags: ['a'] },
      },
      pruned: ['spec.extra', 'spec.remotes[0].url', 'status'],
    });
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields, pruning the known ones within', () => {
    const value = {
      spec: { config: { free: { deep: true }, known: { a: 'x', b: 'y' } }, anything: [{ x: 1 }] },
    };
    expect(pruneUnknownFields(schema, value)).toEqual({
      value: { spec: { config: { free: { deep: true }, known: { a: 'x' } }, anything: [{ x: 1 }] } },
      pruned: ['spec.config.known.b'],
    });
  });

  it('keeps apiVersion, kind and metadata of an embedded resource', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'x', labels: {} },
      spec: { replicas: 1, x: 1 },
      y: 2,
    };
    expect(pruneUnknownFields(schema, { spec: { template } })).toEqual({
      value: {
        spec: {
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'x', labels: {} },
            spec: { replicas: 1 },
          },
        },
      },
      pruned: ['spec.template.spec.x', 'spec.template.y'],
    });
    expect(pruneUnknownFields(schema, { spec: { template: { kind: 3 } } }).pruned).toEqual([
      'spec.template.kind',
    ]);
  });

  it('leaves its input alone', () => {
    const value = { spec: { extra: 1 } };
    pruneUnknownFields(schema, value);
    expect(value).toEqual({ spec: { extra: 1 } });
  });

  it('in place: removes the unknown fields from the value itself and lists their paths', () => {
    const value = { spec: { prompt: 'p', extra: 1, remotes: [{ name: 'a', url: 'x' }] }, status: {} };
    const remotes = value.spec.remotes;
    expect(pruneUnknownFieldsInPlace(schema, value)).toEqual(['spec.extra', 'spec.remotes[0].url', 'status']);
    expect(value).toEqual({ spec: { prompt: 'p', remotes: [{ name: 'a' }] } });
    expect(value.spec.remotes).toBe(remotes);
  });

  it('at a resource root: leaves apiVersion, kind and metadata alone, whatever the schema says', () => {
    const root: JSONSchemaProps = {
      type: 'object',
      properties: {
        metadata: { type: 'object' },
        spec: { type: 'object', properties: { a: { type: 'string' } } },
      },
    };
    const resource = () => ({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 't', labels: { x: 'y' } },
      spec: { a: 'b', extra: 1 },
    });
    const value = resource();
    expect(pruneUnknownFieldsInPlace(root, value, { resourceRoot: true })).toEqual(['spec.extra']);
    expect(value).toEqual({ ...resource(), spec: { a: 'b' } });
    // A root that keeps unknown fields still prunes within the declared ones, but never in metadata.
    const open: JSONSchemaProps = { ...root, 'x-kubernetes-preserve-unknown-fields': true };
    const kept = resource();
    expect(pruneUnknownFieldsInPlace(open, kept, { resourceRoot: true })).toEqual(['spec.extra']);
    expect(kept.metadata).toEqual(resource().metadata);
    // Not at a root, the schema's word is final: metadata's fields and the undeclared keys go.
    expect(pruneUnknownFieldsInPlace(root, resource())).toEqual([
      'apiVersion',
      'kind',
      'metadata.name',
      'metadata.labels',
      'spec.extra',
    ]);
  });
});
