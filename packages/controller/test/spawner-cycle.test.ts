/**
 * The discovery cycle (spec §10.3) against the dev cluster's API server with a fake source: dedup across
 * cycles and restarts, retrigger, limits, priority, suspend, status and conditions, ownership.
 */
import type { Condition, Task } from '@kelos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleError } from '../src/spawner/cycle.js';
import { FakeSource, issueItem, SpawnerHarness } from './helpers/spawner-harness.js';

const h = new SpawnerHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const conditions = (ns: string, name: string): Record<string, Condition> =>
  Object.fromEntries((h.spawnerObject(ns, name).status?.conditions ?? []).map((c) => [c.type, c]));

describe('creating Tasks', () => {
  it('creates one Task per item, owned and labelled, and none again in later cycles or after a restart', async () => {
    const ns = h.namespace();
    const spawner = h.createSpawner(ns, 'fixer', {
      taskTemplate: {
        type: 'claude-code',
        credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
        workspaceRef: { name: 'app' },
        promptTemplate: 'Fix #{{.Number}}: {{.Title}}',
        branch: 'kelos-task-{{.Number}}',
      },
    });
    const source = new FakeSource();
    source.items = [issueItem(1), issueItem(2)];
    await h.spawner(ns, 'fixer', { source }).runOnce();

    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2']);
    const task = h.task(ns, 'fixer-1') as Task;
    expect(task.metadata.labels).toEqual({ 'kelos.dev/taskspawner': 'fixer' });
    expect(task.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'kelos.dev/v1alpha1',
        kind: 'TaskSpawner',
        name: 'fixer',
        uid: spawner.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(task.metadata.annotations).toEqual({
      'kelos.dev/source-kind': 'issue',
      'kelos.dev/source-number': '1',
    });
    expect(task.spec).toMatchObject({
      prompt: 'Fix #1: Issue 1',
      branch: 'kelos-task-1',
      workspaceRef: { name: 'app' },
    });
    const uid = task.metadata.uid;

    // Same process, next cycle: a new item only.
    source.items = [issueItem(1), issueItem(2), issueItem(3)];
    const same = h.spawner(ns, 'fixer', { source });
    await same.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2', 'fixer-3']);
    expect(h.task(ns, 'fixer-1')?.metadata.uid).toBe(uid);

    // A new process (restart) with the status counters lost: the Tasks themselves dedup.
    h.setSpawnerStatus(ns, 'fixer', {});
    await h.spawner(ns, 'fixer', { source }).runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2', 'fixer-3']);
    expect(h.spawnerObject(ns, 'fixer').status).toMatchObject({ totalDiscovered: 3, totalTasksCreated: 0 });
  });

  it('recreates a Task that was deleted while its item is still discovered (the re-run mechanism)', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    const source = new FakeSource();
    source.items = [issueItem(5)];
    const spawner = h.spawner(ns, 'fixer', { source });
    await spawner.runOnce();
    const first = h.task(ns, 'fixer-5')?.metadata.uid;
    h.client.delete('tasks.kelos.dev', 'fixer-5', { namespace: ns });
    await spawner.runOnce();
    expect(h.task(ns, 'fixer-5')?.metadata.uid).not.toBe(first);
  });
});

describe('retrigger', () => {
  it('replaces a finished Task when the item was triggered after it completed, and only then', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    const source = new FakeSource();
    source.items = [issueItem(1), issueItem(2), issueItem(3)];
    const spawner = h.spawner(ns, 'fixer', { source });
    await spawner.runOnce();
    const uids = Object.fromEntries(h.tasks(ns).map((t) => [t.metadata.name, t.metadata.uid]));
    const completed = '2026-01-01T10:00:00Z';
    h.setTaskStatus(ns, 'fixer-1', { phase: 'Succeeded', completionTime: completed });
    h.setTaskStatus(ns, 'fixer-2', { phase: 'Failed', completionTime: completed });
    h.setTaskStatus(ns, 'fixer-3', { phase: 'Running' });

    source.items = [
      issueItem(1, { triggerTime: new Date('2026-01-01T10:05:00Z') }),
      issueItem(2, { triggerTime: new Date('2026-01-01T09:00:00Z') }),
      issueItem(3, { triggerTime: new Date('2026-01-01T10:05:00Z') }),
    ];
    await spawner.runOnce();

    const after = h.tasks(ns);
    expect(after.map((t) => t.metadata.name)).toEqual(['fixer-1', 'fixer-2', 'fixer-3']);
    const fixer1 = after[0] as Task;
    expect(fixer1.metadata.uid).not.toBe(uids['fixer-1']);
    expect(fixer1.status?.phase).toBeUndefined();
    expect(after[1]?.metadata.uid).toBe(uids['fixer-2']);
    expect(after[2]?.metadata.uid).toBe(uids['fixer-3']);
    expect(h.spawnerObject(ns, 'fixer').status?.totalTasksCreated).toBe(4);
  });
});

