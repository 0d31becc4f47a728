import type { AgentConfig, Task, TaskSpawner, Workspace } from '@kelos/shared';
import { API_GROUP, API_VERSION, type KindName, RESOURCES } from '../resources.js';
import type { Rest } from './rest.js';

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

/** Typed CRUD for the four Kelos kinds, as JSON requests to their API paths. */
export class KelosClient {
  constructor(private readonly rest: Rest) {}

  private path(kind: KindName, namespace: string | undefined, name?: string): string {
    const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
    const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
    return `/apis/${API_GROUP}/${API_VERSION}${scope}/${RESOURCES[kind].plural}${object}`;
  }

  async get<K extends KindName>(kind: K, namespace: string, name: string): Promise<KelosObjects[K]> {
    return this.rest.request('GET', this.path(kind, namespace, name));
  }

  /** Objects of one namespace, or of all namespaces when `namespace` is undefined. */
  async list<K extends KindName>(kind: K, namespace: string | undefined): Promise<KelosList<K>> {
    return this.rest.request('GET', this.path(kind, namespace));
  }

  async create<K extends KindName>(kind: K, object: KelosObjects[K]): Promise<KelosObjects[K]> {
    const namespace = object.metadata.namespace ?? 'default';
    return this.rest.request('POST', this.path(kind, namespace), { value: object });
  }

  /** Replaces an object read before (its resourceVersion guards against lost updates). */
  async replace<K extends KindName>(kind: K, object: KelosObjects[K]): Promise<KelosObjects[K]> {
    const { namespace = 'default', name = '' } = object.metadata;
    return this.rest.request('PUT', this.path(kind, namespace, name), { value: object });
  }

  /** A JSON merge patch: touches only the fields it names (cli spec §8, suspend/resume). */
  async mergePatch<K extends KindName>(
    kind: K,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<KelosObjects[K]> {
    return this.rest.request('PATCH', this.path(kind, namespace, name), {
      value: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  async delete(kind: KindName, namespace: string, name: string): Promise<void> {
    await this.rest.request('DELETE', this.path(kind, namespace, name));
  }
}
