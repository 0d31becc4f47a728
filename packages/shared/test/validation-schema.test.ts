import { describe, expect, it } from 'vitest';
import {
  formatFieldError,
  type JSONSchemaProps,
  validateObject,
  validateValue,
} from '../src/validation/index.js';

function messages(schema: JSONSchemaProps, value: unknown, oldValue?: unknown): string[] {
  return validateValue(schema, value, { rootPath: 'spec', oldValue }).map(formatFieldError);
}

/** `spec` with a single property `field`. */
function field(schema: JSONSchemaProps): JSONSchemaProps {
  return { type: 'object', properties: { field: schema } };
}

describe('types', () => {
  it('tells integers from numbers', () => {
    expect(messages(field({ type: 'number' }), { field: 3 })).toEqual([]);
    expect(messages(field({ type: 'number' }), { field: 3.5 })).toEqual([]);
    expect(messages(field({ type: 'integer' }), { field: 3.5 })).toEqual([
      'spec.field: Invalid value: "number": spec.field in body must be of type integer: "number"',
    ]);
  });

  it.each([
    ['foo', 'string'],
    [42, 'integer'],
    [true, 'boolean'],
    [1.2, 'number'],
    [[], 'array'],
    [null, 'null'],
  ])('reports %j where an object belongs as %s', (value, kind) => {
    expect(messages(field({ type: 'object' }), { field: value })).toEqual([
      `spec.field: Invalid value: "${kind}": spec.field in body must be of type object: "${kind}"`,
    ]);
  });

  it('accepts null only where nullable', () => {
    expect(messages(field({ type: 'object', nullable: true }), { field: null })).toEqual([]);
    expect(messages(field({ type: 'string', nullable: true }), { field: 1 })).toHaveLength(1);
  });

  it('accepts integers and strings for x-kubernetes-int-or-string', () => {
    const schema = field({ 'x-kubernetes-int-or-string': true });
    expect(messages(schema, { field: 42 })).toEqual([]);
    expect(messages(schema, { field: '50%' })).toEqual([]);
    expect(messages(schema, { field: true })).toEqual([
      'spec.field: Invalid value: "boolean": spec.field in body must be of type integer,string: "boolean"',
    ]);
    expect(messages(schema, { field: null })).toEqual([
      'spec.field: Invalid value: "null": spec.field in body must be of type integer,string: "null"',
    ]);
    expect(messages(field({ 'x-kubernetes-int-or-string': true, nullable: true }), { field: null })).toEqual(
      [],
    );
  });

  it('goes on with the other keywords after a type error', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        nestedint: { type: 'integer', enum: [1, 2] },
        nestedstring: { type: 'string', enum: ['a', 'b'] },
      },
    };
    expect(messages(schema, { nestedint: 'x', nestedstring: true })).toEqual([
      'spec.nestedint: Invalid value: "string": spec.nestedint in body must be of type integer: "string"',
      'spec.nestedint: Unsupported value: "x": supported values: "1", "2"',
      'spec.nestedstring: Invalid value: "boolean": spec.nestedstring in body must be of type string: "boolean"',
      'spec.nestedstring: Unsupported value: true: supported values: "a", "b"',
    ]);
  });

  it('validates without a path as the nil path', () => {
    expect(validateValue({ type: 'object' }, 'x').map(formatFieldError)).toEqual([
      '<nil>: Invalid value: "string":  in body must be of type object: "string"',
    ]);
  });
});

