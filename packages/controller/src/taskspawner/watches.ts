import type { Task, TaskSpawner, Workspace } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import { keyOf } from '../runtime/controller.js';
import type { Informer } from '../runtime/informer.js';
import type { CachedSecret } from './context.js';

/** What a map function reads of a cache. */
type Cache<T extends TaskSpawner | Workspace> = Pick<Informer<T>, 'list'>;

const keyOfSpawner = (spawner: TaskSpawner) => keyOf(spawner.metadata.namespace, spawner.metadata.name ?? '');

/** Workspace → the TaskSpawners whose Task template names it (spec §9 watches). */
export function spawnersUsingWorkspace(spawners: Cache<TaskSpawner>): (workspace: Workspace) => string[] {
  return (workspace) =>
    spawners
      .list(workspace.metadata.namespace)
      .filter((s) => s.spec.taskTemplate.workspaceRef?.name === workspace.metadata.name)
      .map(keyOfSpawner);
}

/** Secret → the TaskSpawners whose Workspace uses it (a PAT ↔ GitHub App switch changes their env). */
export function spawnersUsingSecret(
  spawners: Cache<TaskSpawner>,
  workspaces: Cache<Workspace>,
): (secret: CachedSecret) => string[] {
  const usingWorkspace = spawnersUsingWorkspace(spawners);
  return (secret) =>
    workspaces
      .list(secret.metadata?.namespace)
      .filter((w) => w.spec.secretRef?.name === secret.metadata?.name)
      .flatMap(usingWorkspace);
}

/** Task → the TaskSpawner its `kelos.dev/taskspawner` label names. */
export function spawnerOfTask(task: Task): string[] {
  const spawner = task.metadata.labels?.[LABELS.taskSpawner];
  return spawner ? [keyOf(task.metadata.namespace, spawner)] : [];
}
