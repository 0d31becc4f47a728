import type { KObject } from './types.js';

/**
 * A stored object: deeply frozen, so readers share it without copies, with its JSON encoding computed once
 * and reused by every GET, list and watch that serves it.
 */
export class Entry {
  private encoded: string | undefined;

  constructor(readonly obj: KObject) {}

  get json(): string {
    this.encoded ??= JSON.stringify(this.obj);
    return this.encoded;
  }

  get key(): string {
    return objectKey(this.obj.metadata.namespace, this.obj.metadata.name ?? '');
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A mutable deep copy of a (possibly frozen) JSON value. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