describe('objects', () => {
  it('reports required properties at every depth', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      required: ['field'],
      properties: {
        field: { type: 'object', required: ['nested'], properties: { nested: { type: 'string' } } },
      },
    };
    expect(messages(schema, {})).toEqual(['spec.field: Required value']);
    expect(messages(schema, { field: {} })).toEqual(['spec.field.nested: Required value']);
  });

  it('validates map values under the map key', () => {
    const schema = field({ type: 'object', additionalProperties: { type: 'string', maxLength: 3 } });
    expect(messages(schema, { field: { ok: 'abc', long: 'abcd', num: 1 } })).toEqual([
      'spec.field.long: Too long: may not be more than 3 bytes',
      'spec.field.num: Invalid value: "integer": spec.field.num in body must be of type string: "integer"',
    ]);
  });

  it('forbids extra properties with additionalProperties: false', () => {
    const schema = field({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
    expect(messages(schema, { field: { a: 'x', b: 'y' } })).toEqual([
      'spec.field: Invalid value: "b": spec.field.b in body is a forbidden property',
    ]);
  });

  it('counts properties', () => {
    const schema = field({
      type: 'object',
      minProperties: 2,
      maxProperties: 3,
      additionalProperties: { type: 'string' },
    });
    expect(messages(schema, { field: { a: 'x' } })).toEqual([
      'spec.field: Invalid value: 1: spec.field in body should have at least 2 properties',
    ]);
    expect(messages(schema, { field: { a: '', b: '', c: '', d: '' } })).toEqual([
      'spec.field: Too many: 4: must have at most 3 items',
    ]);
  });

  it('prints nested paths through arrays', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        podOverrides: {
          type: 'object',
          properties: {
            volumes: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string', minLength: 1 } },
              },
            },
          },
        },
      },
    };
    expect(messages(schema, { podOverrides: { volumes: [{}, { name: '' }] } })).toEqual([
      'spec.podOverrides.volumes[0].name: Required value',
      'spec.podOverrides.volumes[1].name: Invalid value: "": spec.podOverrides.volumes[1].name in body should be at least 1 chars long',
    ]);
  });
});

describe('strings', () => {
  it('counts lengths in code points, as Go counts runes', () => {
    const schema = field({ type: 'string', minLength: 3, maxLength: 4 });
    expect(messages(schema, { field: 'éééé' })).toEqual([]);
    expect(messages(schema, { field: 'ééééé' })).toEqual([
      'spec.field: Too long: may not be more than 4 bytes',
    ]);
    expect(messages(schema, { field: '🎉🎉' })).toEqual([
      'spec.field: Invalid value: "🎉🎉": spec.field in body should be at least 3 chars long',
    ]);
  });

  it('stops at the first failing string keyword', () => {
    const schema = field({ type: 'string', maxLength: 2, pattern: '^a' });
    expect(messages(schema, { field: 'bbb' })).toEqual([
      'spec.field: Too long: may not be more than 2 bytes',
    ]);
  });

  it('matches patterns anywhere in the string, with Go-style flags', () => {
    expect(messages(field({ type: 'string', pattern: 'b' }), { field: 'abc' })).toEqual([]);
    expect(messages(field({ type: 'string', pattern: '(?i)^abc$' }), { field: 'ABC' })).toEqual([]);
    expect(messages(field({ type: 'string', pattern: '^[a-z\\-]+$' }), { field: 'a-b' })).toEqual([]);
  });

  it('reports an invalid pattern on every value', () => {
    const [message] = messages(field({ type: 'string', pattern: '+' }), { field: 'foo' });
    expect(message).toMatch(
      /^spec\.field: Invalid value: "foo": spec\.field in body should match '\+, but pattern is invalid: .+'$/,
    );
  });
});

describe('numbers', () => {
  it('checks bounds, inclusive and exclusive', () => {
    const schema = field({
      type: 'integer',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 10,
      exclusiveMaximum: true,
    });
    expect(messages(schema, { field: 5 })).toEqual([]);
    expect(messages(schema, { field: 0 })).toEqual([
      'spec.field: Invalid value: 0: spec.field in body should be greater than 0',
    ]);
    expect(messages(schema, { field: 10 })).toEqual([
      'spec.field: Invalid value: 10: spec.field in body should be less than 10',
    ]);
  });

  it('prints bounds and values of floats as Go does', () => {
    const schema = field({ type: 'number', minimum: 0.5, maximum: 1000000 });
    expect(messages(schema, { field: 0.25 })).toEqual([
      'spec.field: Invalid value: 0.25: spec.field in body should be greater than or equal to 0.5',
    ]);
    expect(messages(schema, { field: 2000000.5 })).toEqual([
      'spec.field: Invalid value: 2.0000005e+06: spec.field in body should be less than or equal to 1e+06',
    ]);
  });

  it('compares integers with the bound truncated to an integer, as kube-openapi does', () => {
    expect(messages(field({ type: 'integer', minimum: 0.5 }), { field: 0 })).toEqual([]);
  });

  it('checks multipleOf', () => {
    expect(messages(field({ type: 'integer', multipleOf: 2 }), { field: 7 })).toEqual([
      'spec.field: Invalid value: 7: spec.field in body should be a multiple of 2',
    ]);
    expect(messages(field({ type: 'number', multipleOf: 0.1 }), { field: 0.3 })).toEqual([]);
  });
});

