import type { Task, TaskStatus } from '@kelos/shared';
import { API_GROUP_VERSION, KINDS } from '@kelos/shared/constants';
import type { V1OwnerReference } from '@kubernetes/client-node';
import { collectionPath, kinds } from '../runtime/kinds.js';
import { isNotFound } from '../runtime/kube-client.js';
import { updateStatusWithRetry } from '../runtime/status.js';
import { type TaskDeps, taskName, taskNamespace } from './context.js';

/** `/apis/kelos.dev/v1alpha1/namespaces/<ns>/tasks/<name>`. */
function taskPath(task: Task): string {
  return `${collectionPath(kinds.Task, taskNamespace(task))}/${encodeURIComponent(taskName(task))}`;
}

/** The Task as the API server holds it now (the cache may lag behind our own writes). */
export async function getFreshTask(deps: TaskDeps, task: Task): Promise<Task> {
  return deps.clients.json.get<Task>(taskPath(task));
}

/**
 * Modify-`Status().Update` under retry-on-conflict (spec §3.3). The first attempt starts from `task`, the
 * caller's latest view (the cache, or the response of its previous write) as controller-runtime's cached
 * client would; a conflict reads the Task afresh and tries again. `mutate` edits a copy of the status and
 * returns whether it changed anything; the spec is never touched (it is immutable). `written` tells
 * whether this call's change reached the server, so side effects (events, metrics) happen once.
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
      const result = await deps.clients.json.replace<Task>(`${taskPath(task)}/status`, fresh);
      written = true;
      return result;
    },
    // A shallow copy: mutate replaces its status, never the cached object's.
    { start: { ...task } },
  );
  return { task: updated, written };
}

/**
 * Update of the whole object (metadata only: finalizers) under retry-on-conflict, starting from `task`
 * like writeTaskStatus. `mutate` may replace the fields of `fresh.metadata` (a copy) but must not edit
 * their values in place. Returns the Task as written, or as read when nothing had to change.
 */
export async function updateTaskMetadata(
  deps: TaskDeps,
  task: Task,
  mutate: (fresh: Task) => boolean,
): Promise<Task> {
  return updateStatusWithRetry(
    () => getFreshTask(deps, task),
    mutate,
    (fresh) => deps.clients.json.replace<Task>(taskPath(task), fresh),
    { start: { ...task, metadata: { ...task.metadata } } },
  );
}

export async function deleteTask(deps: TaskDeps, task: Task): Promise<void> {
  try {
    await deps.clients.json.delete(taskPath(task), { propagationPolicy: 'Background' });
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
