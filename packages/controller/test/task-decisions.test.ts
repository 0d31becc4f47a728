import type { Task, TaskPhase } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import {
  BranchLocks,
  branchHolderFromStatus,
  branchLockKey,
  branchWaitingMessage,
} from '../src/task/branch-lock.js';
import { dependencyGate, findDependencyCycle } from '../src/task/dependencies.js';
import { type JobProgress, phaseChangeFromJob } from '../src/task/job-phase.js';
import { resolvePrompt } from '../src/task/prompt.js';
import { ttlDecision } from '../src/task/ttl.js';

interface TaskInit {
  dependsOn?: string[];
  phase?: TaskPhase;
  branch?: string;
  workspace?: string;
  created?: string;
  prompt?: string;
  outputs?: string[];
  results?: Record<string, string>;
  ttl?: number;
  completionTime?: string;
}

function task(name: string, init: TaskInit = {}): Task {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: 'default', creationTimestamp: init.created ?? '2026-01-01T00:00:00Z' },
    spec: {
      type: 'claude-code',
      prompt: init.prompt ?? 'do it',
      credentials: { type: 'none' },
      ...(init.dependsOn ? { dependsOn: init.dependsOn } : {}),
      ...(init.branch ? { branch: init.branch } : {}),
      ...(init.workspace ? { workspaceRef: { name: init.workspace } } : {}),
      ...(init.ttl !== undefined ? { ttlSecondsAfterFinished: init.ttl } : {}),
    },
    status: {
      ...(init.phase ? { phase: init.phase } : {}),
      ...(init.outputs ? { outputs: init.outputs } : {}),
      ...(init.results ? { results: init.results } : {}),
      ...(init.completionTime ? { completionTime: init.completionTime } : {}),
    },
  };
}

const lookupIn =
  (...tasks: Task[]) =>
  (name: string) =>
    tasks.find((t) => t.metadata.name === name);

describe('dependencyGate', () => {
  it('is ready without dependencies or when all have Succeeded', () => {
    expect(dependencyGate(task('b'), lookupIn())).toEqual({ kind: 'ready' });
    const a = task('a', { phase: 'Succeeded' });
    const c = task('c', { phase: 'Succeeded' });
    expect(dependencyGate(task('b', { dependsOn: ['a', 'c'] }), lookupIn(a, c))).toEqual({ kind: 'ready' });
  });

  it('waits 5s for a dependency that does not exist yet', () => {
    expect(dependencyGate(task('b', { dependsOn: ['a'] }), lookupIn())).toEqual({
      kind: 'waiting',
      message: 'Waiting for dependency "a" to be created',
      requeueAfterMs: 5_000,
    });
  });

  it.each<TaskPhase | undefined>([undefined, 'Pending', 'Running', 'Waiting'])(
    'waits 10s while a dependency is %s',
    (phase) => {
      const a = task('a', phase ? { phase } : {});
      expect(dependencyGate(task('b', { dependsOn: ['a'] }), lookupIn(a))).toEqual({
        kind: 'waiting',
        message: 'Waiting for dependency "a"',
        requeueAfterMs: 10_000,
      });
    },
  );

  it('fails when a dependency failed, naming it', () => {
    const a = task('a', { phase: 'Succeeded' });
    const c = task('c', { phase: 'Failed' });
    expect(dependencyGate(task('b', { dependsOn: ['a', 'c'] }), lookupIn(a, c))).toEqual({
      kind: 'failed',
      message: 'Dependency "c" failed',
    });
  });

  it('checks dependencies in order: the first not Succeeded decides', () => {
    const a = task('a', { phase: 'Running' });
    const c = task('c', { phase: 'Failed' });
    expect(dependencyGate(task('b', { dependsOn: ['a', 'c'] }), lookupIn(a, c))).toMatchObject({
      kind: 'waiting',
    });
  });

  it('fails on a cycle, but skips the cycle check once Waiting', () => {
    const a = task('a', { dependsOn: ['b'] });
    const b = task('b', { dependsOn: ['a'] });
    expect(dependencyGate(b, lookupIn(a, b))).toEqual({
      kind: 'failed',
      message: 'Circular dependency detected: cycle involves "b"',
    });
    const waitingB = task('b', { dependsOn: ['a'], phase: 'Waiting' });
    expect(dependencyGate(waitingB, lookupIn(a, waitingB))).toMatchObject({ kind: 'waiting' });
  });
});

