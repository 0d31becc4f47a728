import { describe, expect, it } from 'vitest';
import {
  formatFieldError,
  type JSONSchemaProps,
  type ValidationRule,
  validateObject,
  validateValue,
} from '../src/validation/index.js';

function messages(schema: JSONSchemaProps, value: unknown, oldValue?: unknown): string[] {
  return validateValue(schema, value, { rootPath: 'spec', oldValue }).map(formatFieldError);
}

/** A schema accepting `value` whose only check is `rule` on its root. */
function ruled(schema: JSONSchemaProps, ...rules: ValidationRule[]): JSONSchemaProps {
  return { ...schema, 'x-kubernetes-validations': rules };
}

/** Whether `rule` holds for `self` under `schema`. */
function holds(rule: string, self: unknown, schema: JSONSchemaProps): boolean {
  return messages(ruled(schema, { rule }), self).length === 0;
}

const stringList: JSONSchemaProps = { type: 'array', items: { type: 'string' } };
const intList: JSONSchemaProps = { type: 'array', items: { type: 'integer' } };

describe('the rules of Kelos', () => {
  const taskSpec = ruled(
    {
      type: 'object',
      properties: {
        prompt: { type: 'string' },
        type: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    { rule: 'self == oldSelf', message: 'Task spec is immutable after creation' },
  );

  it('Task spec is immutable: passes on create and unchanged updates, fails on change', () => {
    const spec = { prompt: 'fix the bug', type: 'codex', labels: { a: 'b' } };
    expect(messages(taskSpec, spec)).toEqual([]);
    expect(messages(taskSpec, spec, structuredClone(spec))).toEqual([]);
    expect(messages(taskSpec, { ...spec, prompt: 'something else' }, spec)).toEqual([
      'spec: Invalid value: "object": Task spec is immutable after creation',
    ]);
  });

  it('is checked on a whole object too', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { spec: taskSpec } };
    const obj = {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'a' },
      spec: { prompt: 'x' },
    };
    expect(validateObject(schema, obj)).toEqual([]);
    expect(validateObject(schema, { ...obj, metadata: { name: 'a', labels: { x: 'y' } } }, obj)).toEqual([]);
    expect(validateObject(schema, { ...obj, spec: { prompt: 'y' } }, obj).map(formatFieldError)).toEqual([
      'spec: Invalid value: "object": Task spec is immutable after creation',
    ]);
  });

  it('agentConfigRef and agentConfigRefs are mutually exclusive', () => {
    const schema = ruled(
      {
        type: 'object',
        properties: {
          agentConfigRef: { type: 'object', properties: { name: { type: 'string' } } },
          agentConfigRefs: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' } } },
          },
        },
      },
      {
        rule: '!(has(self.agentConfigRef) && has(self.agentConfigRefs))',
        message: 'agentConfigRef and agentConfigRefs are mutually exclusive',
      },
    );
    expect(messages(schema, { agentConfigRef: { name: 'a' } })).toEqual([]);
    expect(messages(schema, { agentConfigRefs: [{ name: 'a' }] })).toEqual([]);
    expect(messages(schema, { agentConfigRef: { name: 'a' }, agentConfigRefs: [{ name: 'b' }] })).toEqual([
      'spec: Invalid value: "object": agentConfigRef and agentConfigRefs are mutually exclusive',
    ]);
  });

  it('secretRef is required for api-key and oauth credential types', () => {
    const schema = ruled(
      {
        type: 'object',
        properties: {
          type: { type: 'string', enum: ['none', 'api-key', 'oauth'] },
          secretRef: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
      {
        rule: "self.type == 'none' || has(self.secretRef)",
        message: 'secretRef is required for api-key and oauth credential types',
      },
    );
    expect(messages(schema, { type: 'none' })).toEqual([]);
    expect(messages(schema, { type: 'oauth', secretRef: { name: 's' } })).toEqual([]);
    expect(messages(schema, { type: 'api-key' })).toEqual([
      'spec: Invalid value: "object": secretRef is required for api-key and oauth credential types',
    ]);
  });

  describe('remotes', () => {
    const remotes = ruled(
      {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, url: { type: 'string' } } },
      },
      { rule: "self.all(r, r.name != 'origin')" },
      { rule: 'self.map(r, r.name).size() == self.size()' },
    );
    const schema: JSONSchemaProps = { type: 'object', properties: { remotes } };

    it('may not be called origin; a rule without message reports the rule', () => {
      expect(messages(schema, { remotes: [{ name: 'upstream' }] })).toEqual([]);
      expect(messages(schema, { remotes: [{ name: 'upstream' }, { name: 'origin' }] })).toEqual([
        `spec.remotes: Invalid value: "array": failed rule: self.all(r, r.name != 'origin')`,
      ]);
    });

    it('map() keeps repeated names, so the size rule holds for any list', () => {
      expect(messages(schema, { remotes: [{ name: 'a' }, { name: 'a' }] })).toEqual([]);
    });
  });

  it('volumes may not be called workspace or start with kelos-', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        volumes: ruled(
          { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          {
            rule: "self.all(v, v.name != 'workspace' && !v.name.startsWith('kelos-'))",
            message: 'volume names workspace and kelos-* are reserved',
          },
        ),
      },
    };
    expect(messages(schema, { volumes: [{ name: 'cache' }] })).toEqual([]);
    for (const name of ['workspace', 'kelos-home']) {
      expect(messages(schema, { volumes: [{ name: 'cache' }, { name }] })).toEqual([
        'spec.volumes: Invalid value: "array": volume names workspace and kelos-* are reserved',
      ]);
    }
  });
});

