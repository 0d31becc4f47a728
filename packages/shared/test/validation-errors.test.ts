import { describe, expect, it } from 'vitest';
import { goFloat, goJson, goQuote } from '../src/validation/go-format.js';
import {
  type FieldError,
  fieldErrors,
  formatFieldError,
  formatFieldErrorBody,
  formatInvalidMessage,
  type JSONSchemaProps,
  validateValue,
} from '../src/validation/index.js';

/** The messages kube-apiserver prints for a value validated at `spec`. */
function messages(schema: JSONSchemaProps, spec: unknown): string[] {
  return validateValue(schema, spec, { rootPath: 'spec' }).map(formatFieldError);
}

const AGENT_TYPES = ['claude-code', 'codex', 'gemini', 'opencode', 'cursor'];

describe('the messages of kube-apiserver', () => {
  it('Required value', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      required: ['prompt'],
      properties: { prompt: { type: 'string' } },
    };
    expect(messages(schema, {})).toEqual(['spec.prompt: Required value']);
  });

  it('Unsupported value, with the supported values quoted', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { type: { type: 'string', enum: AGENT_TYPES } },
    };
    expect(messages(schema, { type: 'foo' })).toEqual([
      'spec.type: Unsupported value: "foo": supported values: "claude-code", "codex", "gemini", "opencode", "cursor"',
    ]);
  });

  it('Invalid value for a pattern', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { repo: { type: 'string', pattern: '^(https?://|git://|git@).*' } },
    };
    expect(messages(schema, { repo: 'ftp://x' })).toEqual([
      `spec.repo: Invalid value: "ftp://x": spec.repo in body should match '^(https?://|git://|git@).*'`,
    ]);
  });

  it('Invalid value for a minimum', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { ttlSecondsAfterFinished: { type: 'integer', minimum: 0 } },
    };
    expect(messages(schema, { ttlSecondsAfterFinished: -1 })).toEqual([
      'spec.ttlSecondsAfterFinished: Invalid value: -1: spec.ttlSecondsAfterFinished in body should be greater than or equal to 0',
    ]);
  });

  it('Invalid value for a type: the bad value is the JSON type', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { maxConcurrency: { type: 'integer' } } };
    expect(messages(schema, { maxConcurrency: 'string' })).toEqual([
      'spec.maxConcurrency: Invalid value: "string": spec.maxConcurrency in body must be of type integer: "string"',
    ]);
    expect(validateValue(schema, { maxConcurrency: 'x' }, { rootPath: 'spec' })[0]?.type).toBe(
      'FieldValueTypeInvalid',
    );
  });

  it('Invalid value for minItems: the bad value is the count', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { agentConfigRefs: { type: 'array', minItems: 1, items: { type: 'string' } } },
    };
    expect(messages(schema, { agentConfigRefs: [] })).toEqual([
      'spec.agentConfigRefs: Invalid value: 0: spec.agentConfigRefs in body should have at least 1 items',
    ]);
  });

  it('Too many for maxItems', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        podOverrides: {
          type: 'object',
          properties: { extraContainers: { type: 'array', maxItems: 8, items: { type: 'object' } } },
        },
      },
    };
    expect(
      messages(schema, { podOverrides: { extraContainers: Array.from({ length: 9 }, () => ({})) } }),
    ).toEqual(['spec.podOverrides.extraContainers: Too many: 9: must have at most 8 items']);
  });

  it('Too long for maxLength, in the wording of Kubernetes 1.32 and later', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { x: { type: 'string', maxLength: 100 } } };
    expect(messages(schema, { x: 'a'.repeat(101) })).toEqual([
      'spec.x: Too long: may not be more than 100 bytes',
    ]);
    expect(formatFieldError(fieldErrors.tooLong('spec.y', 1))).toBe(
      'spec.y: Too long: may not be more than 1 byte',
    );
  });

  it('Duplicate value', () => {
    expect(formatFieldError(fieldErrors.duplicate('spec.items[1]', 'a'))).toBe(
      'spec.items[1]: Duplicate value: "a"',
    );
    expect(formatFieldError(fieldErrors.duplicate('spec.items[1]', { name: 'a' }))).toBe(
      'spec.items[1]: Duplicate value: {"name":"a"}',
    );
  });

  it('Forbidden and Too many never or only sometimes show a value', () => {
    expect(formatFieldError(fieldErrors.forbidden('spec.x', 'may not be set'))).toBe(
      'spec.x: Forbidden: may not be set',
    );
    expect(formatFieldError(fieldErrors.tooMany('spec.x', -1, 1))).toBe(
      'spec.x: Too many: must have at most 1 item',
    );
  });

  it('prints the nil path and nil values as Kubernetes does', () => {
    expect(formatFieldError(fieldErrors.invalid('', null, 'bad'))).toBe('<nil>: Invalid value: null: bad');
    expect(formatFieldError(fieldErrors.invalid('a', 1.5, 'bad'))).toBe('a: Invalid value: 1.5: bad');
    expect(formatFieldError(fieldErrors.invalid('a', true, 'bad'))).toBe('a: Invalid value: true: bad');
    expect(formatFieldError(fieldErrors.invalid('a', ['x', 1], 'bad'))).toBe(
      'a: Invalid value: ["x",1]: bad',
    );
  });

  it('leaves the value out when there is none', () => {
    const e: FieldError = {
      type: 'FieldValueInvalid',
      field: 'spec',
      detail: 'Task spec is immutable after creation',
    };
    expect(formatFieldError(e)).toBe('spec: Invalid value: Task spec is immutable after creation');
    expect(formatFieldErrorBody(fieldErrors.required('spec.a'))).toBe('Required value');
  });
});

describe('formatInvalidMessage', () => {
  const one = fieldErrors.required('spec.prompt');
  const two = fieldErrors.notSupported('spec.type', 'foo', ['codex']);

  it('prints one error without brackets', () => {
    expect(formatInvalidMessage('Task', 'kelos.dev', 'foo', [one])).toBe(
      'Task.kelos.dev "foo" is invalid: spec.prompt: Required value',
    );
  });

  it('prints several errors in brackets, each message once', () => {
    expect(formatInvalidMessage('Task', 'kelos.dev', 'foo', [one, two, one])).toBe(
      'Task.kelos.dev "foo" is invalid: [spec.prompt: Required value, spec.type: Unsupported value: "foo": supported values: "codex"]',
    );
  });

  it('leaves out an empty group', () => {
    expect(formatInvalidMessage('ConfigMap', '', 'x', [one])).toBe(
      'ConfigMap "x" is invalid: spec.prompt: Required value',
    );
  });
});

describe('Go formatting', () => {
  it('quotes like strconv.Quote', () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('tab\there\nnl')).toBe('"tab\\there\\nnl"');
    expect(goQuote('\x01\x7f')).toBe('"\\x01\\x7f"');
    expect(goQuote('héllo ☃ 🎉')).toBe('"héllo ☃ 🎉"');
    expect(goQuote('\u200b')).toBe('"\\u200b"');
  });

  it('prints floats like %v', () => {
    expect(goFloat(1.5)).toBe('1.5');
    expect(goFloat(100000)).toBe('100000');
    expect(goFloat(1000000)).toBe('1e+06');
    expect(goFloat(1234567.5)).toBe('1.2345675e+06');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(goFloat(-2.5e-10)).toBe('-2.5e-10');
  });

  it('marshals JSON like encoding/json', () => {
    expect(goJson({ b: 1, a: ['<x>', null, true] })).toBe('{"a":["\\u003cx\\u003e",null,true],"b":1}');
  });
});
