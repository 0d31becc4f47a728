import { describe, expect, it } from 'vitest';
import type { Condition } from '../src/schema/common.js';
import type { TaskSpawner } from '../src/schema/taskspawner.js';
import {
  creationBlocker,
  cycleStatus,
  type ExistingTask,
  failedCycleStatus,
  parseGoDuration,
  parsePollInterval,
  planCycle,
  setCondition,
  spawnerPollIntervalMs,
  suspendedStatus,
  type WorkItem,
} from '../src/taskspawner/index.js';

const item = (id: string, extra: Partial<WorkItem> = {}): WorkItem => ({
  id,
  number: Number(id) || 0,
  title: `item ${id}`,
  body: '',
  url: '',
  labels: [],
  comments: '',
  kind: 'Issue',
  ...extra,
});

const task = (name: string, phase?: string, completionTime?: string): ExistingTask => ({
  metadata: { name },
  ...(phase && {
    status: { phase: phase as 'Pending', ...(completionTime && { completionTime }) },
  }),
});

const names = (entries: { taskName: string }[]) => entries.map((e) => e.taskName);

describe('planCycle', () => {
  it('dedups by deterministic Task name and counts non-terminal Tasks as active', () => {
    const plan = planCycle({
      spawnerName: 'Fixer',
      items: [item('1'), item('2'), item('3')],
      tasks: [
        task('fixer-1', 'Running'),
        task('fixer-3', 'Succeeded'),
        task('fixer-9'),
        task('other', 'Failed'),
      ],
    });
    expect(names(plan.candidates)).toEqual(['fixer-2']);
    expect(names(plan.skipped)).toEqual(['fixer-1', 'fixer-3']);
    expect(plan.retrigger).toEqual([]);
    // fixer-1 (Running) and fixer-9 (no phase yet) are active; Succeeded and Failed are not.
    expect(plan.active).toBe(2);
  });

  it('retriggers a finished Task only when the trigger came after its completion', () => {
    const done = '2026-01-01T10:00:00Z';
    const plan = planCycle({
      spawnerName: 'fixer',
      items: [
        item('1', { triggerTime: new Date('2026-01-01T10:00:01Z') }),
        item('2', { triggerTime: new Date('2026-01-01T09:59:59Z') }),
        item('3', { triggerTime: new Date('2026-01-01T11:00:00Z') }),
        item('4', { triggerTime: new Date('2026-01-01T11:00:00Z') }),
        item('5'),
      ],
      tasks: [
        task('fixer-1', 'Failed', done),
        task('fixer-2', 'Succeeded', done),
        task('fixer-3', 'Running'),
        task('fixer-4', 'Succeeded'),
        task('fixer-5', 'Succeeded', done),
      ],
    });
    expect(names(plan.retrigger)).toEqual(['fixer-1']);
    expect(plan.retrigger[0]?.task.metadata.name).toBe('fixer-1');
    expect(names(plan.candidates)).toEqual(['fixer-1']);
    expect(names(plan.skipped)).toEqual(['fixer-2', 'fixer-3', 'fixer-4', 'fixer-5']);
  });

  it('compares a trigger at the whole seconds of completionTime, so a re-run does not answer it twice', () => {
    // The re-run for a trigger at 10:00:05.700 completed within that second: its completionTime reads
    // 10:00:05, which the trigger is not after.
    const trigger = { triggerTime: new Date('2026-01-01T10:00:05.700Z') };
    const plan = (completionTime: string) =>
      planCycle({
        spawnerName: 'fixer',
        items: [item('1', trigger)],
        tasks: [task('fixer-1', 'Succeeded', completionTime)],
      });
    expect(names(plan('2026-01-01T10:00:05Z').retrigger)).toEqual([]);
    expect(names(plan('2026-01-01T10:00:04Z').retrigger)).toEqual(['fixer-1']);
  });

  it('orders new items by their highest priority label, stably, unlabelled last', () => {
    const plan = planCycle({
      spawnerName: 's',
      items: [
        item('1'),
        item('2', { labels: ['p2'] }),
        item('3', { labels: ['x', 'p1'] }),
        item('4', { labels: ['p2', 'p0'] }),
        item('5', { labels: ['p1'] }),
        item('6', { labels: ['x'] }),
      ],
      tasks: [],
      priorityLabels: ['p0', 'p1', 'p2'],
    });
    expect(names(plan.candidates)).toEqual(['s-4', 's-3', 's-5', 's-2', 's-1', 's-6']);
  });

  it('keeps the source order without priority labels', () => {
    const plan = planCycle({ spawnerName: 's', items: [item('3'), item('1'), item('2')], tasks: [] });
    expect(names(plan.candidates)).toEqual(['s-3', 's-1', 's-2']);
  });
});

