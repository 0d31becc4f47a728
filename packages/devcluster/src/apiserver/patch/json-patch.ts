import jsonpatch, { type Operation } from 'fast-json-patch';
import { PatchError } from './errors.js';
import { cloneJson, hasOwn, isObject } from './json.js';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * RFC 6902 JSON patch (`application/json-patch+json`) applied with fast-json-patch. Operations are
 * validated up front so a malformed document is a 400 before anything is applied, and any failure
 * while applying (a `test` that does not hold, a path that does not resolve) is a 422, as in
 * kube-apiserver. Neither input is mutated; the result shares no structure with them.
 */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  const operations = validateOperations(ops);
  // fast-json-patch inserts operation values by reference, so they are cloned along with the target.
  let document = cloneJson(target);
  operations.forEach((op, index) => {
    try {
      document = jsonpatch.applyOperation(document, cloneJson(op), true, true, true, index).newDocument;
    } catch (err) {
      throw new PatchError(describeFailure(op, index, err), 422);
    }
  });
  return document;
}

function validateOperations(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw new PatchError('json patch must be an array of operations', 400);
  }
  return ops.map((op, index): Operation => {
    const where = `json patch operation ${index}`;
    if (!isObject(op)) throw new PatchError(`${where} is not an object`, 400);
    const name = op.op;
    if (typeof name !== 'string' || !OPS.has(name)) {
      throw new PatchError(`${where} has unsupported op ${JSON.stringify(name ?? null)}`, 400);
    }
    if (typeof op.path !== 'string' || (op.path !== '' && !op.path.startsWith('/'))) {
      throw new PatchError(`${where} (${name}) needs a "path" that is a JSON pointer`, 400);
    }
    if ((name === 'move' || name === 'copy') && typeof op.from !== 'string') {
      throw new PatchError(`${where} (${name} ${op.path}) needs a "from" JSON pointer`, 400);
    }
    if ((name === 'add' || name === 'replace' || name === 'test') && !hasOwn(op, 'value')) {
      throw new PatchError(`${where} (${name} ${op.path}) needs a "value"`, 400);
    }
    return op as unknown as Operation;
  });
}

function describeFailure(op: Operation, index: number, err: unknown): string {
  const where = `json patch operation ${index} (${op.op} ${op.path})`;
  const name = err instanceof Error ? err.name : '';
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `${where} failed: the value at ${op.path} does not equal ${JSON.stringify((op as { value?: unknown }).value)}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      return `${where} failed: path ${op.path} does not exist`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${where} failed: from path ${(op as { from?: string }).from} does not exist`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${where} failed: the parent of ${op.path} does not exist`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `${where} failed: ${op.path} does not use a valid array index`;
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${where} failed: array index in ${op.path} is out of bounds`;
    default:
      return `${where} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
