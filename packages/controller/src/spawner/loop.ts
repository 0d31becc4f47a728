import type { Task, TaskSpawner } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import { type Controller, keyOf } from '../runtime/controller.js';
import { kinds } from '../runtime/kinds.js';
import { isNotFound } from '../runtime/kube-client.js';
import type { Manager } from '../runtime/manager.js';
import type { Spawner } from './spawner.js';
import type { SpawnerKey } from './spawner-api.js';

/** The reconciler's name, as in the Go implementation (logs and workqueue metrics). */
export const LOOP_NAME = 'taskspawner-loop';

/**
 * The long-running spawner (spec §10.2): one worker reconciling only its own TaskSpawner, woken when the
 * TaskSpawner appears, goes or changes generation (not by status writes, its own included), and when one
 * of its Tasks changes phase, starts deleting or is deleted (not when it is created: the spawner did that).
 * Each reconcile runs a cycle and requeues after the poll interval; a failed cycle is retried with backoff.
 */
export function setupSpawnerLoop(mgr: Manager, key: SpawnerKey, spawner: Spawner): Controller {
  const self = keyOf(key.namespace, key.name);
  const spawners = mgr.informer(kinds.TaskSpawner, {
    namespace: key.namespace,
    fieldSelector: `metadata.name=${key.name}`,
  });
  const tasks = mgr.informer(kinds.Task, {
    namespace: key.namespace,
    labelSelector: `${LABELS.taskSpawner}=${key.name}`,
  });
  const controller = mgr.controller({
    name: LOOP_NAME,
    workers: 1,
    reconcile: async (req, { log }) => {
      if (req.key !== self) return;
      try {
        return { requeueAfterMs: await spawner.runOnce() };
      } catch (err) {
        if (!isNotFound(err)) throw err;
        log.info('TaskSpawner not found; waiting for it');
        return;
      }
    },
  });
  const enqueue = () => controller.enqueue(self);

  let generation: number | undefined;
  spawners.on('add', (ts: TaskSpawner) => {
    generation = ts.metadata.generation;
    enqueue();
  });
  spawners.on('update', (ts: TaskSpawner) => {
    if (ts.metadata.generation === generation) return;
    generation = ts.metadata.generation;
    enqueue();
  });
  spawners.on('delete', () => {
    generation = undefined;
    enqueue();
  });

  const seen = new Map<string, string>();
  const stateOf = (task: Task) =>
    `${task.status?.phase ?? ''}/${task.metadata.deletionTimestamp ? 'deleting' : ''}`;
  tasks.on('add', (task: Task) => {
    seen.set(task.metadata.name ?? '', stateOf(task));
  });
  tasks.on('update', (task: Task) => {
    const name = task.metadata.name ?? '';
    const state = stateOf(task);
    if (seen.get(name) === state) return;
    seen.set(name, state);
    enqueue();
  });
  tasks.on('delete', (task: Task) => {
    seen.delete(task.metadata.name ?? '');
    enqueue();
  });
  return controller;
}