describe('creationBlocker', () => {
  it('stops at maxConcurrency active Tasks', () => {
    const limits = { maxConcurrency: 2 };
    expect(creationBlocker(limits, { active: 1, totalTasksCreated: 0, createdThisCycle: 0 })).toBeUndefined();
    expect(creationBlocker(limits, { active: 2, totalTasksCreated: 0, createdThisCycle: 1 })).toBe(
      'maxConcurrency',
    );
  });

  it('stops when the lifetime total would pass maxTotalTasks', () => {
    const limits = { maxTotalTasks: 5 };
    expect(creationBlocker(limits, { active: 0, totalTasksCreated: 3, createdThisCycle: 1 })).toBeUndefined();
    expect(creationBlocker(limits, { active: 0, totalTasksCreated: 3, createdThisCycle: 2 })).toBe(
      'maxTotalTasks',
    );
  });

  it('treats 0 and unset as no limit', () => {
    const progress = { active: 100, totalTasksCreated: 100, createdThisCycle: 100 };
    expect(creationBlocker({ maxConcurrency: 0, maxTotalTasks: 0 }, progress)).toBeUndefined();
    expect(creationBlocker({}, progress)).toBeUndefined();
  });
});

describe('setCondition', () => {
  const base: Condition = {
    type: 'Suspended',
    status: 'False',
    reason: 'Running',
    message: 'm',
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };

  it('keeps lastTransitionTime while the status stays, moves it when the status changes', () => {
    const same = setCondition([base], { ...base, message: 'new', observedGeneration: 2 }, 'NOW');
    expect(same).toEqual([{ ...base, message: 'new', observedGeneration: 2 }]);
    const flipped = setCondition([base], { ...base, status: 'True', reason: 'UserSuspended' }, 'NOW');
    expect(flipped[0]?.lastTransitionTime).toBe('NOW');
  });

  it('appends a new type without touching others', () => {
    const list = setCondition([base], { type: 'X', status: 'True', reason: 'R', message: '' }, 'NOW');
    expect(list).toEqual([
      base,
      { type: 'X', status: 'True', reason: 'R', message: '', lastTransitionTime: 'NOW' },
    ]);
  });
});