describe('transition rules', () => {
  const containers: JSONSchemaProps = {
    type: 'array',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    items: ruled(
      { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' } } },
      { rule: 'self.image == oldSelf.image', message: 'image is immutable' },
    ),
  };
  const schema: JSONSchemaProps = { type: 'object', properties: { containers } };
  const old = {
    containers: [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:1' },
    ],
  };

  it('correlate map-list items by key, whatever their order', () => {
    const reordered = {
      containers: [
        { name: 'b', image: 'b:1' },
        { name: 'a', image: 'a:1' },
      ],
    };
    expect(messages(schema, reordered, old)).toEqual([]);
    const changed = {
      containers: [
        { name: 'b', image: 'b:1' },
        { name: 'a', image: 'a:2' },
      ],
    };
    expect(messages(schema, changed, old)).toEqual([
      'spec.containers[1]: Invalid value: "object": image is immutable',
    ]);
  });

  it('are skipped for items without an old item', () => {
    expect(messages(schema, { containers: [{ name: 'c', image: 'c:1' }] }, old)).toEqual([]);
    expect(messages(schema, { containers: [{ name: 'a', image: 'a:9' }] })).toEqual([]);
  });

  it('do not correlate the items of other lists', () => {
    const atomic: JSONSchemaProps = {
      type: 'object',
      properties: { containers: { ...containers, 'x-kubernetes-list-type': 'atomic' } },
    };
    expect(messages(atomic, { containers: [{ name: 'a', image: 'a:2' }] }, old)).toEqual([]);
  });

  it('correlate map values by key', () => {
    const limits = ruled({ type: 'integer' }, { rule: 'self >= oldSelf', message: 'may only grow' });
    const map: JSONSchemaProps = {
      type: 'object',
      properties: { limits: { type: 'object', additionalProperties: limits } },
    };
    expect(messages(map, { limits: { cpu: 2, mem: 1 } }, { limits: { cpu: 1 } })).toEqual([]);
    expect(messages(map, { limits: { cpu: 1 } }, { limits: { cpu: 2 } })).toEqual([
      'spec.limits[cpu]: Invalid value: "integer": may only grow',
    ]);
  });

  it('run on create with optionalOldSelf', () => {
    const schema = ruled(
      { type: 'string' },
      {
        rule: "oldSelf.hasValue() || self == 'initial'",
        message: 'must start as initial',
        optionalOldSelf: true,
      },
      { rule: "!oldSelf.hasValue() || oldSelf.value() != 'final' || self == 'final'", optionalOldSelf: true },
      { rule: "oldSelf.orValue('initial') <= self", optionalOldSelf: true },
    );
    expect(messages(schema, 'initial')).toEqual([]);
    expect(messages(schema, 'other')).toEqual(['spec: Invalid value: "string": must start as initial']);
    expect(messages(schema, 'other', 'final')).toEqual([
      `spec: Invalid value: "string": failed rule: !oldSelf.hasValue() || oldSelf.value() != 'final' || self == 'final'`,
    ]);
    expect(messages(schema, 'a', 'initial')).toEqual([
      `spec: Invalid value: "string": failed rule: oldSelf.orValue('initial') <= self`,
    ]);
  });

  it('compare set and map lists without regard to order', () => {
    const immutable = { rule: 'self == oldSelf', message: 'immutable' };
    const set = ruled(
      { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      immutable,
    );
    expect(messages(set, ['a', 'b'], ['b', 'a'])).toEqual([]);
    expect(messages(set, ['a', 'c'], ['b', 'a'])).toEqual(['spec: Invalid value: "array": immutable']);
    const atomic = ruled(stringList, immutable);
    expect(messages(atomic, ['a', 'b'], ['b', 'a'])).toEqual(['spec: Invalid value: "array": immutable']);
    const nested = ruled({ type: 'object', properties: { containers } }, immutable);
    expect(messages(nested, { containers: [...old.containers].reverse() }, old)).toEqual([]);
  });
});

describe('rule errors', () => {
  const object: JSONSchemaProps = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };

  it('evaluate messageExpression, falling back to the message', () => {
    const schema = ruled(object, {
      rule: "self.name != 'admin'",
      message: 'reserved name',
      messageExpression: "'name ' + self.name + ' is reserved'",
    });
    expect(messages(schema, { name: 'admin' })).toEqual([
      'spec: Invalid value: "object": name admin is reserved',
    ]);
    for (const messageExpression of ['self.missing', "''", "'two\\nlines'", '42', 'self.name +']) {
      const fallback = ruled(object, {
        rule: "self.name != 'admin'",
        message: 'reserved name',
        messageExpression,
      });
      expect(messages(fallback, { name: 'admin' })).toEqual(['spec: Invalid value: "object": reserved name']);
    }
  });

  it('report on fieldPath', () => {
    const schema = ruled(
      object,
      { rule: "self.name != 'admin'", fieldPath: '.name', message: 'reserved' },
      { rule: "!('x' in self.labels)", fieldPath: ".labels['x']", message: 'no x' },
    );
    expect(messages(schema, { name: 'admin', labels: { x: '1' } })).toEqual([
      'spec.name: Invalid value: "object": reserved',
      'spec.labels[x]: Invalid value: "object": no x',
    ]);
  });

  it('take their type from reason', () => {
    const rule = { rule: 'false', message: 'no' };
    expect(messages(ruled(object, { ...rule, reason: 'FieldValueForbidden' }), {})).toEqual([
      'spec: Forbidden: no',
    ]);
    expect(messages(ruled(object, { ...rule, reason: 'FieldValueRequired' }), {})).toEqual([
      'spec: Required value: no',
    ]);
    expect(messages(ruled(object, { ...rule, reason: 'FieldValueDuplicate' }), {})).toEqual([
      'spec: Duplicate value: "object"',
    ]);
    expect(messages(ruled(object, { ...rule, reason: 'FieldValueInvalid' }), {})).toEqual([
      'spec: Invalid value: "object": no',
    ]);
  });

  it('report a rule that does not compile instead of throwing', () => {
    const [message] = messages(ruled(object, { rule: 'self.name ==' }), { name: 'a' });
    expect(message).toMatch(/^spec: Invalid value: "object": rule compile error: compilation failed: .+/);
  });

  it('report runtime errors in cel-go words', () => {
    expect(messages(ruled(object, { rule: "self.name == 'a'" }), {})).toEqual([
      `spec: Invalid value: "object": no such key: name evaluating rule: self.name == 'a'`,
    ]);
    expect(messages(ruled(object, { rule: 'self.name + 1 == 2', message: 'bad' }), { name: 'a' })).toEqual([
      `spec: Invalid value: "object": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: bad`,
    ]);
    expect(messages(ruled(object, { rule: "self.name == 'a' ? 1 : 2" }), { name: 'a' })).toEqual([
      'spec: Invalid value: "object": rule compile error: the rule must evaluate to a bool',
    ]);
  });

  it('are not evaluated on absent or null values', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { child: ruled({ type: 'string', nullable: true }, { rule: 'false' }) },
    };
    expect(messages(schema, {})).toEqual([]);
    expect(messages(schema, { child: null })).toEqual([]);
    expect(messages(schema, { child: 'x' })).toEqual([
      'spec.child: Invalid value: "string": failed rule: false',
    ]);
  });

  it('are ratcheted on update when the value did not change, unless they are transition rules', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        name: ruled({ type: 'string' }, { rule: 'self.size() <= 3', message: 'too long' }),
        other: { type: 'string' },
      },
    };
    expect(messages(schema, { name: 'toolong', other: 'b' }, { name: 'toolong', other: 'a' })).toEqual([]);
    expect(messages(schema, { name: 'toolong!' }, { name: 'toolong' })).toEqual([
      'spec.name: Invalid value: "string": too long',
    ]);
    const transition = ruled({ type: 'string' }, { rule: 'self != oldSelf', message: 'must change' });
    expect(messages(transition, 'a', 'a')).toEqual(['spec: Invalid value: "string": must change']);
  });

  it('ratchet evaluation errors on unchanged values too, and reach transition rules below them', () => {
    const keyed = ruled(
      { type: 'object', additionalProperties: { type: 'string' } },
      { rule: "self.want == 'x'", message: 'want x' },
    );
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        labels: keyed,
        pinned: ruled({ type: 'string' }, { rule: 'self == oldSelf', message: 'immutable' }),
        other: { type: 'string' },
      },
    };
    // No key `want`: an evaluation error, reported on a new value only.
    expect(messages(schema, { labels: { a: 'b' }, other: '2' }, { labels: { a: 'b' }, other: '1' })).toEqual(
      [],
    );
    expect(messages(schema, { labels: { a: 'c' } }, { labels: { a: 'b' } })).toEqual([
      'spec.labels: Invalid value: "object": no such key: want evaluating rule: want x',
    ]);
    const deep: JSONSchemaProps = { type: 'object', properties: { inner: schema } };
    expect(messages(deep, { inner: { pinned: 'b' } }, { inner: { pinned: 'a' } })).toEqual([
      'spec.inner.pinned: Invalid value: "string": immutable',
    ]);
    // A transition rule below an unchanged value is still evaluated.
    const changing = ruled({ type: 'string' }, { rule: 'self != oldSelf', message: 'must change' });
    const parent: JSONSchemaProps = {
      type: 'object',
      properties: { inner: { type: 'object', properties: { v: changing } } },
    };
    expect(messages(parent, { inner: { v: 'a' } }, { inner: { v: 'a' } })).toEqual([
      'spec.inner.v: Invalid value: "string": must change',
    ]);
  });

  it('are skipped, with a notice, when the schema already rejects the object', () => {
    const schema = ruled(
      { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      { rule: 'false' },
    );
    expect(messages(schema, {})).toEqual([
      'spec.name: Required value',
      '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
});

describe('values as CEL sees them', () => {
  it('integers are ints, numbers doubles', () => {
    expect(holds('self + 1 == 3', 2, { type: 'integer' })).toBe(true);
    expect(holds('self * 2.0 == 4.0', 2, { type: 'number' })).toBe(true);
    expect(holds('type(self) == int || self.endsWith("%")', 5, { 'x-kubernetes-int-or-string': true })).toBe(
      true,
    );
    expect(
      holds('type(self) == int || self.endsWith("%")', '50%', { 'x-kubernetes-int-or-string': true }),
    ).toBe(true);
  });

  it('date-time and duration strings are timestamps and durations', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        start: { type: 'string', format: 'date-time' },
        end: { type: 'string', format: 'date-time' },
        timeout: { type: 'string', format: 'duration' },
      },
    };
    const value = { start: '2024-05-01T10:00:00Z', end: '2024-05-01T12:00:00+01:00', timeout: '90m' };
    expect(holds("self.start < self.end && self.end - self.start == duration('1h')", value, schema)).toBe(
      true,
    );
    expect(holds("self.timeout > duration('1h')", value, schema)).toBe(true);
  });

  it('only declared fields are visible', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'string' } },
    };
    expect(holds("has(self.a) && !has(self.b) && !('b' in self)", { a: 'x', b: 'y' }, schema)).toBe(true);
    expect(
      holds(
        'self.size() == 2',
        { a: 'x', b: 'y' },
        { type: 'object', additionalProperties: { type: 'string' } },
      ),
    ).toBe(true);
  });

  it('a resource root and an embedded resource show apiVersion, kind and metadata name', () => {
    const schema = ruled(
      {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            properties: {
              template: {
                type: 'object',
                'x-kubernetes-embedded-resource': true,
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      },
      {
        rule: "self.kind == 'Task' && self.metadata.name.startsWith('t-') && !has(self.metadata.labels) && self.spec.template.kind == 'Pod'",
        message: 'bad',
      },
    );
    const obj = {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 't-1', labels: { a: 'b' } },
      spec: { template: { apiVersion: 'v1', kind: 'Pod' } },
    };
    expect(validateObject(schema, obj)).toEqual([]);
    expect(validateObject(schema, { ...obj, metadata: { name: 'x' } }).map(formatFieldError)).toEqual([
      '<nil>: Invalid value: "object": bad',
    ]);
  });

  it('rules in allOf count too', () => {
    const schema: JSONSchemaProps = {
      type: 'string',
      allOf: [{ 'x-kubernetes-validations': [{ rule: "self != 'x'", message: 'not x' }] }],
    };
    expect(messages(schema, 'x')).toEqual(['spec: Invalid value: "string": not x']);
  });
});