describe('limits and order', () => {
  it('stops at maxConcurrency active Tasks and continues when one finishes', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', { maxConcurrency: 2 });
    const source = new FakeSource();
    source.items = [1, 2, 3, 4].map((n) => issueItem(n));
    const spawner = h.spawner(ns, 'fixer', { source });
    await spawner.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2']);
    expect(h.spawnerObject(ns, 'fixer').status).toMatchObject({ activeTasks: 2, totalTasksCreated: 2 });

    await spawner.runOnce();
    expect(h.taskNames(ns)).toHaveLength(2);

    h.setTaskStatus(ns, 'fixer-1', { phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' });
    await spawner.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2', 'fixer-3']);
    expect(h.spawnerObject(ns, 'fixer').status).toMatchObject({ activeTasks: 2, totalTasksCreated: 3 });
  });

  it('stops for good at maxTotalTasks and says so in the conditions', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', { maxTotalTasks: 3 });
    const source = new FakeSource();
    source.items = [1, 2].map((n) => issueItem(n));
    const spawner = h.spawner(ns, 'fixer', { source });
    await spawner.runOnce();
    expect(conditions(ns, 'fixer').MaxTotalTasksReached).toMatchObject({
      status: 'False',
      reason: 'LimitAvailable',
    });
    expect(conditions(ns, 'fixer').TaskBudgetExhausted).toMatchObject({
      status: 'False',
      reason: 'BudgetAvailable',
      message: 'Task budget has not been exhausted',
    });

    source.items = [1, 2, 3, 4, 5].map((n) => issueItem(n));
    await spawner.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1', 'fixer-2', 'fixer-3']);
    // Finished and deleted Tasks do not give the budget back.
    h.client.delete('tasks.kelos.dev', 'fixer-1', { namespace: ns });
    await spawner.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-2', 'fixer-3']);
    const status = h.spawnerObject(ns, 'fixer').status;
    expect(status).toMatchObject({
      totalTasksCreated: 3,
      message: 'Discovered 5 items, created 3 tasks total',
    });
    const message = 'Total tasks created (3) has reached maxTotalTasks (3)';
    expect(conditions(ns, 'fixer').MaxTotalTasksReached).toMatchObject({
      status: 'True',
      reason: 'LimitReached',
      message,
    });
    expect(conditions(ns, 'fixer').TaskBudgetExhausted).toMatchObject({
      status: 'True',
      reason: 'BudgetReached',
      message,
    });
  });

  it('creates the highest-priority items first', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'triage', {
      when: { githubIssues: { priorityLabels: ['urgent', 'high'] } },
      maxTotalTasks: 3,
    });
    const source = new FakeSource();
    source.items = [
      issueItem(1),
      issueItem(2, { labels: ['high'] }),
      issueItem(3),
      issueItem(4, { labels: ['bug', 'urgent'] }),
      issueItem(5, { labels: ['high'] }),
    ];
    await h.spawner(ns, 'triage', { source }).runOnce();
    expect(h.taskNames(ns)).toEqual(['triage-2', 'triage-4', 'triage-5']);
  });
});

describe('suspend', () => {
  it('discovers nothing while suspended, says so once, and resumes', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', { suspend: true });
    const source = new FakeSource();
    source.items = [issueItem(1)];
    const spawner = h.spawner(ns, 'fixer', { source });
    await spawner.runOnce();
    expect(source.discoveries).toBe(0);
    expect(h.taskNames(ns)).toEqual([]);
    const suspended = h.spawnerObject(ns, 'fixer');
    expect(suspended.status).toMatchObject({ phase: 'Suspended', message: 'Suspended by user' });
    expect(conditions(ns, 'fixer').Suspended).toMatchObject({
      status: 'True',
      reason: 'UserSuspended',
      message: 'TaskSpawner is suspended by user',
      observedGeneration: 1,
    });

    await spawner.runOnce();
    expect(h.spawnerObject(ns, 'fixer').metadata.resourceVersion).toBe(suspended.metadata.resourceVersion);

    h.updateSpawnerSpec(ns, 'fixer', (spec) => {
      spec.suspend = false;
    });
    await spawner.runOnce();
    expect(h.taskNames(ns)).toEqual(['fixer-1']);
    expect(h.spawnerObject(ns, 'fixer').status?.phase).toBe('Running');
    expect(conditions(ns, 'fixer').Suspended).toMatchObject({
      status: 'False',
      reason: 'Running',
      message: 'TaskSpawner is running',
      observedGeneration: 2,
    });
  });
});

