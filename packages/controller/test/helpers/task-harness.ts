import type { KObject } from '@kelos/devcluster';
import type { Task } from '@kelos/shared';
import { Manager } from '../../src/runtime/manager.js';
import { setupTaskController, type TaskControllerOptions } from '../../src/task/controller.js';
import { FakeGitHub } from './fake-github.js';
import { eventually, type RuntimeCluster, silentLogger, startRuntimeCluster } from './runtime-cluster.js';

export { eventually } from './runtime-cluster.js';

export const TASKS = 'tasks.kelos.dev';
export const WORKSPACES = 'workspaces.kelos.dev';
export const AGENT_CONFIGS = 'agentconfigs.kelos.dev';
export const JOBS = 'jobs.batch';

/**
 * The envtest of this project: the dev cluster's API server alone (no kubelet, no Job controller) with
 * the Kelos CRDs, the real Task controller running in a Manager against it over HTTPS, and a fake GitHub
 * for App tokens. Tests write Job status by hand, as the reference's envtest suite does.
 */
export class TaskHarness {
  readonly github = new FakeGitHub();
  cluster!: RuntimeCluster;
  manager: Manager | undefined;
  private namespaces = 0;

  async start(options: TaskControllerOptions = {}): Promise<void> {
    this.cluster = await startRuntimeCluster();
    for (const kind of ['Task', 'Workspace', 'AgentConfig'] as const) this.cluster.installCrd(kind);
    await this.github.start();
    await this.startManager(options);
  }

  async startManager(options: TaskControllerOptions = {}): Promise<void> {
    const manager = new Manager({
      kubeConfig: this.cluster.kc,
      logger: silentLogger,
      healthPort: false,
      metricsPort: false,
    });
    setupTaskController(manager, { githubApiBaseUrl: this.github.url, workers: 4, ...options });
    await manager.start();
    this.manager = manager;
  }

  async stopManager(): Promise<void> {
    await this.manager?.stop();
    this.manager = undefined;
  }

  async stop(): Promise<void> {
    await this.stopManager();
    await this.github.stop();
    await this.cluster?.stop();
  }

  get client() {
    return this.cluster.api.client;
  }

