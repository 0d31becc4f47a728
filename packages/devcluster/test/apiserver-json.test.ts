import { describe, expect, it } from 'vitest';
import { sameJson } from '../src/apiserver/json.js';

describe('sameJson', () => {
  it('compares objects whatever their key order, deeply', () => {
    expect(sameJson({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: { c: [1, 'x'] } }, { a: 1, b: { c: [1, 'y'] } })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: {} }, { a: [] })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, {})).toBe(false);
    expect(sameJson(1, '1')).toBe(false);
  });

  it('counts undefined properties as absent and undefined items as null, as JSON encodes them', () => {
    expect(sameJson({ a: 1, rv: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, rv: undefined })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson({ a: undefined }, { a: null })).toBe(false);
  });
});
