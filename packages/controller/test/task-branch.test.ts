/**
 * Branch lock integration tests (spec §13.2, §3.1 step 7.2; the full coverage table is in
 * task-lifecycle.test.ts): same branch waits then proceeds, different workspaces do not block,
 * spawner-style rendered branches, Tasks created at once run one at a time, the lock survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, envValue, eventually, settle, TaskHarness } from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

const REPO = 'https://github.com/example-org/app.git';

function withWorkspace(ns: string, name = 'repo'): { workspaceRef: { name: string } } {
  h.workspace(ns, name, { repo: REPO, ref: 'main' });
  return { workspaceRef: { name } };
}

const jobsOf = (ns: string, names: string[]) => names.filter((n) => h.job(ns, n) !== undefined);

describe('branch lock', () => {
  it('same branch waits for the holder, then proceeds', async () => {
    const ns = h.namespace();
    const ws = withWorkspace(ns);
    h.createTask(ns, 'first', { ...ws, branch: 'feature' });
    await h.waitForJob(ns, 'first');
    h.createTask(ns, 'second', { ...ws, branch: 'feature' });
    const waiting = await h.waitForPhase(ns, 'second', 'Waiting');
    expect(waiting.status?.message).toBe('Waiting for branch "feature" (locked by first)');
    expect(h.job(ns, 'second')).toBeUndefined();

    await h.finishJob(ns, 'first');
    await h.waitForJob(ns, 'second');
    await h.waitForPhase(ns, 'second', 'Pending');
  });

  it('a deleted holder frees the branch', async () => {
    const ns = h.namespace();
    const ws = withWorkspace(ns);
    h.createTask(ns, 'holder', { ...ws, branch: 'b' });
    await h.waitForJob(ns, 'holder');
    h.createTask(ns, 'next', { ...ws, branch: 'b' });
    await h.waitForPhase(ns, 'next', 'Waiting');
    h.client.delete('tasks.kelos.dev', 'holder', { namespace: ns });
    await h.waitForJob(ns, 'next');
  });

  it('same branch in different workspaces does not block', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'one', { ...withWorkspace(ns, 'ws-a'), branch: 'main-work' });
    h.createTask(ns, 'two', { ...withWorkspace(ns, 'ws-b'), branch: 'main-work' });
    await h.waitForJob(ns, 'one');
    await h.waitForJob(ns, 'two');
  });

  it('rendered branches: distinct ones run together, the same one is locked', async () => {
    const ns = h.namespace();
    const ws = withWorkspace(ns);
    const spawned = { 'kelos.dev/taskspawner': 'triage' };
    h.createTask(ns, 'triage-1', { ...ws, branch: 'kelos-issue-1' }, spawned);
    h.createTask(ns, 'triage-2', { ...ws, branch: 'kelos-issue-2' }, spawned);
    const one = agentContainer(await h.waitForJob(ns, 'triage-1'));
    const two = agentContainer(await h.waitForJob(ns, 'triage-2'));
    expect(envValue(one, 'KELOS_BRANCH')).toBe('kelos-issue-1');
    expect(envValue(two, 'KELOS_BRANCH')).toBe('kelos-issue-2');
    expect(envValue(one, 'KELOS_TASKSPAWNER')).toBe('triage');

    h.createTask(ns, 'triage-1-retry', { ...ws, branch: 'kelos-issue-1' }, spawned);
    const waiting = await h.waitForPhase(ns, 'triage-1-retry', 'Waiting');
    expect(waiting.status?.message).toBe('Waiting for branch "kelos-issue-1" (locked by triage-1)');
  });

  it('Tasks on one branch created at once get exactly one Job at a time', async () => {
    const ns = h.namespace();
    const ws = withWorkspace(ns);
    const names = ['c1', 'c2', 'c3'];
    for (const name of names) h.createTask(ns, name, { ...ws, branch: 'shared' });
    for (let round = 0; round < names.length; round++) {
      const running = await eventually(() => {
        const active = jobsOf(ns, names).filter((n) => h.task(ns, n)?.status?.phase !== 'Succeeded');
        return active.length > 0 ? active : undefined;
      });
      await settle(400);
      const active = jobsOf(ns, names).filter((n) => h.task(ns, n)?.status?.phase !== 'Succeeded');
      expect(active).toEqual(running);
      expect(active).toHaveLength(1);
      await h.finishJob(ns, active[0] as string);
    }
    expect(jobsOf(ns, names)).toHaveLength(3);
  });

  it('a Task with a branch but no workspace warns and still locks', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'lone', { branch: 'solo' });
    await h.waitForJob(ns, 'lone');
    expect((await h.waitForEvent(ns, 'lone', 'BranchWithoutWorkspace')).type).toBe('Warning');
    h.createTask(ns, 'lone-2', { branch: 'solo' });
    await h.waitForPhase(ns, 'lone-2', 'Waiting');
  });

  it('survives a controller restart: the waiter stays Waiting until the holder finishes', async () => {
    const ns = h.namespace();
    const ws = withWorkspace(ns);
    h.createTask(ns, 'holder', { ...ws, branch: 'restart' });
    await h.waitForJob(ns, 'holder');
    h.setJobStatus(ns, 'holder', 'active');
    await h.waitForPhase(ns, 'holder', 'Running');
    h.createTask(ns, 'waiter', { ...ws, branch: 'restart' });
    await h.waitForPhase(ns, 'waiter', 'Waiting');

    await h.stopManager();
    await h.startManager();
    // The new process has an empty in-memory lock: only the holder's status keeps the waiter out.
    await settle(1000);
    expect(h.job(ns, 'waiter')).toBeUndefined();
    expect(h.task(ns, 'waiter')?.status?.message).toBe('Waiting for branch "restart" (locked by holder)');

    h.setJobStatus(ns, 'holder', 'succeeded');
    await h.waitForPhase(ns, 'holder', 'Succeeded');
    await h.waitForJob(ns, 'waiter');
  });
});
