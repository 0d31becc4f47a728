/**
 * Which per-Task objects (token Secret, plugin ConfigMap) the reconciler may write: its own, not someone
 * else's, and an earlier same-named Task's only after the garbage collector removed it.
 */
import type { Task } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { isControlledBy, isLeftByEarlierTask, taskOwnerReference } from '../src/task/task-api.js';

const task = {
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'Task',
  metadata: { name: 'fix', namespace: 'ns', uid: 'uid-now' },
  spec: { type: 'claude-code', prompt: 'p', credentials: { type: 'none' } },
} as Task;

const ownedBy = (ref: { kind?: string; name?: string; uid: string; controller?: boolean }) => ({
  metadata: { ownerReferences: [{ kind: 'Task', name: 'fix', controller: true, ...ref }] },
});

describe('ownership of per-Task objects', () => {
  it('the controller reference points at this Task', () => {
    expect(taskOwnerReference(task)).toEqual({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      name: 'fix',
      uid: 'uid-now',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(isControlledBy({ metadata: { ownerReferences: [taskOwnerReference(task)] } }, task)).toBe(true);
  });

  it('tells an earlier Task of the same name from a foreign owner', () => {
    expect(isLeftByEarlierTask(ownedBy({ uid: 'uid-before' }), task)).toBe(true);
    expect(isControlledBy(ownedBy({ uid: 'uid-before' }), task)).toBe(false);
    expect(isLeftByEarlierTask(ownedBy({ uid: 'uid-x', name: 'other' }), task)).toBe(false);
    expect(isLeftByEarlierTask(ownedBy({ uid: 'uid-x', kind: 'Deployment' }), task)).toBe(false);
    expect(isLeftByEarlierTask(ownedBy({ uid: 'uid-before', controller: false }), task)).toBe(false);
    expect(isLeftByEarlierTask({ metadata: {} }, task)).toBe(false);
    expect(isControlledBy({}, task)).toBe(false);
  });
});
