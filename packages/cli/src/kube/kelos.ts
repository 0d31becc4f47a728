import type { AgentConfig, Task, TaskSpawner, Workspace } from '@kelos/shared';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, type KindName, RESOURCES } from '../resources.js';
import type { Kube } from './client.js';

export interface KelosObjects {
  Task: Task;
  TaskSpawner: TaskSpawner;
  Workspace: Workspace;
  AgentConfig: AgentConfig;
}

export type KelosObject = KelosObjects[KindName];

/** A `<Kind>List` as the API returns it. */
export interface KelosList<K extends KindName> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string };
  items: KelosObjects[K][];
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Typed CRUD for the four Kelos kinds, through CustomObjectsApi. */
export class KelosClient {
  constructor(private readonly kube: Kube) {}

  private ref(kind: KindName) {
    return { group: API_GROUP, version: API_VERSION, plural: RESOURCES[kind].plural };
  }

  async get<K extends KindName>(kind: K, namespace: string, name: string): Promise<KelosObjects[K]> {
    return this.kube.custom.getNamespacedCustomObject({ ...this.ref(kind), namespace, name });
  }

  /** Objects of one namespace, or of all namespaces when `namespace` is undefined. */
  async list<K extends KindName>(kind: K, namespace: string | undefined): Promise<KelosList<K>> {
    return namespace === undefined
      ? this.kube.custom.listClusterCustomObject(this.ref(kind))
      : this.kube.custom.listNamespacedCustomObject({ ...this.ref(kind), namespace });
  }

  async create<K extends KindName>(kind: K, object: KelosObjects[K]): Promise<KelosObjects[K]> {
    const namespace = object.metadata.namespace ?? 'default';
    return this.kube.custom.createNamespacedCustomObject({ ...this.ref(kind), namespace, body: object });
  }

  /** Replaces an object read before (its resourceVersion guards against lost updates). */
  async replace<K extends KindName>(kind: K, object: KelosObjects[K]): Promise<KelosObjects[K]> {
    const { namespace = 'default', name = '' } = object.metadata;
    return this.kube.custom.replaceNamespacedCustomObject({
      ...this.ref(kind),
      namespace,
      name,
      body: object,
    });
  }

  /** A JSON merge patch: touches only the fields it names (cli spec §8, suspend/resume). */
  async mergePatch<K extends KindName>(
    kind: K,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<KelosObjects[K]> {
    return this.kube.custom.patchNamespacedCustomObject(
      { ...this.ref(kind), namespace, name, body: patch },
      mergePatch,
    );
  }

  async delete(kind: KindName, namespace: string, name: string): Promise<void> {
    await this.kube.custom.deleteNamespacedCustomObject({ ...this.ref(kind), namespace, name });
  }
}
