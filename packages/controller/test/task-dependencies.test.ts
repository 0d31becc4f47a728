/**
 * dependsOn integration tests (spec §13.2, §3.4; the full coverage table is in task-lifecycle.test.ts):
 * dependsOn waits then runs, dependency fails, circular dependencies, prompt template from dependency
 * outputs and results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, eventually, TASKS, TaskHarness } from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

describe('dependsOn', () => {
  it('waits for its dependency, then gets a Job once it Succeeded', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'a');
    h.createTask(ns, 'b', { dependsOn: ['a'] });
    const waiting = await h.waitForPhase(ns, 'b', 'Waiting');
    expect(waiting.status?.message).toBe('Waiting for dependency "a"');
    expect(h.job(ns, 'b')).toBeUndefined();

    await h.finishJob(ns, 'a');
    await h.waitForJob(ns, 'b');
    await h.waitForPhase(ns, 'b', 'Pending');
  });

  it('waits for a dependency that does not exist yet', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'b', { dependsOn: ['a'] });
    const waiting = await h.waitForPhase(ns, 'b', 'Waiting');
    expect(waiting.status?.message).toBe('Waiting for dependency "a" to be created');
  });

  it('dependency fails: the dependant fails naming it', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'a');
    h.createTask(ns, 'b', { dependsOn: ['a'] });
    await h.waitForPhase(ns, 'b', 'Waiting');
    await h.finishJob(ns, 'a', 'failed');
    const failed = await h.waitForPhase(ns, 'b', 'Failed');
    expect(failed.status?.message).toBe('Dependency "a" failed');
    expect(failed.status?.completionTime).toBeDefined();
    expect((await h.waitForEvent(ns, 'b', 'DependencyFailed')).type).toBe('Warning');
    expect(h.job(ns, 'b')).toBeUndefined();
  });

  it('circular dependencies: both Tasks fail', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'x', { dependsOn: ['y'] });
    h.createTask(ns, 'y', { dependsOn: ['x'] });
    const x = await h.waitForPhase(ns, 'x', 'Failed');
    const y = await h.waitForPhase(ns, 'y', 'Failed');
    expect(x.status?.message).toMatch(/^Circular dependency detected: cycle involves "[xy]"$/);
    expect(y.status?.message).toMatch(/^Circular dependency detected: cycle involves "[xy]"$/);
    expect(h.job(ns, 'x')).toBeUndefined();
    expect(h.job(ns, 'y')).toBeUndefined();
  });

  it('prompt template renders dependency outputs and results into the Job args only', async () => {
    const ns = h.namespace();
    // The dependency never gets a Job (its Workspace does not exist); its status is written by hand, as the
    // reference's envtest does, since no pod log can be read here.
    h.createTask(ns, 'plan', { workspaceRef: { name: 'absent' } });
    await eventually(() => h.task(ns, 'plan')?.metadata.finalizers?.length);
    const plan = structuredClone(h.client.get(TASKS, 'plan', ns)) as { status?: Record<string, unknown> };
    plan.status = {
      phase: 'Succeeded',
      completionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      outputs: ['branch: kelos/plan', 'commit: abc'],
      results: { branch: 'kelos/plan', commit: 'abc' },
    };
    h.client.updateStatus(TASKS, plan as never);
    const prompt =
      'Branch {{ index .Deps "plan" "Results" "branch" }}; outputs {{ index .Deps "plan" "Outputs" }}';
    h.createTask(ns, 'impl', { dependsOn: ['plan'], prompt });

    const job = await h.waitForJob(ns, 'impl');
    expect(agentContainer(job).args).toEqual(['Branch kelos/plan; outputs [branch: kelos/plan commit: abc]']);
    expect(h.task(ns, 'impl')?.spec.prompt).toBe(prompt);
  });

  it('invalid template falls back to the raw prompt', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'a');
    h.createTask(ns, 'b', { dependsOn: ['a'], prompt: 'Use {{ .Deps.a.Results' });
    await h.finishJob(ns, 'a');
    const job = await h.waitForJob(ns, 'b');
    expect(agentContainer(job).args).toEqual(['Use {{ .Deps.a.Results']);
  });
});
