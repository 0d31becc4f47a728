/**
 * AgentConfig integration tests (spec §13.2, §3.2 steps 2 and 5; the full coverage table is in
 * task-lifecycle.test.ts): several AgentConfigs merged, MCP headersFrom/envFrom resolved (Secret values
 * win over inline), a missing MCP Secret fails the Task naming it, a missing AgentConfig is waited for,
 * plugins get an owned `<task>-plugins` ConfigMap and a foreign one is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, envValue, settle, TaskHarness } from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

describe('AgentConfig', () => {
  it('merges several AgentConfigs in order', async () => {
    const ns = h.namespace();
    h.agentConfig(ns, 'style', { agentsMD: '# Style\nUse tabs.' });
    h.agentConfig(ns, 'tests', { agentsMD: '# Tests\nRun make test.' });
    h.createTask(ns, 'merged', { agentConfigRefs: [{ name: 'style' }, { name: 'tests' }] });
    const agent = agentContainer(await h.waitForJob(ns, 'merged'));
    expect(envValue(agent, 'KELOS_AGENTS_MD')).toBe('# Style\nUse tabs.\n\n# Tests\nRun make test.');
  });

  it('waits for a missing AgentConfig without changing the phase', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'later', { agentConfigRef: { name: 'cfg' } });
    await settle(1000);
    expect(h.job(ns, 'later')).toBeUndefined();
    expect(h.task(ns, 'later')?.status?.phase ?? '').toBe('');
    h.agentConfig(ns, 'cfg', { agentsMD: 'hi' });
    // No watch maps AgentConfigs to Tasks: the 2 s requeue finds it.
    await h.waitForJob(ns, 'later', 4000);
  });

  it('MCP headersFrom/envFrom Secrets become literal values, winning over inline ones', async () => {
    const ns = h.namespace();
    h.secret(ns, 'mcp-headers', { Authorization: 'Bearer from-secret' });
    h.secret(ns, 'mcp-env', { API_TOKEN: 'tok-123' });
    h.agentConfig(ns, 'mcp', {
      mcpServers: [
        {
          name: 'remote',
          type: 'http',
          url: 'https://mcp.example.com',
          headers: { Authorization: 'inline', 'X-Team': 'a' },
          headersFrom: { secretRef: { name: 'mcp-headers' } },
        },
        { name: 'local', type: 'stdio', command: 'mcp-local', envFrom: { secretRef: { name: 'mcp-env' } } },
      ],
    });
    h.createTask(ns, 'mcp', { agentConfigRef: { name: 'mcp' } });
    const agent = agentContainer(await h.waitForJob(ns, 'mcp'));
    expect(JSON.parse(envValue(agent, 'KELOS_MCP_SERVERS') ?? '{}')).toEqual({
      mcpServers: {
        remote: {
          type: 'http',
          url: 'https://mcp.example.com',
          headers: { Authorization: 'Bearer from-secret', 'X-Team': 'a' },
        },
        local: { type: 'stdio', command: 'mcp-local', env: { API_TOKEN: 'tok-123' } },
      },
    });
  });

  it('a missing MCP Secret fails the Task naming it, without the values of others', async () => {
    const ns = h.namespace();
    h.agentConfig(ns, 'mcp', {
      mcpServers: [
        { name: 'remote', type: 'sse', url: 'https://x', headersFrom: { secretRef: { name: 'nope' } } },
      ],
    });
    h.createTask(ns, 'mcp-missing', { agentConfigRef: { name: 'mcp' } });
    const failed = await h.waitForPhase(ns, 'mcp-missing', 'Failed');
    expect(failed.status?.message).toBe(
      'Failed to resolve MCP server secret: MCP server "remote": headersFrom Secret "nope" not found',
    );
    const event = await h.waitForEvent(ns, 'mcp-missing', 'MCPSecretFailed');
    expect(event).toMatchObject({ type: 'Warning', message: failed.status?.message });
    expect(h.job(ns, 'mcp-missing')).toBeUndefined();
  });

  it('plugins: an owned <task>-plugins ConfigMap mounted by the Job', async () => {
    const ns = h.namespace();
    h.agentConfig(ns, 'plug', {
      plugins: [{ name: 'review', skills: [{ name: 'lint', content: 'Run the linter.' }] }],
    });
    h.createTask(ns, 'plugged', { agentConfigRef: { name: 'plug' } });
    const job = await h.waitForJob(ns, 'plugged');
    const cm = h.find('configmaps', ns, 'plugged-plugins') as {
      data: Record<string, string>;
      metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
    };
    expect(cm.data).toEqual({ 'p0-s0': 'Run the linter.' });
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Task', name: 'plugged', controller: true }),
    ]);
    expect(job.spec.template.spec.volumes?.find((v) => v.name === 'kelos-plugin-src')?.configMap?.name).toBe(
      'plugged-plugins',
    );
    expect(envValue(agentContainer(job), 'KELOS_PLUGIN_DIR')).toBe('/kelos/plugin');
  });

  it('plugins: a ConfigMap of that name not owned by the Task is refused', async () => {
    const ns = h.namespace();
    h.create('configmaps', ns, 'taken-plugins', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { mine: 'yes' },
    });
    h.agentConfig(ns, 'plug', { plugins: [{ name: 'p', agents: [{ name: 'a', content: 'x' }] }] });
    h.createTask(ns, 'taken', { agentConfigRef: { name: 'plug' } });
    const failed = await h.waitForPhase(ns, 'taken', 'Failed');
    expect(failed.status?.message).toBe(
      'Failed to reconcile plugin ConfigMap: ConfigMap "taken-plugins" already exists and is not owned by this Task',
    );
    expect((await h.waitForEvent(ns, 'taken', 'PluginConfigMapFailed')).type).toBe('Warning');
    expect((h.find('configmaps', ns, 'taken-plugins') as unknown as { data: object }).data).toEqual({
      mine: 'yes',
    });
  });

  it('an invalid configuration fails the build', async () => {
    const ns = h.namespace();
    h.agentConfig(ns, 'bad', { plugins: [{ name: 'bad/name' }] });
    h.createTask(ns, 'badbuild', { agentConfigRef: { name: 'bad' } });
    const failed = await h.waitForPhase(ns, 'badbuild', 'Failed');
    expect(failed.status?.message).toMatch(/^Failed to build Job: invalid plugin configuration: /);
    expect((await h.waitForEvent(ns, 'badbuild', 'JobBuildFailed')).type).toBe('Warning');
  });
});
