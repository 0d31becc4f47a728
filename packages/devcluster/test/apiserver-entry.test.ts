import { describe, expect, it } from 'vitest';
import { cloneJson, deepFreeze } from '../src/apiserver/entry.js';

describe('cloneJson', () => {
  it('makes a mutable deep copy of a frozen object', () => {
    const stored = deepFreeze({
      metadata: { name: 'a', labels: { x: '1' } },
      spec: { list: [{ n: 1 }, 2, null] },
    });
    const copy = cloneJson(stored);
    expect(copy).toEqual(stored);
    copy.metadata.labels.x = '2';
    copy.spec.list.push(3);
    (copy.spec.list[0] as { n: number }).n = 5;
    expect(stored).toEqual({
      metadata: { name: 'a', labels: { x: '1' } },
      spec: { list: [{ n: 1 }, 2, null] },
    });
  });

  it('keeps a "__proto__" key a key', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('copies non-plain objects (a Date) as structuredClone does', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const copy = cloneJson({ when });
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(when.getTime());
  });
});