describe('findDependencyCycle', () => {
  it('finds self-dependencies and longer cycles', () => {
    expect(findDependencyCycle(task('a', { dependsOn: ['a'] }), lookupIn())).toBe('a');
    const a = task('a', { dependsOn: ['b'] });
    const b = task('b', { dependsOn: ['c'] });
    const c = task('c', { dependsOn: ['a'] });
    expect(findDependencyCycle(a, lookupIn(a, b, c))).toBe('a');
  });

  it('finds a cycle further down that does not include the start', () => {
    const b = task('b', { dependsOn: ['c'] });
    const c = task('c', { dependsOn: ['b'] });
    expect(findDependencyCycle(task('a', { dependsOn: ['b'] }), lookupIn(b, c))).toBe('b');
  });

  it('does not report diamonds or missing Tasks', () => {
    const b = task('b', { dependsOn: ['d'] });
    const c = task('c', { dependsOn: ['d'] });
    const d = task('d');
    expect(
      findDependencyCycle(task('a', { dependsOn: ['b', 'c', 'missing'] }), lookupIn(b, c, d)),
    ).toBeUndefined();
  });
});

describe('resolvePrompt', () => {
  const a = task('a', {
    phase: 'Succeeded',
    outputs: ['branch: kelos/a', 'commit: 123'],
    results: { branch: 'kelos/a' },
  });

  it('renders dependency results and outputs', () => {
    const b = task('b', {
      dependsOn: ['a'],
      prompt: 'Continue on {{ index .Deps "a" "Results" "branch" }}; outputs {{ index .Deps "a" "Outputs" }}',
    });
    expect(resolvePrompt(b, lookupIn(a))).toBe('Continue on kelos/a; outputs [branch: kelos/a commit: 123]');
  });

  it('leaves prompts without dependencies untouched, even with braces', () => {
    expect(resolvePrompt(task('b', { prompt: 'print {{ .Title }}' }), lookupIn())).toBe('print {{ .Title }}');
  });

  it.each([
    ['a missing key', '{{ .Nope }}'],
    ['a syntax error', '{{ if }}'],
    ['an unknown function', '{{ frobnicate 1 }}'],
  ])('falls back to the raw prompt on %s', (_what, prompt) => {
    expect(resolvePrompt(task('b', { dependsOn: ['a'], prompt }), lookupIn(a))).toBe(prompt);
  });

  it('falls back to the raw prompt when a dependency is gone', () => {
    const b = task('b', { dependsOn: ['gone'], prompt: '{{ index .Deps "gone" "Name" }}' });
    expect(resolvePrompt(b, lookupIn())).toBe('{{ index .Deps "gone" "Name" }}');
  });
});

describe('branch locking', () => {
  it('keys by workspace and branch', () => {
    expect(branchLockKey(task('a'))).toBeUndefined();
    expect(branchLockKey(task('a', { branch: 'fix' }))).toBe(':fix');
    expect(branchLockKey(task('a', { branch: 'fix', workspace: 'repo' }))).toBe('repo:fix');
  });

  it('lets one holder in at a time and is re-entrant for the holder', () => {
    const locks = new BranchLocks();
    expect(locks.tryAcquire('repo:fix', 'a')).toEqual({ acquired: true });
    expect(locks.tryAcquire('repo:fix', 'a')).toEqual({ acquired: true });
    expect(locks.tryAcquire('repo:fix', 'b')).toEqual({ acquired: false, holder: 'a' });
    locks.release('repo:fix', 'b');
    expect(locks.tryAcquire('repo:fix', 'b')).toEqual({ acquired: false, holder: 'a' });
    locks.release('repo:fix', 'a');
    expect(locks.tryAcquire('repo:fix', 'b')).toEqual({ acquired: true });
  });

  it('rebuilds the holder from Task status after a restart', () => {
    const me = task('me', { branch: 'fix', workspace: 'repo', created: '2026-01-01T00:00:10Z' });
    const running = task('x', { branch: 'fix', workspace: 'repo', phase: 'Running' });
    const otherWorkspace = task('y', { branch: 'fix', workspace: 'other', phase: 'Running' });
    const done = task('z', { branch: 'fix', workspace: 'repo', phase: 'Succeeded' });
    expect(branchHolderFromStatus(me, [me, otherWorkspace, done])).toBeUndefined();
    expect(branchHolderFromStatus(me, [me, running, done])).toEqual({ reason: 'locked', holder: 'x' });
    const pending = task('p', { branch: 'fix', workspace: 'repo', phase: 'Pending' });
    expect(branchHolderFromStatus(me, [pending, me])).toEqual({ reason: 'locked', holder: 'p' });
  });

  it('queues behind the earliest Waiting Task created before it', () => {
    const me = task('me', { branch: 'fix', created: '2026-01-01T00:00:10Z' });
    const early = task('early', { branch: 'fix', phase: 'Waiting', created: '2026-01-01T00:00:05Z' });
    const earliest = task('earliest', { branch: 'fix', phase: 'Waiting', created: '2026-01-01T00:00:01Z' });
    const late = task('late', { branch: 'fix', phase: 'Waiting', created: '2026-01-01T00:00:20Z' });
    expect(branchHolderFromStatus(me, [late, early, earliest, me])).toEqual({
      reason: 'queued',
      holder: 'earliest',
    });
    expect(branchHolderFromStatus(me, [late, me])).toBeUndefined();
  });

  it('breaks creation-time ties by name so that exactly one of two Tasks goes first', () => {
    const a = task('a', { branch: 'fix', phase: 'Waiting' });
    const b = task('b', { branch: 'fix', phase: 'Waiting' });
    expect(branchHolderFromStatus(a, [a, b])).toBeUndefined();
    expect(branchHolderFromStatus(b, [a, b])).toEqual({ reason: 'queued', holder: 'a' });
  });

  it('formats the Waiting messages of the spec', () => {
    expect(branchWaitingMessage('fix', { reason: 'locked', holder: 'x' })).toBe(
      'Waiting for branch "fix" (locked by x)',
    );
    expect(branchWaitingMessage('fix', { reason: 'queued', holder: 'x' })).toBe(
      'Waiting for branch "fix" (queued behind x)',
    );
  });
});

