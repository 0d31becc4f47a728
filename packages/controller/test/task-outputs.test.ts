/**
 * Output capture (spec §3.3, §6): the capture function against a fake log reader, the retry window, pod
 * choice, and the reconciler end to end with hand-made pod objects whose logs the API server's pod-log
 * hook serves (no node runs them here). The run of a real agent image through capture comes with the dev
 * cluster's node. The full §13.2 coverage table is in task-lifecycle.test.ts.
 */
import type { PodLogProvider } from '@kelos/devcluster';
import { formatOutputBlock } from '@kelos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../src/runtime/metrics.js';
import type { CachedPod } from '../src/task/context.js';
import { captureOutputs, type PodLogRequest } from '../src/task/outputs.js';
import { awaitingOutputs, newestPod, OUTPUT_RETRY_WINDOW_MS } from '../src/task/update-status.js';
import { eventually, TaskHarness } from './helpers/task-harness.js';

const BLOCK = formatOutputBlock([
  'branch: kelos/fix',
  'commit: 0123456789abcdef0123456789abcdef01234567',
  'cost-usd: 0.25',
  'input-tokens: 1200',
  'output-tokens: 300',
]);

describe('captureOutputs', () => {
  it('reads the last 50 lines of kelos-agent and parses the block', async () => {
    const requests: PodLogRequest[] = [];
    const captured = await captureOutputs(
      async (req) => {
        requests.push(req);
        return `{"type":"result"}\n${BLOCK}`;
      },
      'team',
      'task-abc',
    );
    expect(requests).toEqual([
      { namespace: 'team', pod: 'task-abc', container: 'kelos-agent', tailLines: 50 },
    ]);
    expect(captured?.outputs).toHaveLength(5);
    expect(captured?.results).toMatchObject({ branch: 'kelos/fix', 'cost-usd': '0.25' });
  });

  it('captures nothing without a pod, a readable log or a block', async () => {
    const never = async () => {
      throw new Error('must not be called');
    };
    expect(await captureOutputs(never, 'ns', undefined)).toBeUndefined();
    expect(await captureOutputs(never, 'ns', 'pod')).toBeUndefined();
    expect(await captureOutputs(async () => 'no markers here\n', 'ns', 'pod')).toBeUndefined();
  });

  it('keeps lines without a key in outputs only', async () => {
    const captured = await captureOutputs(async () => formatOutputBlock(['just text']), 'ns', 'pod');
    expect(captured).toEqual({ outputs: ['just text'], results: {} });
  });
});

describe('retry window and pod choice', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  it('retries only a finished Task without outputs, within 30 s of completion', () => {
    const done = (completionTime: string, extra = {}) => ({
      phase: 'Succeeded' as const,
      completionTime,
      ...extra,
    });
    expect(awaitingOutputs(done('2026-01-01T00:00:45Z'), now)).toBe(true);
    expect(awaitingOutputs(done('2026-01-01T00:00:30Z'), now)).toBe(false);
    expect(awaitingOutputs(done('2026-01-01T00:00:45Z', { outputs: ['a'] }), now)).toBe(false);
    expect(awaitingOutputs(done('2026-01-01T00:00:45Z', { results: { a: 'b' } }), now)).toBe(false);
    expect(awaitingOutputs({ phase: 'Running' }, now)).toBe(false);
    expect(OUTPUT_RETRY_WINDOW_MS).toBe(30_000);
  });

  it('picks the newest pod by creationTimestamp, then name', () => {
    const pod = (name: string, creationTimestamp: string) =>
      ({ metadata: { name, creationTimestamp } }) as CachedPod;
    const pods = [
      pod('t-b', '2026-01-01T00:00:01Z'),
      pod('t-c', '2026-01-01T00:00:02Z'),
      pod('t-a', '2026-01-01T00:00:02Z'),
    ];
    expect(newestPod(pods)?.metadata?.name).toBe('t-c');
    expect(newestPod([])).toBeUndefined();
  });
});

describe('output capture through the reconciler', () => {
  const h = new TaskHarness();
  const logs = new Map<string, string>();
  const provider: PodLogProvider = {
    async streamLog(namespace, pod, opts, out) {
      const text = logs.get(`${namespace}/${pod}/${opts.container}`) ?? '';
      out.write(
        text
          .split('\n')
          .slice(-(opts.tailLines ?? 0) - 1)
          .join('\n'),
      );
    },
  };

  beforeAll(async () => {
    await h.start();
    h.cluster.api.setPodLogProvider(provider);
  });
  afterAll(() => h.stop());

  function pod(ns: string, task: string, name: string): void {
    h.create('pods', ns, name, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { 'kelos.dev/task': task } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'kelos-agent', image: 'agent' }] },
    });
  }

  it('stores outputs and results, records podName, the event and the usage metrics', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'cap', { model: 'opus' }, { 'kelos.dev/taskspawner': 'triage' });
    await h.waitForJob(ns, 'cap');
    pod(ns, 'cap', 'cap-xyz12');
    logs.set(`${ns}/cap-xyz12/kelos-agent`, `agent says hi\n${BLOCK}`);
    await eventually(() => h.task(ns, 'cap')?.status?.podName === 'cap-xyz12');

    const done = await h.finishJob(ns, 'cap');
    const task = await eventually(() => (h.task(ns, 'cap')?.status?.outputs ? h.task(ns, 'cap') : undefined));
    expect(done.status?.phase).toBe('Succeeded');
    expect(task.status?.outputs?.[0]).toBe('branch: kelos/fix');
    expect(task.status?.results).toMatchObject({ branch: 'kelos/fix', 'input-tokens': '1200' });
    expect((await h.waitForEvent(ns, 'cap', 'OutputsCaptured')).message).toBe(
      'Captured 5 outputs and 5 results from agent',
    );
    const text = await registry.metrics();
    const labels = `namespace="${ns}",type="claude-code",spawner="triage",model="opus"`;
    expect(text).toContain(`kelos_task_cost_usd_total{${labels}} 0.25`);
    expect(text).toContain(`kelos_task_input_tokens_total{${labels}} 1200`);
    expect(text).toContain(`kelos_task_output_tokens_total{${labels}} 300`);
    expect(text).toContain(
      `kelos_task_completed_total{namespace="${ns}",type="claude-code",phase="Succeeded"} 1`,
    );
    expect(text).toContain(`kelos_task_created_total{namespace="${ns}",type="claude-code"} 1`);
  });

  it('retries capture while the log has no block yet, within 30 s of completion', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'late');
    await h.waitForJob(ns, 'late');
    pod(ns, 'late', 'late-1');
    logs.set(`${ns}/late-1/kelos-agent`, 'still flushing\n');
    await h.finishJob(ns, 'late');
    expect(h.task(ns, 'late')?.status?.outputs).toBeUndefined();
    logs.set(`${ns}/late-1/kelos-agent`, `still flushing\n${BLOCK}`);
    await eventually(() => h.task(ns, 'late')?.status?.outputs?.length === 5, 8000);
  });
});
