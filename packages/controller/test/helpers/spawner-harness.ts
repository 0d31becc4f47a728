import type { KObject } from '@kelos/devcluster';
import type { Task, TaskSpawner, TaskSpawnerSpec, TaskStatus, WorkItem, WorkItemSource } from '@kelos/shared';
import { makeClients } from '../../src/runtime/kube-client.js';
import type { SpawnerIntegrations } from '../../src/spawner/integrations.js';
import type { IssueComment, IssueComments } from '../../src/spawner/issue-comments.js';
import { Spawner } from '../../src/spawner/spawner.js';
import { type SpawnerApi, spawnerApi } from '../../src/spawner/spawner-api.js';
import { type RuntimeCluster, silentLogger, startRuntimeCluster } from './runtime-cluster.js';

export const TASKS = 'tasks.kelos.dev';
export const SPAWNERS = 'taskspawners.kelos.dev';

/** A work item as GitHub sources make them. */
export function issueItem(number: number, extra: Partial<WorkItem> = {}): WorkItem {
  return {
    id: String(number),
    number,
    title: `Issue ${number}`,
    body: `Body of ${number}`,
    url: `https://github.com/acme/app/issues/${number}`,
    labels: [],
    comments: '',
    kind: 'Issue',
    ...extra,
  };
}

/** A source whose items a test sets, counting discoveries; `failWith` makes the next ones throw. */
export class FakeSource implements WorkItemSource {
  items: WorkItem[] = [];
  discoveries = 0;
  failWith: Error | undefined;

  async discover(): Promise<WorkItem[]> {
    this.discoveries++;
    if (this.failWith) throw this.failWith;
    return this.items.map((i) => ({ ...i }));
  }
}

/** In-memory issue comments, recording every write. */
export class FakeIssueComments implements IssueComments {
  readonly comments = new Map<number, IssueComment[]>();
  readonly calls: { op: 'create' | 'update' | 'list'; number?: number; id?: number }[] = [];
  login = 'kelos-bot[bot]';
  private nextId = 1000;

  async listComments(number: number): Promise<IssueComment[]> {
    this.calls.push({ op: 'list', number });
    return (this.comments.get(number) ?? []).map((c) => ({ ...c }));
  }

  async createComment(number: number, body: string): Promise<IssueComment> {
    this.calls.push({ op: 'create', number });
    return this.add(number, body, this.login);
  }

  async updateComment(id: number, body: string): Promise<IssueComment> {
    this.calls.push({ op: 'update', id });
    for (const list of this.comments.values()) {
      const comment = list.find((c) => c.id === id);
      if (comment) {
        comment.body = body;
        return { ...comment };
      }
    }
    throw Object.assign(new Error(`comment ${id} not found`), { status: 404 });
  }

  async selfLogin(): Promise<string> {
    return this.login;
  }

  /** A comment as someone (or this bot, earlier) wrote it. */
  add(number: number, body: string, user: string): IssueComment {
    const now = new Date().toISOString();
    const comment = { id: this.nextId++, body, user, createdAt: now, updatedAt: now };
    this.comments.set(number, [...(this.comments.get(number) ?? []), comment]);
    return { ...comment };
  }

  all(number: number): IssueComment[] {
    return this.comments.get(number) ?? [];
  }

  writes(): number {
    return this.calls.filter((c) => c.op !== 'list').length;
  }
}

export const CLAUDE_TEMPLATE: TaskSpawnerSpec['taskTemplate'] = {
  type: 'claude-code',
  credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
  workspaceRef: { name: 'app' },
};

/**
 * The dev cluster's API server with the Task and TaskSpawner CRDs, for spawner tests. No Task controller
 * runs: tests write Task status by hand.
 */
export class SpawnerHarness {
  cluster!: RuntimeCluster;
  private namespaces = 0;

  async start(): Promise<void> {
    this.cluster = await startRuntimeCluster();
    this.cluster.installCrd('Task');
    this.cluster.installCrd('TaskSpawner');
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
  }

  get client() {
    return this.cluster.api.client;
  }

  namespace(): string {
    const name = `s${++this.namespaces}`;
    this.client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject);
    return name;
  }

  createSpawner(namespace: string, name: string, spec: Partial<TaskSpawnerSpec> = {}): TaskSpawner {
    return this.client.create(SPAWNERS, {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name, namespace },
      spec: { when: { githubIssues: {} }, taskTemplate: CLAUDE_TEMPLATE, ...spec },
    } as unknown as KObject) as unknown as TaskSpawner;
  }

  /** The default taskTemplate, to extend. */
  spawnerTemplate(): TaskSpawnerSpec['taskTemplate'] {
    return structuredClone(CLAUDE_TEMPLATE);
  }

  spawnerObject(namespace: string, name: string): TaskSpawner {
    return this.client.get(SPAWNERS, name, namespace) as unknown as TaskSpawner;
  }

  updateSpawnerSpec(namespace: string, name: string, edit: (spec: TaskSpawnerSpec) => void): void {
    const obj = structuredClone(this.spawnerObject(namespace, name));
    edit(obj.spec);
    this.client.update(SPAWNERS, obj as unknown as KObject);
  }

  setSpawnerStatus(namespace: string, name: string, status: TaskSpawner['status']): void {
    const obj = structuredClone(this.spawnerObject(namespace, name));
    obj.status = status;
    this.client.updateStatus(SPAWNERS, obj as unknown as KObject);
  }

  tasks(namespace: string): Task[] {
    return (this.client.list(TASKS, { namespace }).items as unknown as Task[]).sort((a, b) =>
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  }

  taskNames(namespace: string): string[] {
    return this.tasks(namespace).map((t) => t.metadata.name ?? '');
  }

  task(namespace: string, name: string): Task | undefined {
    try {
      return this.client.get(TASKS, name, namespace) as unknown as Task;
    } catch {
      return undefined;
    }
  }

  setTaskStatus(namespace: string, name: string, status: TaskStatus): void {
    const obj = structuredClone(this.task(namespace, name)) as Task;
    obj.status = status;
    this.client.updateStatus(TASKS, obj as unknown as KObject);
  }

  api(namespace: string, name: string): SpawnerApi {
    return spawnerApi(makeClients(this.cluster.kc), { namespace, name });
  }

  /** A spawner process for one TaskSpawner, as main builds it, with the given source and comments. */
  spawner(
    namespace: string,
    name: string,
    options: { source?: WorkItemSource; comments?: IssueComments; now?: () => Date; api?: SpawnerApi } = {},
  ): Spawner {
    const integrations: SpawnerIntegrations = {
      source: () => {
        if (!options.source) throw new Error('no source in this test');
        return options.source;
      },
      issueComments: () => options.comments,
    };
    return new Spawner({
      api: options.api ?? this.api(namespace, name),
      integrations,
      now: options.now ?? (() => new Date()),
      log: silentLogger,
    });
  }
}
