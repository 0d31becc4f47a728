import type { Plugin, Task } from '@kelos/shared';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { buildPluginConfigMap } from '../job/plugins.js';
import { isAlreadyExists } from '../runtime/kube-client.js';
import { type TaskDeps, taskNamespace } from './context.js';
import { isControlledBy, isLeftByEarlierTask, LeftoverObjectError, taskOwnerReference } from './task-api.js';

/** Why the plugin ConfigMap cannot be written; the message goes into the Task status. */
export class PluginConfigMapError extends Error {}

/**
 * Creates or updates `<task>-plugins`, owned by the Task (spec §3.2 step 5). A ConfigMap of that name that
 * this Task does not control is left alone: adopting it would hand someone else's data to the agent and
 * let the garbage collector delete it with the Task.
 */
export async function ensurePluginConfigMap(
  deps: TaskDeps,
  task: Task,
  plugins: readonly Plugin[],
): Promise<void> {
  const desired = buildPluginConfigMap(task, plugins);
  const namespace = taskNamespace(task);
  const name = desired.metadata.name ?? '';
  const body: V1ConfigMap = {
    ...desired,
    metadata: { name, namespace, ownerReferences: [taskOwnerReference(task)] },
  };
  try {
    await deps.clients.core.createNamespacedConfigMap({ namespace, body });
    return;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await deps.clients.core.readNamespacedConfigMap({ name, namespace });
  if (isLeftByEarlierTask(existing, task)) {
    throw new LeftoverObjectError(`ConfigMap "${name}" of an earlier Task is still being deleted`);
  }
  if (!isControlledBy(existing, task)) {
    throw new PluginConfigMapError(`ConfigMap "${name}" already exists and is not owned by this Task`);
  }
  if (JSON.stringify(existing.data ?? {}) === JSON.stringify(desired.data)) return;
  await deps.clients.core.replaceNamespacedConfigMap({
    name,
    namespace,
    body: { ...existing, data: desired.data },
  });
}