describe('CEL functions', () => {
  it.each([
    ["self.size() == 5 && size(self) == 5 && 'é'.size() == 1", 'héllo'],
    ["self.startsWith('hé') && self.endsWith('lo') && self.contains('ll')", 'héllo'],
    ["self.matches('^h.l+o$') && !self.matches('^x')", 'héllo'],
    ["self.lowerAscii() == 'hello' && self.upperAscii() == 'HELLO'", 'HeLLo'],
    ["'  x '.trim() == 'x' && self.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b'", 'a,b'],
    ["self.indexOf('l') == 2 && self.lastIndexOf('l') == 3 && self.replace('l', 'L') == 'heLLo'", 'hello'],
    [
      "self.find('[0-9]+') == '12' && self.findAll('[0-9]+') == ['12', '345'] && self.findAll('[0-9]+', 1) == ['12']",
      'a12b345',
    ],
  ])('%s', (rule, self) => {
    expect(holds(rule, self, { type: 'string' })).toBe(true);
  });

  it.each([
    ["self.all(x, x != '') && self.exists(x, x == 'b') && self.exists_one(x, x == 'a')", ['a', 'b']],
    ["self.map(x, x + '!') == ['a!', 'b!'] && self.filter(x, x == 'b') == ['b'] && 'a' in self", ['a', 'b']],
    [
      "self.isSorted() && !['b', 'a'].isSorted() && self.indexOf('b') == 1 && self.indexOf('z') == -1",
      ['a', 'b'],
    ],
    [
      "sets.contains(self, ['a']) && sets.equivalent(self, ['b', 'a', 'a']) && sets.intersects(self, ['b', 'z'])",
      ['a', 'b'],
    ],
  ])('%s', (rule, self) => {
    expect(holds(rule, self, stringList)).toBe(true);
  });

  it.each([
    ['self.sum() == 6 && self.min() == 1 && self.max() == 3', [3, 1, 2]],
    ['self.indexOf(1) == 0 && self.lastIndexOf(1) == 2 && self.isSorted() == false', [1, 2, 1]],
    ['[1.5, 2.5].sum() == 4.0 && [].sum() == 0 && [2.5, 1].min() == 1', []],
  ])('%s', (rule, self) => {
    expect(holds(rule, self, intList)).toBe(true);
  });

  it('optionals', () => {
    expect(holds('optional.of(self).hasValue() && !optional.none().hasValue()', 1, { type: 'integer' })).toBe(
      true,
    );
    expect(
      holds('optional.of(self).value() == 1 && optional.none().orValue(2) == 2', 1, { type: 'integer' }),
    ).toBe(true);
  });

  it('comparing values that cannot be ordered is an overload error', () => {
    expect(messages(ruled(stringList, { rule: "[1, 'a'].isSorted()" }), [])).toEqual([
      `spec: Invalid value: "array": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: [1, 'a'].isSorted()`,
    ]);
  });

  it('min of an empty list is an error', () => {
    expect(messages(ruled(intList, { rule: 'self.min() > 0' }), [])).toEqual([
      'spec: Invalid value: "array": min called on empty list evaluating rule: self.min() > 0',
    ]);
  });
});

