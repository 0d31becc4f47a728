import type { KObject } from '@kelos/devcluster';
import type { TaskSpawner } from '@kelos/shared';
import type { V1Container, V1CronJob, V1Deployment } from '@kubernetes/client-node';
import { Manager } from '../../src/runtime/manager.js';
import {
  setupTaskSpawnerController,
  type TaskSpawnerControllerOptions,
} from '../../src/taskspawner/controller.js';
import { eventually, type RuntimeCluster, silentLogger, startRuntimeCluster } from './runtime-cluster.js';
import type { EventObject } from './task-harness.js';

export { eventually } from './runtime-cluster.js';
export { settle } from './task-harness.js';

export const TASK_SPAWNERS = 'taskspawners.kelos.dev';
export const DEPLOYMENTS = 'deployments.apps';
export const CRON_JOBS = 'cronjobs.batch';

/** A Deployment or CronJob as the dev cluster returns it: plain JSON (timestamps are strings). */
export type DeploymentObject = KObject & Pick<V1Deployment, 'spec'>;
export type CronJobObject = KObject & Pick<V1CronJob, 'spec'>;

export const REPO = 'https://github.com/example-org/app.git';

/**
 * The envtest of the TaskSpawner controller: the dev cluster's API server alone (no node, so spawner
 * Deployments and CronJobs are created but never run, as in the reference's envtest suite) with the
 * Kelos CRDs and the real TaskSpawner controller in a Manager against it over HTTPS.
 */
export class TaskSpawnerHarness {
  cluster!: RuntimeCluster;
  manager: Manager | undefined;
  private namespaces = 0;

  async start(options: TaskSpawnerControllerOptions = {}): Promise<void> {
    this.cluster = await startRuntimeCluster();
    for (const kind of ['TaskSpawner', 'Task', 'Workspace'] as const) this.cluster.installCrd(kind);
    const manager = new Manager({
      kubeConfig: this.cluster.kc,
      logger: silentLogger,
      healthPort: false,
      metricsPort: false,
    });
    setupTaskSpawnerController(manager, options);
    await manager.start();
    this.manager = manager;
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
    await this.cluster?.stop();
  }

  get client() {
    return this.cluster.api.client;
  }

  /** A fresh namespace per test, so that no test sees another's spawners, workloads or events. */
  namespace(): string {
    const name = `s${++this.namespaces}`;
    this.client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject);
    return name;
  }

  /** A TaskSpawner watching GitHub issues of workspace `repo` unless `spec` says otherwise. */
  createSpawner(namespace: string, name: string, spec: Partial<TaskSpawner['spec']> = {}): TaskSpawner {
    return this.client.create(TASK_SPAWNERS, {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name, namespace },
      spec: {
        when: { githubIssues: {} },
        taskTemplate: {
          type: 'claude-code',
          credentials: { type: 'api-key', secretRef: { name: 'anthropic-key' } },
          workspaceRef: { name: 'repo' },
        },
        ...spec,
      },
    } as unknown as KObject) as unknown as TaskSpawner;
  }

  /** A JSON merge patch of the spec, as `kelos suspend taskspawner` sends. */
  patchSpawner(namespace: string, name: string, spec: Record<string, unknown>): void {
    this.client.patch(TASK_SPAWNERS, name, { type: 'merge', namespace, patch: { spec } });
  }

  spawner(namespace: string, name: string): TaskSpawner | undefined {
    return this.find(TASK_SPAWNERS, namespace, name) as TaskSpawner | undefined;
  }

  workspace(namespace: string, name: string, spec: Record<string, unknown>): void {
    this.client.create('workspaces.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Workspace',
      metadata: { name, namespace },
      spec,
    } as KObject);
  }

  secret(namespace: string, name: string, data: Record<string, string>): void {
    const encoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    );
    this.client.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      data: encoded,
    } as KObject);
  }

  find(resource: string, namespace: string, name: string): KObject | undefined {
    try {
      return this.client.get(resource, name, namespace);
    } catch {
      return undefined;
    }
  }

  deployment(namespace: string, name: string): DeploymentObject | undefined {
    return this.find(DEPLOYMENTS, namespace, name) as DeploymentObject | undefined;
  }

  cronJob(namespace: string, name: string): CronJobObject | undefined {
    return this.find(CRON_JOBS, namespace, name) as CronJobObject | undefined;
  }

  waitForDeployment(
    namespace: string,
    name: string,
    check: (d: DeploymentObject) => boolean = () => true,
  ): Promise<DeploymentObject> {
    return eventually(() => {
      const d = this.deployment(namespace, name);
      return d && check(d) ? d : undefined;
    });
  }

  waitForCronJob(
    namespace: string,
    name: string,
    check: (c: CronJobObject) => boolean = () => true,
  ): Promise<CronJobObject> {
    return eventually(() => {
      const c = this.cronJob(namespace, name);
      return c && check(c) ? c : undefined;
    });
  }

  waitForStatus(
    namespace: string,
    name: string,
    check: (status: NonNullable<TaskSpawner['status']>) => boolean,
  ): Promise<TaskSpawner> {
    return eventually(() => {
      const spawner = this.spawner(namespace, name);
      return spawner?.status && check(spawner.status) ? spawner : undefined;
    });
  }

  waitForGone(resource: string, namespace: string, name: string): Promise<true> {
    return eventually(() => this.find(resource, namespace, name) === undefined);
  }

  events(namespace: string, name: string): EventObject[] {
    return (this.client.list('events', { namespace }).items as unknown as EventObject[]).filter(
      (e) => e.involvedObject.name === name,
    );
  }

  waitForEvent(namespace: string, name: string, reason: string, timeoutMs = 5000): Promise<EventObject> {
    return eventually(() => this.events(namespace, name).find((e) => e.reason === reason), timeoutMs);
  }
}

export function spawnerContainerOf(workload: DeploymentObject | CronJobObject): V1Container {
  const pod =
    'jobTemplate' in (workload.spec ?? {})
      ? (workload as CronJobObject).spec?.jobTemplate.spec?.template.spec
      : (workload as DeploymentObject).spec?.template.spec;
  const container = pod?.containers[0];
  if (!container) throw new Error(`${workload.metadata.name} has no container`);
  return container;
}
