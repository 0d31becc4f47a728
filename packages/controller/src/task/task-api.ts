import { API_GROUP, API_GROUP_VERSION, API_VERSION, KINDS, type Task, type TaskStatus } from '@kelos/shared';
import type { V1OwnerReference } from '@kubernetes/client-node';
import { isNotFound } from '../runtime/kube-client.js';
import { updateStatusWithRetry } from '../runtime/status.js';
import { type TaskDeps, taskName, taskNamespace } from './context.js';

function taskRef(task: Task) {
  return {
    group: API_GROUP,
    version: API_VERSION,
    plural: KINDS.Task.plural,
    namespace: taskNamespace(task),
    name: taskName(task),
  };
}

/** The Task as the API server holds it now (the cache may lag behind our own writes). */
export async function getFreshTask(deps: TaskDeps, task: Task): Promise<Task> {
  return (await deps.clients.custom.getNamespacedCustomObject(taskRef(task))) as Task;
}

/**
 * Get-modify-`Status().Update` under retry-on-conflict (spec §3.3). `mutate` edits the status of a fresh
 * copy and returns whether it changed anything; the spec is never touched (it is immutable). `written`
 * tells whether this call's change reached the server, so side effects (events, metrics) happen once.
 */
export async function writeTaskStatus(
  deps: TaskDeps,
  task: Task,
  mutate: (status: TaskStatus, fresh: Task) => boolean,
): Promise<{ task: Task; written: boolean }> {
  let written = false;
  const updated = await updateStatusWithRetry(
    () => getFreshTask(deps, task),
    (fresh) => {
      const status: TaskStatus = { ...fresh.status };
      if (!mutate(status, fresh)) return false;
      fresh.status = status;
      return true;
    },
    async (fresh) => {
      const result = (await deps.clients.custom.replaceNamespacedCustomObjectStatus({
        ...taskRef(task),
        body: fresh,
      })) as Task;
      written = true;
      return result;
    },
  );
  return { task: updated, written };
}

/** Update of the whole object (metadata only: finalizers), under retry-on-conflict. */
export async function updateTaskMetadata(
  deps: TaskDeps,
  task: Task,
  mutate: (fresh: Task) => boolean,
): Promise<void> {
  await updateStatusWithRetry(
    () => getFreshTask(deps, task),
    mutate,
    async (fresh) =>
      (await deps.clients.custom.replaceNamespacedCustomObject({ ...taskRef(task), body: fresh })) as Task,
  );
}

export async function deleteTask(deps: TaskDeps, task: Task): Promise<void> {
  try {
    await deps.clients.custom.deleteNamespacedCustomObject({
      ...taskRef(task),
      propagationPolicy: 'Background',
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The controller reference that ties a Job, token Secret or plugin ConfigMap to its Task. */
export function taskOwnerReference(task: Task): V1OwnerReference {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: KINDS.Task.kind,
    name: taskName(task),
    uid: task.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

type Owned = {
  metadata?: { ownerReferences?: Array<{ controller?: boolean; kind: string; name: string; uid: string }> };
};

/** Whether `obj` is controlled by this very Task (same uid, not an earlier Task of the same name). */
export function isControlledBy(obj: Owned, task: Task): boolean {
  const uid = task.metadata.uid;
  return !!uid && (obj.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

/**
 * Whether `obj` belonged to a deleted Task of the same name that the garbage collector has not removed
 * yet: such an object is waited for (the reconcile fails and is retried), not treated as someone else's.
 */
export function isLeftByEarlierTask(obj: Owned, task: Task): boolean {
  return (obj.metadata?.ownerReferences ?? []).some(
    (r) =>
      r.controller === true &&
      r.kind === KINDS.Task.kind &&
      r.name === taskName(task) &&
      r.uid !== task.metadata.uid,
  );
}

/** Thrown for an object of an earlier same-named Task still being garbage collected: retry later. */
export class LeftoverObjectError extends Error {}