describe('performance', () => {
  it('validates 1,000 objects with rules, created and updated, in well under 5 s', () => {
    const spec: JSONSchemaProps = ruled(
      {
        type: 'object',
        required: ['prompt'],
        properties: {
          prompt: { type: 'string', minLength: 1 },
          type: { type: 'string', enum: ['claude-code', 'codex'] },
          remotes: ruled(
            {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object', properties: { name: { type: 'string' }, url: { type: 'string' } } },
            },
            { rule: "self.all(r, r.name != 'origin')" },
            { rule: 'self.map(r, r.name).size() == self.size()' },
          ),
        },
      },
      { rule: 'self == oldSelf', message: 'Task spec is immutable after creation' },
      { rule: "self.type == 'codex' || !has(self.remotes)" },
    );
    const schema: JSONSchemaProps = { type: 'object', properties: { spec } };
    const objects = Array.from({ length: 1000 }, (_, i) => ({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: `t-${i}` },
      spec: { prompt: `task ${i}`, type: 'codex', remotes: [{ name: `r${i}`, url: 'https://x' }] },
    }));
    const start = performance.now();
    const errors = objects.flatMap((obj) => [
      ...validateObject(schema, obj),
      ...validateObject(schema, obj, obj),
    ]);
    const elapsed = performance.now() - start;
    expect(errors).toEqual([]);
    expect(elapsed).toBeLessThan(5000);
  });
});
