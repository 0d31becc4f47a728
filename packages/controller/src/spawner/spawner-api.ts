import type { Task, TaskSpawner, TaskSpawnerStatus } from '@kelos/shared';
import { API_GROUP, API_VERSION, KINDS, LABELS } from '@kelos/shared/constants';
import { isNotFound, type KubeClients } from '../runtime/kube-client.js';
import { updateStatusWithRetry } from '../runtime/status.js';

/** Which TaskSpawner a spawner process serves (its two required flags). */
export interface SpawnerKey {
  namespace: string;
  name: string;
}

/**
 * The API calls of one spawner process, all on its own TaskSpawner and that TaskSpawner's Tasks. Reads go
 * to the API server, not a cache: a cycle decides from what exists now (dedup survives restarts and lag).
 */
export interface SpawnerApi {
  readonly key: SpawnerKey;
  /** @throws the API error; NotFound when the TaskSpawner is gone. */
  getSpawner(): Promise<TaskSpawner>;
  /** Tasks labelled `kelos.dev/taskspawner=<name>`, whoever owns them. */
  listTasks(): Promise<Task[]>;
  getTask(name: string): Promise<Task | undefined>;
  createTask(task: Task): Promise<Task>;
  /** Deletes this very Task (a UID precondition spares a newer namesake); absent is fine. */
  deleteTask(task: Pick<Task, 'metadata'>): Promise<void>;
  /**
   * Writes the TaskSpawner's status under retry-on-conflict: `next` gets the fresh object and returns the
   * status to write, or undefined to write nothing. Returns the TaskSpawner as written (or as read).
   */
  writeStatus(next: (fresh: TaskSpawner) => TaskSpawnerStatus | undefined): Promise<TaskSpawner>;
  /** Sets annotations on a Task under retry-on-conflict; undefined when the Task is gone. */
  annotateTask(name: string, annotations: Record<string, string>): Promise<Task | undefined>;
  /** One decoded key of a Secret in the namespace (context source headers); undefined when absent. */
  readSecretKey(secretName: string, key: string): Promise<string | undefined>;
}

const ref = (plural: string, namespace: string) => ({
  group: API_GROUP,
  version: API_VERSION,
  plural,
  namespace,
});

export function spawnerApi(clients: Pick<KubeClients, 'custom' | 'core'>, key: SpawnerKey): SpawnerApi {
  const { custom, core } = clients;
  const spawners = ref(KINDS.TaskSpawner.plural, key.namespace);
  const tasks = ref(KINDS.Task.plural, key.namespace);
  const getSpawner = async () =>
    (await custom.getNamespacedCustomObject({ ...spawners, name: key.name })) as TaskSpawner;
  const getTask = async (name: string) => {
    try {
      return (await custom.getNamespacedCustomObject({ ...tasks, name })) as Task;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    key,
    getSpawner,
    async listTasks() {
      const list = (await custom.listNamespacedCustomObject({
        ...tasks,
        labelSelector: `${LABELS.taskSpawner}=${key.name}`,
      })) as { items?: Task[] };
      return list.items ?? [];
    },
    getTask,
    async createTask(task) {
      return (await custom.createNamespacedCustomObject({ ...tasks, body: task })) as Task;
    },
    async deleteTask(task) {
      try {
        await custom.deleteNamespacedCustomObject({
          ...tasks,
          name: task.metadata.name ?? '',
          propagationPolicy: 'Background',
          ...(task.metadata.uid && { body: { preconditions: { uid: task.metadata.uid } } }),
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    writeStatus(next) {
      let status: TaskSpawnerStatus | undefined;
      return updateStatusWithRetry(
        getSpawner,
        (fresh) => {
          status = next(fresh);
          return status !== undefined;
        },
        async (fresh) =>
          (await custom.replaceNamespacedCustomObjectStatus({
            ...spawners,
            name: key.name,
            body: { ...fresh, status },
          })) as TaskSpawner,
      );
    },
    async annotateTask(name, annotations) {
      try {
        return await updateStatusWithRetry(
          async () => {
            const task = await getTask(name);
            if (!task) throw Object.assign(new Error(`Task ${name} not found`), { code: 404 });
            return task;
          },
          (task) => {
            const current = task.metadata.annotations ?? {};
            if (Object.entries(annotations).every(([k, v]) => current[k] === v)) return false;
            task.metadata.annotations = { ...current, ...annotations };
            return true;
          },
          async (task) =>
            (await custom.replaceNamespacedCustomObject({ ...tasks, name, body: task })) as Task,
        );
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async readSecretKey(secretName, secretKey) {
      try {
        const secret = await core.readNamespacedSecret({ name: secretName, namespace: key.namespace });
        const value = secret.data?.[secretKey];
        return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}