describe('arrays', () => {
  it('validates items before counting them', () => {
    const schema = field({ type: 'array', maxItems: 1, items: { type: 'string' } });
    expect(messages(schema, { field: ['a', 1] })).toEqual([
      'spec.field[1]: Invalid value: "integer": spec.field[1] in body must be of type string: "integer"',
      'spec.field: Too many: 2: must have at most 1 item',
    ]);
  });

  it('reports repeated values of a set', () => {
    const schema = field({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } });
    expect(messages(schema, { field: ['a', 'b', 'a', 'a'] })).toEqual([
      'spec.field[2]: Duplicate value: "a"',
      'spec.field[3]: Duplicate value: "a"',
    ]);
  });

  it('reports repeated keys of a map list, defaulted keys included', () => {
    const schema = field({
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name', 'protocol'],
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          protocol: { type: 'string', default: 'TCP' },
          port: { type: 'integer' },
        },
      },
    });
    const value = [
      { name: 'a', protocol: 'TCP', port: 1 },
      { name: 'a', protocol: 'UDP', port: 2 },
      { name: 'a', port: 3 },
    ];
    expect(messages(schema, { field: value })).toEqual([
      'spec.field[2]: Duplicate value: {"name":"a","protocol":"TCP"}',
    ]);
  });

  it('leaves atomic lists alone', () => {
    expect(messages(field({ type: 'array', items: { type: 'string' } }), { field: ['a', 'a'] })).toEqual([]);
  });

  it('reports duplicates in map values under the key', () => {
    const schema = field({
      type: 'object',
      additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'integer' } },
    });
    expect(messages(schema, { field: { k: [1, 1] } })).toEqual(['spec.field[k][1]: Duplicate value: 1']);
  });
});

