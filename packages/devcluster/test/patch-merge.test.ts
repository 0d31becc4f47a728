import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../src/apiserver/patch/index.js';

describe('applyMergePatch', () => {
  // RFC 7386, Appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7386 example %#: %j + %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('replaces lists wholesale, unlike a strategic merge patch', () => {
    const deployment = {
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] } } },
    };
    const patch = {
      spec: {
        template: {
          spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] },
        },
      },
    };
    expect(applyMergePatch(deployment, patch)).toEqual(patch);
  });

  it('merges labels and deletes one with null', () => {
    const pod = { metadata: { name: 'p', labels: { a: '1', b: '2' } }, spec: { nodeName: 'n' } };
    expect(applyMergePatch(pod, { metadata: { labels: { b: null, c: '3' } } })).toEqual({
      metadata: { name: 'p', labels: { a: '1', c: '3' } },
      spec: { nodeName: 'n' },
    });
  });

  it('never mutates or aliases its inputs', () => {
    const target = { a: { b: [1] }, keep: { x: 1 } };
    const patch = { a: { c: { d: 1 } } };
    const snapshot = structuredClone({ target, patch });
    const out = applyMergePatch(target, patch) as { a: { c: { d: number } }; keep: { x: number } };
    expect({ target, patch }).toEqual(snapshot);
    out.a.c.d = 2;
    out.keep.x = 2;
    expect({ target, patch }).toEqual(snapshot);
  });

  it('stores a "__proto__" key as data instead of changing the prototype', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