describe('status', () => {
  it('records phase, watermark, counters, message and the four conditions', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    const source = new FakeSource();
    source.items = [issueItem(1), issueItem(2), issueItem(3)];
    const now = new Date('2026-04-01T12:00:00.250Z');
    await h.spawner(ns, 'fixer', { source, now: () => now }).runOnce();
    h.setTaskStatus(ns, 'fixer-1', { phase: 'Succeeded', completionTime: '2026-04-01T12:00:00Z' });
    await h.spawner(ns, 'fixer', { source, now: () => now }).runOnce();
    const status = h.spawnerObject(ns, 'fixer').status;
    expect(status).toMatchObject({
      phase: 'Running',
      lastDiscoveryTime: '2026-04-01T12:00:00Z',
      totalDiscovered: 3,
      totalTasksCreated: 3,
      activeTasks: 2,
      message: 'Discovered 3 items, created 3 tasks total',
    });
    expect(status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['DiscoveryError', 'False', 'NoErrors'],
      ['Suspended', 'False', 'Running'],
      ['MaxTotalTasksReached', 'False', 'LimitAvailable'],
      ['TaskBudgetExhausted', 'False', 'BudgetAvailable'],
    ]);
  });

  it('records a discovery failure as phase Failed without moving lastDiscoveryTime', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    const source = new FakeSource();
    const spawner = h.spawner(ns, 'fixer', { source, now: () => new Date('2026-04-01T12:00:00Z') });
    await spawner.runOnce();
    source.failWith = new Error('GitHub API returned 502');
    await expect(spawner.runOnce()).rejects.toThrow('discovering items: GitHub API returned 502');
    const status = h.spawnerObject(ns, 'fixer').status;
    expect(status).toMatchObject({
      phase: 'Failed',
      message: 'discovering items: GitHub API returned 502',
      lastDiscoveryTime: '2026-04-01T12:00:00Z',
    });
    expect(conditions(ns, 'fixer').DiscoveryError).toMatchObject({
      status: 'True',
      reason: 'TaskCreationFailed',
      message: 'discovering items: GitHub API returned 502',
    });
  });

  it('records an item whose template does not render, and creates the others', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', {
      taskTemplate: {
        ...h.spawnerTemplate(),
        branch: '{{if .Branch}}{{.Branch}}{{else}}{{.Missing}}{{end}}',
      },
    });
    const source = new FakeSource();
    source.items = [issueItem(1, { branch: 'feature' }), issueItem(2)];
    await expect(h.spawner(ns, 'fixer', { source }).runOnce()).rejects.toThrow(CycleError);
    expect(h.taskNames(ns)).toEqual(['fixer-1']);
    const error =
      'item 2: building task: failed to render branch template: failed to execute template: template: branch:1:35: executing "branch" at <.Missing>: map has no entry for key "Missing"';
    expect(h.spawnerObject(ns, 'fixer').status?.message).toBe(
      `Discovered 2 items, created 1 tasks total; 1 creation error(s): ${error}`,
    );
    expect(conditions(ns, 'fixer').DiscoveryError).toMatchObject({ status: 'True', message: error });
  });
});

describe('ownership', () => {
  it('never overwrites a Task of the same name that another spawner owns, and reports the collision', async () => {
    const ns = h.namespace();
    const other = h.createSpawner(ns, 'other');
    h.createSpawner(ns, 'fixer');
    // Labelled as fixer's but controlled by another TaskSpawner: not fixer's to dedup against or count.
    h.client.create('tasks.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: {
        name: 'fixer-7',
        namespace: ns,
        labels: { 'kelos.dev/taskspawner': 'fixer' },
        ownerReferences: [
          {
            apiVersion: 'kelos.dev/v1alpha1',
            kind: 'TaskSpawner',
            name: 'other',
            uid: other.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      spec: { type: 'codex', prompt: 'not yours', credentials: { type: 'none' } },
    });
    const source = new FakeSource();
    source.items = [issueItem(7), issueItem(8)];
    const run = h.spawner(ns, 'fixer', { source }).runOnce();
    await expect(run).rejects.toThrow(CycleError);
    await expect(run).rejects.toThrow(
      'item 7: task fixer-7 name collides with an existing Task not owned by spawner fixer',
    );
    expect(h.task(ns, 'fixer-7')?.spec.prompt).toBe('not yours');
    expect(h.task(ns, 'fixer-7')?.metadata.ownerReferences?.[0]?.uid).toBe(other.metadata.uid);
    expect(h.taskNames(ns)).toEqual(['fixer-7', 'fixer-8']);
    const status = h.spawnerObject(ns, 'fixer').status;
    expect(status).toMatchObject({ phase: 'Running', totalTasksCreated: 1, activeTasks: 1 });
    expect(status?.message).toContain('1 creation error(s): item 7: task fixer-7 name collides');
    expect(conditions(ns, 'fixer').DiscoveryError).toMatchObject({
      status: 'True',
      reason: 'TaskCreationFailed',
    });
  });

  it('counts an ownerless Task carrying its label as its own', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer');
    h.client.create('tasks.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'fixer-1', namespace: ns, labels: { 'kelos.dev/taskspawner': 'fixer' } },
      spec: { type: 'codex', prompt: 'made by hand', credentials: { type: 'none' } },
    });
    const source = new FakeSource();
    source.items = [issueItem(1)];
    await h.spawner(ns, 'fixer', { source }).runOnce();
    expect(h.task(ns, 'fixer-1')?.spec.prompt).toBe('made by hand');
    expect(h.spawnerObject(ns, 'fixer').status).toMatchObject({ activeTasks: 1, totalTasksCreated: 0 });
  });
});
