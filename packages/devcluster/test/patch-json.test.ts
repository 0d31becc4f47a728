import { describe, expect, it } from 'vitest';
import { applyJsonPatch, PatchError } from '../src/apiserver/patch/index.js';

describe('applyJsonPatch', () => {
  // RFC 6902, Appendix A (the successful examples).
  it.each([
    [
      'adding an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { baz: 'qux', foo: 'bar' },
    ],
    [
      'adding an array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    [
      'removing an object member',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'remove', path: '/baz' }],
      { foo: 'bar' },
    ],
    [
      'removing an array element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'replacing a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'moving a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'moving an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'testing a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'adding a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'adding to a nonexistent target',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { foo: 'bar', baz: 'qux' },
    ],
    [
      '~1 escape ordering',
      { '/': 9, '~1': 10 },
      [{ op: 'test', path: '/~01', value: 10 }],
      { '/': 9, '~1': 10 },
    ],
    [
      'adding an array value',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
    [
      'copying a value',
      { a: { b: 1 } },
      [{ op: 'copy', from: '/a', path: '/c' }],
      { a: { b: 1 }, c: { b: 1 } },
    ],
    ['replacing the whole document', { a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 }],
  ])('%s', (_name, doc, ops, expected) => {
    expect(applyJsonPatch(doc, ops)).toEqual(expected);
  });

  it('patches a label with an escaped key, as kubectl users do', () => {
    const pod = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } };
    const out = applyJsonPatch(pod, [
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' },
    ]);
    expect(out).toEqual({ metadata: { labels: { 'app.kubernetes.io/name': 'api' } } });
  });

  it.each([
    [
      'a failing test',
      { baz: 'qux' },
      [{ op: 'test', path: '/baz', value: 'bar' }],
      'json patch operation 0 (test /baz) failed: the value at /baz does not equal "bar"',
    ],
    [
      'a later failing test',
      { a: 1, b: 2 },
      [
        { op: 'test', path: '/a', value: 1 },
        { op: 'test', path: '/b', value: 3 },
      ],
      'json patch operation 1 (test /b) failed: the value at /b does not equal 3',
    ],
    [
      'adding to a nonexistent parent',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      'json patch operation 0 (add /baz/bat) failed: the parent of /baz/bat does not exist',
    ],
    [
      'removing a missing member',
      { foo: 'bar' },
      [{ op: 'remove', path: '/baz' }],
      'json patch operation 0 (remove /baz) failed: path /baz does not exist',
    ],
    [
      'replacing a missing member',
      { foo: 'bar' },
      [{ op: 'replace', path: '/spec/replicas', value: 1 }],
      'json patch operation 0 (replace /spec/replicas) failed: path /spec/replicas does not exist',
    ],
    [
      'moving from a missing path',
      { foo: 'bar' },
      [{ op: 'move', from: '/nope', path: '/foo' }],
      'json patch operation 0 (move /foo) failed: from path /nope does not exist',
    ],
    [
      'an out-of-bounds array index',
      { foo: [1] },
      [{ op: 'add', path: '/foo/5', value: 2 }],
      'json patch operation 0 (add /foo/5) failed: array index in /foo/5 is out of bounds',
    ],
    [
      'a non-numeric array index',
      { foo: [1] },
      [{ op: 'add', path: '/foo/x', value: 2 }],
      'json patch operation 0 (add /foo/x) failed: /foo/x does not use a valid array index',
    ],
  ])('rejects %s with 422', (_name, doc, ops, message) => {
    const err = catchError(() => applyJsonPatch(doc, ops));
    expect(err).toBeInstanceOf(PatchError);
    expect(err.message).toBe(message);
    expect((err as PatchError).code).toBe(422);
  });

  it.each([
    [
      'a non-array document',
      { op: 'add', path: '/a', value: 1 },
      'json patch must be an array of operations',
    ],
    ['an operation that is not an object', ['add'], 'json patch operation 0 is not an object'],
    ['an unknown op', [{ op: 'merge', path: '/a' }], 'json patch operation 0 has unsupported op "merge"'],
    ['a missing op', [{ path: '/a' }], 'json patch operation 0 has unsupported op null'],
    [
      'a relative path',
      [{ op: 'remove', path: 'a' }],
      'json patch operation 0 (remove) needs a "path" that is a JSON pointer',
    ],
    ['a missing value', [{ op: 'add', path: '/a' }], 'json patch operation 0 (add /a) needs a "value"'],
    [
      'a missing from',
      [{ op: 'copy', path: '/a' }],
      'json patch operation 0 (copy /a) needs a "from" JSON pointer',
    ],
  ])('rejects %s with 400 before applying anything', (_name, ops, message) => {
    const err = catchError(() => applyJsonPatch({ a: 1 }, ops));
    expect(err).toBeInstanceOf(PatchError);
    expect(err.message).toBe(message);
    expect((err as PatchError).code).toBe(400);
  });

  it('refuses to touch __proto__', () => {
    const err = catchError(() =>
      applyJsonPatch({}, [{ op: 'add', path: '/__proto__/polluted', value: true }]),
    );
    expect(err).toBeInstanceOf(PatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never mutates or aliases its inputs', () => {
    const doc = { spec: { containers: [{ name: 'a' }] } };
    const value = { name: 'b', env: [{ name: 'X' }] };
    const ops = [{ op: 'add', path: '/spec/containers/-', value }];
    const snapshot = structuredClone({ doc, ops });
    const out = applyJsonPatch(doc, ops) as typeof doc & { spec: { containers: Array<{ env?: unknown[] }> } };
    expect({ doc, ops }).toEqual(snapshot);
    out.spec.containers[1]?.env?.push('mutated');
    expect({ doc, ops }).toEqual(snapshot);
  });

  it('leaves the document untouched when a later operation fails', () => {
    const doc = { a: 1 };
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'test', path: '/a', value: 1 },
      ]),
    ).toThrow(PatchError);
    expect(doc).toEqual({ a: 1 });
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
