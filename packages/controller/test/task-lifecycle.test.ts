/**
 * Task controller integration tests (spec §13.2) against the dev cluster's API server alone, the real
 * reconciler running in a Manager, Job status written by hand. Coverage of the §13.2 scenarios that apply
 * to v1alpha1, by file and test:
 *
 * | §13.2 scenario                                   | file: test                                              |
 * |--------------------------------------------------|---------------------------------------------------------|
 * | API key credentials: create Job, update status   | task-lifecycle: "api-key Task: finalizer, Job, ..."     |
 * | OAuth credentials                                | task-lifecycle: "oauth credentials"                     |
 * | Lifecycle events                                 | task-lifecycle: "api-key Task ..." (events asserted)    |
 * | Task fails                                       | task-lifecycle: "a Job Failed condition fails the Task" |
 * | Codex api-key / OAuth; OpenCode api-key          | task-lifecycle: "agent credential env" (table)          |
 * | Custom image                                     | task-workspace: "custom image with workspace"           |
 * | Spec update after creation rejected              | task-lifecycle: "spec is immutable"                     |
 * | TTL / TTL 0 / no TTL                             | task-lifecycle: "TTL ..." (three tests)                 |
 * | Workspace with ref / secretRef / without ref     | task-workspace: three tests                             |
 * | GitHub Enterprise workspace                      | task-workspace: "GitHub Enterprise"                     |
 * | Codex with workspace                             | task-workspace: "codex with workspace"                  |
 * | Nonexistent workspace                            | task-workspace: "nonexistent workspace"                 |
 * | Workspace with GitHub App secret                 | task-workspace: "GitHub App secret"                     |
 * | Workspace remotes                                | task-workspace: "workspace remotes"                     |
 * | branch + workspace (branch-setup)                | task-workspace: "branch with workspace"                 |
 * | dependsOn                                        | task-dependencies: "waits for its dependency"           |
 * | dependency fails                                 | task-dependencies: "dependency fails"                   |
 * | circular dependencies                            | task-dependencies: "circular dependencies"              |
 * | prompt template from dependency outputs/results  | task-dependencies: "prompt template"                    |
 * | same branch                                      | task-branch: "same branch waits"                        |
 * | same branch, different workspaces                | task-branch: "different workspaces"                     |
 * | spawner-style rendered branch templates          | task-branch: "rendered branches"                        |
 * | (extra) two Tasks on one branch created at once  | task-branch: "created at once"                          |
 * | (extra) branch lock survives a controller restart| task-branch: "survives a restart"                       |
 * | Multiple AgentConfigs                            | task-agentconfig: "merges several AgentConfigs"         |
 * | AgentConfig MCP secret values (v1alpha1 part)    | task-agentconfig: "MCP headersFrom/envFrom", "missing"  |
 * | (extra) plugin ConfigMap, foreign ConfigMap      | task-agentconfig: "plugins"                             |
 * | Output capture (outputs stay empty in envtest)   | task-outputs: unit tests of capture + pod log provider  |
 *
 * Not applicable to v1alpha1: MCP valueFrom / skills auth (v1alpha2), TaskBudget, WorkerPool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, envNames, eventually, settle, TASKS, TaskHarness } from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

describe('Task lifecycle', () => {
  it('api-key Task: finalizer, Job, Running, Succeeded, events, deletion', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'hello', { model: 'claude-sonnet-4', prompt: 'Say hello' });

    const job = await h.waitForJob(ns, 'hello');
    const task = h.task(ns, 'hello');
    expect(task?.metadata.finalizers).toEqual(['kelos.dev/finalizer']);
    expect(job.metadata.name).toBe('hello');
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Task', name: 'hello', uid: task?.metadata.uid, controller: true }),
    ]);
    expect(job.spec.template.spec.containers.map((c) => c.name)).toEqual(['kelos-agent']);
    const agent = agentContainer(job);
    expect(agent.command).toEqual(['/usr/bin/tini', '-g', '--', '/kelos_entrypoint.sh']);
    expect(agent.args).toEqual(['Say hello']);
    expect(envNames(agent)).toEqual(['KELOS_MODEL', 'KELOS_AGENT_TYPE', 'ANTHROPIC_API_KEY']);
    expect(agent.env?.[2]?.valueFrom?.secretKeyRef).toEqual({
      name: 'anthropic-key',
      key: 'ANTHROPIC_API_KEY',
    });
    expect(agent.image).toBe('ghcr.io/kelos-dev/claude-code:latest');

    const pending = await h.waitForPhase(ns, 'hello', 'Pending');
    expect(pending.status?.jobName).toBe('hello');
    expect(pending.status?.message).toBe('');

    h.setJobStatus(ns, 'hello', 'active');
    const running = await h.waitForPhase(ns, 'hello', 'Running');
    expect(running.status?.startTime).toBeDefined();

    h.setJobStatus(ns, 'hello', 'succeeded');
    const done = await h.waitForPhase(ns, 'hello', 'Succeeded');
    expect(done.status?.message).toBe('Task completed successfully');
    expect(done.status?.completionTime).toBeDefined();
    expect(done.status?.outputs ?? []).toEqual([]);

    const created = await h.waitForEvent(ns, 'hello', 'TaskCreated');
    expect(created).toMatchObject({ type: 'Normal', message: 'Created Job hello for task' });
    expect(created.source?.component).toBe('kelos-controller');
    expect(created.involvedObject).toMatchObject({ kind: 'Task', uid: task?.metadata.uid });
    await h.waitForEvent(ns, 'hello', 'TaskRunning');
    expect(await h.waitForEvent(ns, 'hello', 'TaskSucceeded')).toMatchObject({ type: 'Normal' });

    h.client.delete(TASKS, 'hello', { namespace: ns });
    await eventually(() => h.task(ns, 'hello') === undefined);
    await eventually(() => h.job(ns, 'hello') === undefined);
  });

  it('oauth credentials', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'oauth', { credentials: { type: 'oauth', secretRef: { name: 'claude-oauth' } } });
    const agent = agentContainer(await h.waitForJob(ns, 'oauth'));
    expect(envNames(agent)).toEqual(['KELOS_AGENT_TYPE', 'CLAUDE_CODE_OAUTH_TOKEN']);
    expect(agent.env?.[1]?.valueFrom?.secretKeyRef).toEqual({
      name: 'claude-oauth',
      key: 'CLAUDE_CODE_OAUTH_TOKEN',
    });
  });

  it.each([
    ['codex', 'api-key', 'CODEX_API_KEY'],
    ['codex', 'oauth', 'CODEX_AUTH_JSON'],
    ['opencode', 'api-key', 'OPENCODE_API_KEY'],
  ] as const)('agent credential env: %s %s -> %s', async (type, credType, env) => {
    const ns = h.namespace();
    h.createTask(ns, 'agent', { type, credentials: { type: credType, secretRef: { name: 'creds' } } });
    const agent = agentContainer(await h.waitForJob(ns, 'agent'));
    expect(agent.image).toBe(`ghcr.io/kelos-dev/${type}:latest`);
    expect(envNames(agent)).toEqual(['KELOS_AGENT_TYPE', env]);
    expect(agent.env?.[1]?.valueFrom?.secretKeyRef).toEqual({ name: 'creds', key: env });
  });

  it('a Job Failed condition fails the Task; status.failed alone does not', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'boom');
    await h.waitForJob(ns, 'boom');
    h.setJobStatus(ns, 'boom', 'active');
    await h.waitForPhase(ns, 'boom', 'Running');
    const job = structuredClone(h.client.get('jobs.batch', 'boom', ns)) as {
      status?: Record<string, unknown>;
    };
    job.status = { ...job.status, failed: 1 };
    h.client.updateStatus('jobs.batch', job as never);
    await settle();
    expect(h.task(ns, 'boom')?.status?.phase).toBe('Running');

    h.setJobStatus(ns, 'boom', 'failed');
    const failed = await h.waitForPhase(ns, 'boom', 'Failed');
    expect(failed.status?.message).toBe('Task failed');
    expect(failed.status?.completionTime).toBeDefined();
    expect(await h.waitForEvent(ns, 'boom', 'TaskFailed')).toMatchObject({
      type: 'Warning',
      message: 'Task failed',
    });
  });

  it('spec is immutable after creation', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'frozen');
    await h.waitForJob(ns, 'frozen');
    const task = structuredClone(h.client.get(TASKS, 'frozen', ns)) as unknown as {
      spec: { prompt: string };
    };
    task.spec.prompt = 'Something else';
    expect(() => h.client.update(TASKS, task as never)).toThrow(/immutable/);
  });
});

describe('TTL', () => {
  it('deletes a finished Task after ttlSecondsAfterFinished', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'ttl', { ttlSecondsAfterFinished: 1 });
    await h.finishJob(ns, 'ttl');
    expect(h.task(ns, 'ttl')).toBeDefined();
    await eventually(() => h.task(ns, 'ttl') === undefined, 5000);
    expect(h.events(ns, 'ttl').find((e) => e.reason === 'TaskExpired')?.message).toBe(
      'Deleting Task due to TTL expiration',
    );
    await eventually(() => h.job(ns, 'ttl') === undefined);
  });

  it('TTL 0 deletes the Task right after it finishes', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'ttl0', { ttlSecondsAfterFinished: 0 });
    await h.waitForJob(ns, 'ttl0');
    h.setJobStatus(ns, 'ttl0', 'succeeded');
    await eventually(() => h.task(ns, 'ttl0') === undefined, 3000);
  });

  it('keeps a finished Task without TTL', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'keep');
    await h.finishJob(ns, 'keep');
    await settle(1500);
    expect(h.task(ns, 'keep')?.status?.phase).toBe('Succeeded');
  });
});