describe('cycleStatus', () => {
  const ctx = { generation: 4, now: '2026-01-02T03:04:05Z' };

  it('writes the counters, message and conditions of a clean cycle', () => {
    const status = cycleStatus(
      { phase: 'Pending', totalTasksCreated: 3, cronJobName: 'nightly' },
      { discovered: 5, created: 2, active: 4, errors: [] },
      undefined,
      ctx,
    );
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      observedGeneration: 4,
      lastTransitionTime: ctx.now,
    });
    expect(status).toEqual({
      phase: 'Running',
      cronJobName: 'nightly',
      lastDiscoveryTime: ctx.now,
      totalDiscovered: 5,
      totalTasksCreated: 5,
      activeTasks: 4,
      message: 'Discovered 5 items, created 5 tasks total',
      conditions: [
        condition('DiscoveryError', 'False', 'NoErrors', 'Task creation succeeded for all discovered items'),
        condition('Suspended', 'False', 'Running', 'TaskSpawner is running'),
        condition(
          'MaxTotalTasksReached',
          'False',
          'LimitAvailable',
          'maxTotalTasks limit has not been reached',
        ),
        condition('TaskBudgetExhausted', 'False', 'BudgetAvailable', 'Task budget has not been exhausted'),
      ],
    });
  });

  it('reports creation errors and a reached maxTotalTasks', () => {
    const status = cycleStatus(
      { totalTasksCreated: 1 },
      { discovered: 3, created: 1, active: 1, errors: ['item 2: boom', 'item 3: bang'] },
      2,
      ctx,
    );
    expect(status.message).toBe(
      'Discovered 3 items, created 2 tasks total; 2 creation error(s): item 2: boom\nitem 3: bang',
    );
    const byType = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));
    expect(byType.DiscoveryError).toMatchObject({
      status: 'True',
      reason: 'TaskCreationFailed',
      message: 'item 2: boom\nitem 3: bang',
    });
    expect(byType.MaxTotalTasksReached).toMatchObject({
      status: 'True',
      reason: 'LimitReached',
      message: 'Total tasks created (2) has reached maxTotalTasks (2)',
    });
    expect(byType.TaskBudgetExhausted).toMatchObject({
      status: 'True',
      reason: 'BudgetReached',
      message: 'Total tasks created (2) has reached maxTotalTasks (2)',
    });
  });
});

describe('suspendedStatus and failedCycleStatus', () => {
  const ctx = { generation: 2, now: '2026-01-02T03:04:05Z' };

  it('suspends once', () => {
    const status = suspendedStatus({ phase: 'Running', totalTasksCreated: 7 }, ctx);
    expect(status).toEqual({
      phase: 'Suspended',
      totalTasksCreated: 7,
      message: 'Suspended by user',
      conditions: [
        {
          type: 'Suspended',
          status: 'True',
          reason: 'UserSuspended',
          message: 'TaskSpawner is suspended by user',
          observedGeneration: 2,
          lastTransitionTime: ctx.now,
        },
      ],
    });
    expect(suspendedStatus(status, ctx)).toBeUndefined();
  });

  it('fails without moving the watermark', () => {
    const status = failedCycleStatus(
      { phase: 'Running', lastDiscoveryTime: '2026-01-01T00:00:00Z' },
      'discovering items: boom',
      ctx,
    );
    expect(status).toMatchObject({
      phase: 'Failed',
      message: 'discovering items: boom',
      lastDiscoveryTime: '2026-01-01T00:00:00Z',
      conditions: [{ type: 'DiscoveryError', status: 'True', reason: 'TaskCreationFailed' }],
    });
  });
});

describe('poll interval', () => {
  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5m', 90_000],
    ['250ms', 250],
    ['0', 0],
    ['-2m', -120_000],
    ['5', undefined],
    ['m', undefined],
    ['', undefined],
  ])('parseGoDuration(%j) = %s', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each([
    ['2m', 120_000],
    ['30', 30_000],
    [undefined, 300_000],
    ['soon', 300_000],
    ['0s', 300_000],
    ['-1m', 300_000],
  ])('parsePollInterval(%j) = %d', (text, expected) => {
    expect(parsePollInterval(text)).toBe(expected);
  });

  it('prefers the source interval, then spec.pollInterval, then 5m', () => {
    const ts = (when: TaskSpawner['spec']['when'], pollInterval?: string): TaskSpawner => ({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name: 's' },
      spec: {
        when,
        taskTemplate: { type: 'codex', credentials: { type: 'none' } },
        ...(pollInterval && { pollInterval }),
      },
    });
    expect(spawnerPollIntervalMs(ts({ githubIssues: { pollInterval: '1m' } }, '10m'))).toBe(60_000);
    expect(spawnerPollIntervalMs(ts({ githubPullRequests: {} }, '10m'))).toBe(600_000);
    expect(spawnerPollIntervalMs(ts({ cron: { schedule: '* * * * *' } }))).toBe(300_000);
  });
});
