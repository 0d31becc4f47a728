/**
 * What a Task costs the API server (the controller benchmark's requests per Task): the requests the
 * Task controller sends, counted where the dev cluster's API server receives them.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { KObject } from '@kelos/devcluster';
import type { AgentConfig, Task, Workspace } from '@kelos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeEventRecorder } from '../src/events/recorder.js';
import { requestOf } from '../src/runtime/controller.js';
import type { Informer } from '../src/runtime/informer.js';
import type { KubeObject } from '../src/runtime/kinds.js';
import { makeClients } from '../src/runtime/kube-client.js';
import { BranchLocks } from '../src/task/branch-lock.js';
import type { CachedJob, CachedPod, TaskDeps } from '../src/task/context.js';
import { JobExpectations } from '../src/task/job-expectations.js';
import { taskReconciler } from '../src/task/reconciler.js';
import { silentLogger } from './helpers/runtime-cluster.js';
import { settle, TASKS, TaskHarness } from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

/** `METHOD path` of every request the API server receives about `namespace` while `run` runs. */
async function requestsAbout(namespace: string, run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path.includes(`/namespaces/${namespace}/`)) seen.push(`${request.method} ${path}`);
  };
  subscribe('http.server.request.start', onRequest);
  try {
    await run();
  } finally {
    unsubscribe('http.server.request.start', onRequest);
  }
  return seen;
}

describe('requests per Task', () => {
  it('a new Task costs one finalizer update, one Job create, one status update and its event', async () => {
    const ns = h.namespace();
    const requests = await requestsAbout(ns, async () => {
      h.createTask(ns, 'cheap');
      await h.waitForPhase(ns, 'cheap', 'Pending');
      await h.waitForEvent(ns, 'cheap', 'TaskCreated');
      // The watch events of these writes reconcile the Task again: those reconciles must send nothing.
      await settle(500);
    });
    const task = `/apis/kelos.dev/v1alpha1/namespaces/${ns}/tasks/cheap`;
    expect(requests.sort()).toEqual(
      [
        `POST /api/v1/namespaces/${ns}/events`,
        `POST /apis/batch/v1/namespaces/${ns}/jobs`,
        `PUT ${task}`,
        `PUT ${task}/status`,
      ].sort(),
    );
    expect(h.task(ns, 'cheap')?.metadata.finalizers).toEqual(['kelos.dev/finalizer']);
  });

  it('a stale cached Task makes its write conflict once, then goes on from a fresh read', async () => {
    const ns = h.namespace();
    await h.stopManager();
    h.createTask(ns, 'stale');
    const cached = h.task(ns, 'stale') as Task;
    // Another writer changes the Task after the cache saw it.
    const current = structuredClone(cached) as Task;
    current.metadata.labels = { touched: 'yes' };
    h.client.update(TASKS, current as unknown as KObject);
    const clients = makeClients(h.cluster.kc);
    const cacheOf = <T>(get: (name: string) => T | undefined) =>
      ({ get: (_ns: string, name: string) => get(name), list: () => [] }) as unknown as Informer<
        T & KubeObject
      >;
    const deps: TaskDeps = {
      clients,
      caches: {
        tasks: cacheOf((name) => (name === 'stale' ? cached : undefined)),
        jobs: cacheOf<CachedJob>(() => undefined),
        pods: cacheOf<CachedPod>(() => undefined),
        workspaces: cacheOf<Workspace>(() => undefined),
        agentConfigs: cacheOf<AgentConfig>(() => undefined),
      },
      events: new KubeEventRecorder(clients.json, silentLogger),
      locks: new BranchLocks(),
      expectedJobs: new JobExpectations(Date.now),
      jobOptions: {},
      readPodLog: async () => '',
      now: Date.now,
    };
    const reconcile = taskReconciler(deps);
    const requests = await requestsAbout(ns, async () => {
      await reconcile(requestOf(`${ns}/stale`), { log: silentLogger });
      await h.waitForEvent(ns, 'stale', 'TaskCreated');
    });
    const task = `/apis/kelos.dev/v1alpha1/namespaces/${ns}/tasks/stale`;
    expect(requests).toEqual([
      `PUT ${task}`,
      `GET ${task}`,
      `PUT ${task}`,
      `POST /apis/batch/v1/namespaces/${ns}/jobs`,
      // The status write starts from the finalizer write's answer: no conflict, no read.
      expect.stringMatching(/^(PUT .*\/status|POST .*\/events)$/),
      expect.stringMatching(/^(PUT .*\/status|POST .*\/events)$/),
    ]);
    const written = h.task(ns, 'stale');
    expect(written?.metadata.labels).toEqual({ touched: 'yes' });
    expect(written?.metadata.finalizers).toEqual(['kelos.dev/finalizer']);
    expect(written?.status).toMatchObject({ phase: 'Pending', jobName: 'stale' });
    // The cache then shows the finalizer but neither the status nor the Job yet (their watch events are
    // still on the way): the Job is expected, so the reconcile neither creates it again nor asks the API.
    const view: Task = { ...cached, metadata: { ...cached.metadata, finalizers: ['kelos.dev/finalizer'] } };
    deps.caches.tasks = cacheOf(() => view);
    const again = await requestsAbout(ns, async () => {
      expect(await reconcile(requestOf(`${ns}/stale`), { log: silentLogger })).toEqual({
        requeueAfterMs: expect.any(Number),
      });
    });
    expect(again).toEqual([]);
    await h.startManager();
  });
});