  /** A fresh namespace per test, so that Tasks of one test never wake those of another. */
  namespace(): string {
    const name = `t${++this.namespaces}`;
    this.client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject);
    return name;
  }

  createTask(
    namespace: string,
    name: string,
    spec: Partial<Task['spec']> = {},
    labels?: Record<string, string>,
  ): void {
    this.client.create(TASKS, {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name, namespace, ...(labels && { labels }) },
      spec: {
        type: 'claude-code',
        prompt: 'Fix the bug',
        credentials: { type: 'api-key', secretRef: { name: 'anthropic-key' } },
        ...spec,
      },
    } as KObject);
  }

  create(resource: string, namespace: string, name: string, body: Record<string, unknown>): KObject {
    return this.client.create(resource, { metadata: { name, namespace }, ...body } as KObject);
  }

  secret(namespace: string, name: string, data: Record<string, string>): void {
    const encoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    );
    this.create('secrets', namespace, name, { apiVersion: 'v1', kind: 'Secret', data: encoded });
  }

  /** A Secret's value, decoded; undefined when the Secret or the key is missing. */
  secretValue(namespace: string, name: string, key: string): string | undefined {
    const secret = this.find('secrets', namespace, name) as { data?: Record<string, string> } | undefined;
    const value = secret?.data?.[key];
    return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
  }

  workspace(namespace: string, name: string, spec: Record<string, unknown>): void {
    this.create(WORKSPACES, namespace, name, { apiVersion: 'kelos.dev/v1alpha1', kind: 'Workspace', spec });
  }

  agentConfig(namespace: string, name: string, spec: Record<string, unknown>): void {
    this.create(AGENT_CONFIGS, namespace, name, {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'AgentConfig',
      spec,
    });
  }

  task(namespace: string, name: string): Task | undefined {
    return this.find(TASKS, namespace, name) as Task | undefined;
  }

  job(namespace: string, name: string): JobObject | undefined {
    return this.find(JOBS, namespace, name) as JobObject | undefined;
  }

  find(resource: string, namespace: string, name: string): KObject | undefined {
    try {
      return this.client.get(resource, name, namespace);
    } catch {
      return undefined;
    }
  }

  waitForJob(namespace: string, name: string, timeoutMs = 5000): Promise<JobObject> {
    return eventually(() => this.job(namespace, name), timeoutMs);
  }

  waitForPhase(namespace: string, name: string, phase: string, timeoutMs = 5000): Promise<Task> {
    return eventually(() => {
      const task = this.task(namespace, name);
      return task?.status?.phase === phase ? task : undefined;
    }, timeoutMs);
  }

  /** Writes Job status by hand, as a Job controller would: `active`, `succeeded`, or a Failed condition. */
  setJobStatus(namespace: string, name: string, status: 'active' | 'succeeded' | 'failed'): void {
    const job = structuredClone(this.client.get(JOBS, name, namespace)) as KObject & { status?: unknown };
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    job.status =
      status === 'active'
        ? { active: 1, startTime: now }
        : status === 'succeeded'
          ? {
              succeeded: 1,
              startTime: now,
              completionTime: now,
              conditions: [
                { type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: now },
                { type: 'Complete', status: 'True', lastTransitionTime: now },
              ],
            }
          : {
              failed: 1,
              startTime: now,
              conditions: [
                { type: 'FailureTarget', status: 'True', lastTransitionTime: now },
                { type: 'Failed', status: 'True', lastTransitionTime: now },
              ],
            };
    this.client.updateStatus(JOBS, job);
  }

  /** Runs a Task's Job to the end: active, then succeeded or failed. */
  async finishJob(
    namespace: string,
    name: string,
    outcome: 'succeeded' | 'failed' = 'succeeded',
  ): Promise<Task> {
    await this.waitForJob(namespace, name);
    this.setJobStatus(namespace, name, 'active');
    await this.waitForPhase(namespace, name, 'Running');
    this.setJobStatus(namespace, name, outcome);
    return this.waitForPhase(namespace, name, outcome === 'succeeded' ? 'Succeeded' : 'Failed');
  }

  /** Events about one object, oldest first. */
  events(namespace: string, name: string): EventObject[] {
    return (this.client.list('events', { namespace }).items as unknown as EventObject[]).filter(
      (e) => e.involvedObject.name === name,
    );
  }

  waitForEvent(namespace: string, name: string, reason: string, timeoutMs = 5000): Promise<EventObject> {
    return eventually(() => this.events(namespace, name).find((e) => e.reason === reason), timeoutMs);
  }
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface JobObject extends KObject {
  spec: {
    backoffLimit?: number;
    template: {
      metadata?: { labels?: Record<string, string> };
      spec: {
        containers: Container[];
        initContainers?: Container[];
        volumes?: {
          name: string;
          emptyDir?: object;
          secret?: { secretName: string };
          configMap?: { name: string };
        }[];
      };
    };
  };
}

export interface EventObject {
  metadata: { name: string };
  involvedObject: { kind?: string; name: string; uid?: string };
  reason: string;
  message: string;
  type: string;
  count?: number;
  source?: { component?: string };
}

export function agentContainer(job: JobObject): Container {
  const agent = job.spec.template.spec.containers[0];
  if (!agent) throw new Error('job has no containers');
  return agent;
}

export function initContainer(job: JobObject, name: string): Container {
  const found = job.spec.template.spec.initContainers?.find((c) => c.name === name);
  if (!found) throw new Error(`no init container ${name}`);
  return found;
}

export const envNames = (c: Container): string[] => (c.env ?? []).map((e) => e.name);

export function envValue(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

/** Lets the controller do whatever it would do in `ms` (for "nothing happens" assertions). */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