describe('phaseChangeFromJob', () => {
  const failedCondition = { conditions: [{ type: 'Failed', status: 'True' }] };

  it.each<[TaskPhase, JobProgress, string | undefined]>([
    ['Pending', { active: 1 }, 'Running'],
    ['Running', { active: 1 }, undefined],
    ['Pending', { succeeded: 1 }, 'Succeeded'],
    ['Running', { succeeded: 1 }, 'Succeeded'],
    ['Succeeded', { succeeded: 1 }, undefined],
    ['Running', failedCondition, 'Failed'],
    ['Failed', failedCondition, undefined],
    ['Running', { failed: 1 }, undefined],
    ['Running', { conditions: [{ type: 'Failed', status: 'False' }] }, undefined],
    ['Pending', {}, undefined],
  ])('%s with Job status %j becomes %s', (current, job, expected) => {
    expect(phaseChangeFromJob(current, job)?.phase).toBe(expected);
  });

  it('names the events and messages of the spec', () => {
    expect(phaseChangeFromJob('Pending', { active: 1 })?.event).toMatchObject({
      type: 'Normal',
      reason: 'TaskRunning',
    });
    expect(phaseChangeFromJob('Running', { succeeded: 1 })).toMatchObject({
      message: 'Task completed successfully',
      event: { type: 'Normal', reason: 'TaskSucceeded' },
    });
    expect(phaseChangeFromJob('Running', failedCondition)).toMatchObject({
      message: 'Task failed',
      event: { type: 'Warning', reason: 'TaskFailed' },
    });
  });
});

describe('ttlDecision', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');

  it('keeps Tasks without a TTL or not finished', () => {
    expect(
      ttlDecision(task('a', { phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' }), now),
    ).toEqual({
      kind: 'keep',
    });
    expect(ttlDecision(task('a', { ttl: 0, phase: 'Running' }), now)).toEqual({ kind: 'keep' });
  });

  it('waits for completionTime, then deletes when the TTL has passed', () => {
    expect(ttlDecision(task('a', { ttl: 10, phase: 'Failed' }), now)).toEqual({
      kind: 'requeue',
      afterMs: 5_000,
    });
    expect(
      ttlDecision(task('a', { ttl: 0, phase: 'Succeeded', completionTime: '2026-01-01T01:00:00Z' }), now),
    ).toEqual({ kind: 'delete' });
    expect(
      ttlDecision(task('a', { ttl: 3600, phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' }), now),
    ).toEqual({ kind: 'delete' });
    expect(
      ttlDecision(task('a', { ttl: 90, phase: 'Succeeded', completionTime: '2026-01-01T00:59:30Z' }), now),
    ).toEqual({ kind: 'requeue', afterMs: 60_000 });
  });
});
