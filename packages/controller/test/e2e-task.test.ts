import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eCluster, startE2eCluster, WORKSPACES } from './helpers/e2e-cluster.js';
import { git } from './helpers/e2e-git.js';

/**
 * End to end on the dev cluster: the real controller, real Jobs and pods (bubblewrap), the fake agent
 * image with the real kelos-capture, git over HTTP. Only the model is fake.
 */

let e2e: E2eCluster;
let ns: string;
let repoUrl: string;

beforeAll(async () => {
  e2e = await startE2eCluster();
  ns = e2e.namespace();
  repoUrl = e2e.git.createRepo('app');
  e2e.create(WORKSPACES, {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace',
    metadata: { name: 'app', namespace: ns },
    spec: { repo: repoUrl, ref: 'main' },
  });
}, 30_000);

afterAll(async () => {
  await e2e?.stop();
});

describe.sequential('Tasks on the dev cluster', () => {
  it('runs a Task in a Workspace to Succeeded, pushes its branch and records its results', async () => {
    const prompt = 'Add a greeting';
    e2e.createTask(ns, 'greet', { prompt, workspaceRef: { name: 'app' }, branch: 'kelos/greet' });
    const task = await e2e.waitForTaskPhase(ns, 'greet', 'Succeeded', 60_000);

    const results = task.status?.results ?? {};
    const pushed = git(e2e.git.repoPath('app'), 'rev-parse', 'refs/heads/kelos/greet');
    expect(results).toMatchObject({
      branch: 'kelos/greet',
      commit: pushed,
      'base-branch': 'main',
      'cost-usd': '0.0125',
      'input-tokens': String(Buffer.byteLength(prompt)),
      'output-tokens': '17',
    });
    expect(git(e2e.git.repoPath('app'), 'show', `${pushed}:KELOS_FAKE.md`)).toBe(prompt);
    expect(task.status?.jobName).toBe('greet');
    expect(task.status?.completionTime).toBeTruthy();

    const log = await e2e.agentLog(ns, 'greet');
    expect(log).toContain('"type":"result"');
    expect(log).toContain(`commit: ${pushed}`);
    expect(log.trimEnd().endsWith('---KELOS_OUTPUTS_END---')).toBe(true);
  }, 70_000);

  it('a failing agent makes the Task Failed, with its usage still captured', async () => {
    e2e.createTask(ns, 'broken', { prompt: 'Please fail now', workspaceRef: { name: 'app' } });
    const task = await e2e.waitForTaskPhase(ns, 'broken', 'Failed', 60_000);
    expect(task.status?.message).toBe('Task failed');
    expect(task.status?.results).toMatchObject({ 'cost-usd': '0.0125', 'output-tokens': '17' });
    // The agent exited before touching the repository: main is where the seed commit left it.
    expect(git(e2e.git.repoPath('app'), 'log', '--format=%s', 'main')).toBe('Initial commit');
  }, 70_000);

  it('a dependency chain passes A’s branch into B’s prompt, and B builds on A’s pushed work', async () => {
    e2e.createTask(ns, 'plan', {
      prompt: 'Write the plan',
      workspaceRef: { name: 'app' },
      branch: 'kelos/plan',
    });
    e2e.createTask(ns, 'build', {
      dependsOn: ['plan'],
      prompt: 'Build from {{ index .Deps "plan" "Results" "branch" }}',
      workspaceRef: { name: 'app' },
      // The same branch: B's branch-setup fetches A's pushed tip and continues from it.
      branch: 'kelos/plan',
    });
    const waiting = await e2e.waitForTaskPhase(ns, 'build', 'Waiting', 20_000);
    expect(waiting.status?.message).toMatch(/dependency "plan"|branch "kelos\/plan"/);
    expect(e2e.job(ns, 'build')).toBeUndefined();

    const plan = await e2e.waitForTaskPhase(ns, 'plan', 'Succeeded', 60_000);
    const build = await e2e.waitForTaskPhase(ns, 'build', 'Succeeded', 60_000);

    const args = e2e.job(ns, 'build')?.spec.template.spec.containers[0]?.args;
    expect(args).toEqual(['Build from kelos/plan']);
    // spec.prompt keeps the template: only the Job gets the rendered text.
    expect(e2e.task(ns, 'build')?.spec.prompt).toContain('{{ index .Deps');

    const repo = e2e.git.repoPath('app');
    const tip = git(repo, 'rev-parse', 'refs/heads/kelos/plan');
    expect(build.status?.results?.commit).toBe(tip);
    expect(git(repo, 'rev-parse', `${tip}^`)).toBe(plan.status?.results?.commit);
    expect(git(repo, 'show', `${tip}:KELOS_FAKE.md`)).toBe('Write the plan\nBuild from kelos/plan');
  }, 130_000);
});