describe('allOf, anyOf, oneOf and not', () => {
  const base: JSONSchemaProps = { 'x-kubernetes-int-or-string': true, nullable: true };

  it('anyOf: reports the failure and the best alternative', () => {
    const schema = field({ ...base, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(messages(schema, { field: 'x' })).toEqual([]);
    expect(messages(schema, { field: true })).toEqual([
      'spec.field: Invalid value: "boolean": spec.field in body must be of type integer,string: "boolean"',
      '<nil>: Invalid value: "": "spec.field" must validate at least one schema (anyOf)',
      'spec.field: Invalid value: "boolean": spec.field in body must be of type integer: "boolean"',
    ]);
  });

  it('allOf: reports every failing schema', () => {
    const schema = field({ ...base, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }] });
    expect(messages(schema, { field: 1.5 })).toEqual([
      'spec.field: Invalid value: "number": spec.field in body must be of type integer,string: "number"',
      '<nil>: Invalid value: "": "spec.field" must validate at least one schema (anyOf)',
      'spec.field: Invalid value: "number": spec.field in body must be of type integer: "number"',
      '<nil>: Invalid value: "": "spec.field" must validate all the schemas (allOf). None validated',
    ]);
  });

  it('oneOf: exactly one', () => {
    const schema = field({ type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] });
    expect(messages(schema, { field: { a: 1 } })).toEqual([]);
    expect(messages(schema, { field: { a: 1, b: 1 } })).toEqual([
      '<nil>: Invalid value: "": "spec.field" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
    expect(messages(schema, { field: {} })).toEqual([
      '<nil>: Invalid value: "": "spec.field" must validate one and only one schema (oneOf). Found none valid',
      'spec.field.a: Required value',
    ]);
  });

  it('not', () => {
    const schema = field({ type: 'string', not: { enum: ['forbidden'] } });
    expect(messages(schema, { field: 'fine' })).toEqual([]);
    expect(messages(schema, { field: 'forbidden' })).toEqual([
      '<nil>: Invalid value: "": "spec.field" must not validate the schema (not)',
    ]);
  });
});

describe('formats', () => {
  it.each([
    ['date-time', '2024-05-01T10:00:00Z', '2024-05-01 10:00'],
    ['date-time', '2024-05-01T10:00:00.123+02:00', '2024-13-01T10:00:00Z'],
    ['date', '2024-02-29', '2023-02-29'],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', 'not-a-uuid'],
    ['ipv4', '10.0.0.1', '10.0.0.256'],
    ['ipv6', '2001:db8::1', '2001:db8::g'],
    ['cidr', '10.0.0.0/8', '10.0.0.0/33'],
    ['hostname', 'example.com', '-example.com'],
    ['email', 'dev@example.com', 'dev@'],
    ['uri', 'https://example.com/a?b=c', 'example.com'],
    ['byte', 'aGVsbG8=', 'hello!'],
    ['duration', '1h30m', 'soon'],
    ['duration', '3 days', '3'],
    ['mac', '00:1a:2b:3c:4d:5e', '00:1a:2b'],
    ['bsonobjectid', '507f1f77bcf86cd799439011', '507f1f77'],
  ])('%s accepts %j and rejects %j', (format, good, bad) => {
    const schema = field({ type: 'string', format });
    expect(messages(schema, { field: good })).toEqual([]);
    expect(messages(schema, { field: bad })).toEqual([
      `spec.field: Invalid value: ${JSON.stringify(bad)}: spec.field in body must be of type ${format}: ${JSON.stringify(bad)}`,
    ]);
  });

  it('ignores the formats the apiserver does not support', () => {
    expect(messages(field({ type: 'string', format: 'int-or-string-ish' }), { field: 'x' })).toEqual([]);
    expect(messages(field({ type: 'integer', format: 'int32' }), { field: 2 ** 40 })).toEqual([]);
  });

  it('names the decoded Go type of a non-string value with a format', () => {
    expect(messages(field({ type: 'string', format: 'date-time' }), { field: 5 })).toEqual([
      'spec.field: Invalid value: "int64": spec.field in body must be of type date-time: "int64"',
    ]);
  });
});

describe('embedded resources', () => {
  const schema = field({
    type: 'object',
    'x-kubernetes-embedded-resource': true,
    'x-kubernetes-preserve-unknown-fields': true,
  });

  it('needs an apiVersion and a kind', () => {
    expect(messages(schema, { field: { apiVersion: 'v1', kind: 'ConfigMap', data: {} } })).toEqual([]);
    expect(messages(schema, { field: {} })).toEqual([
      'spec.field.apiVersion: Required value: must not be empty',
      'spec.field.kind: Required value: must not be empty',
    ]);
  });

  it('checks their form', () => {
    expect(messages(schema, { field: { apiVersion: 'a/b/c', kind: 'Config_Map' } })).toEqual([
      'spec.field.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      `spec.field.kind: Invalid value: "Config_Map": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
});

describe('updates ratchet', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 3 },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } },
        },
      },
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string', maxLength: 3 } },
    },
  };

  it('does not report what was already invalid and did not change', () => {
    const old = { name: 'toolong', ports: [{ name: 'a', port: 1000 }], tags: ['longtag'] };
    expect(
      messages(
        schema,
        { ...old, ports: [{ name: 'b', port: 1 }, ...old.ports], tags: ['x', 'longtag'] },
        old,
      ),
    ).toEqual([]);
  });

  it('reports what changed', () => {
    const old = { name: 'toolong', ports: [{ name: 'a', port: 1000 }] };
    expect(messages(schema, { name: 'toolong!', ports: [{ name: 'a', port: 1001 }] }, old)).toEqual([
      'spec.name: Too long: may not be more than 3 bytes',
      'spec.ports[0].port: Invalid value: 1001: spec.ports[0].port in body should be less than or equal to 100',
    ]);
  });

  it('keeps duplicates that were there before', () => {
    const old = { tags: ['a', 'a'] };
    expect(messages(schema, { tags: ['a', 'a', 'b'] }, old)).toEqual([]);
    expect(messages(schema, { tags: ['b', 'b'] }, { tags: ['b'] })).toEqual([
      'spec.tags[1]: Duplicate value: "b"',
    ]);
  });
});

describe('validateObject', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    required: ['spec', 'metadata'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' } } },
    },
  };

  it('leaves apiVersion, kind and metadata to the apiserver', () => {
    expect(validateObject(schema, { apiVersion: 1, kind: [], metadata: 'x', spec: { prompt: 'p' } })).toEqual(
      [],
    );
    expect(validateObject(schema, { spec: { prompt: 'p' } })).toEqual([]);
  });

  it('validates the rest from the root', () => {
    expect(validateObject(schema, {}).map(formatFieldError)).toEqual(['spec: Required value']);
    expect(validateObject(schema, { spec: {} }).map(formatFieldError)).toEqual([
      'spec.prompt: Required value',
    ]);
  });
});
