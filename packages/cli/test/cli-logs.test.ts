import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { badRequest, type PodLogOptions } from '@kelos/devcluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, Cluster, MAIN } from './cli-harness.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/logs/${name}`, import.meta.url)));
const JSONL = fixture('claude-code.jsonl');
const STDOUT = fixture('claude-code.stdout.txt').toString();
/** The log without its output block, so that only the Task's status can show the outputs. */
const NO_BLOCK = Buffer.from(
  JSONL.toString().replace(/---KELOS_OUTPUTS_START---[\s\S]*---KELOS_OUTPUTS_END---\n/, ''),
);

type Serve = (opts: PodLogOptions, out: NodeJS.WritableStream, signal: AbortSignal) => Promise<void>;

let cluster: Cluster;
/** What each pod's log serves; a pod without an entry is "waiting to start" (400). */
const served = new Map<string, Serve>();
const requests: { pod: string; opts: PodLogOptions }[] = [];

function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Writes `parts` with a pause between them, then ends, or hangs until the client leaves (`hang`). */
function serveParts(parts: Buffer[], pauseMs = 0, hang = false): Serve {
  return async (_opts, out, signal) => {
    for (const part of parts) {
      if (signal.aborted) return;
      out.write(part);
      if (pauseMs) await sleep(pauseMs);
    }
    if (hang) await whenAborted(signal);
  };
}

function split(buffer: Buffer, pieces: number): Buffer[] {
  const lines = buffer.toString().split(/(?<=\n)/);
  const size = Math.ceil(lines.length / pieces);
  const parts: Buffer[] = [];
  for (let i = 0; i < lines.length; i += size) parts.push(Buffer.from(lines.slice(i, i + size).join('')));
  return parts;
}

function createTask(name: string, status?: Record<string, unknown>): void {
  cluster.api.client.create('tasks.kelos.dev', {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: 'default' },
    spec: { type: 'claude-code', prompt: 'p', credentials: { type: 'none' } },
  });
  if (status) setTaskStatus(name, status);
}

function setTaskStatus(name: string, status: Record<string, unknown>): void {
  const task = cluster.api.client.get('tasks.kelos.dev', name, 'default');
  cluster.api.client.updateStatus('tasks.kelos.dev', { ...task, status });
}

function createPod(name: string, task: string, state: 'running' | 'terminated' | 'waiting'): void {
  cluster.api.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { 'kelos.dev/task': task } },
    spec: { containers: [{ name: 'kelos-agent', image: 'agent' }] },
  });
  const pod = cluster.api.client.get('pods', name, 'default');
  const states = {
    running: { running: { startedAt: new Date().toISOString() } },
    terminated: { terminated: { exitCode: 0 } },
    waiting: { waiting: { reason: 'ContainerCreating' } },
  };
  cluster.api.client.updateStatus('pods', {
    ...pod,
    status: {
      phase: state === 'waiting' ? 'Pending' : state === 'running' ? 'Running' : 'Succeeded',
      containerStatuses: [
        {
          name: 'kelos-agent',
          ready: state === 'running',
          restartCount: 0,
          image: 'agent',
          imageID: '',
          state: states[state],
        },
      ],
    },
  });
}

/** Polls until `check` holds (the CLI's progress is watched, not guessed with fixed sleeps). */
async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The CLI as a running process, with its stderr readable while it runs. */
function start(args: string[]): { stderr: () => string; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [MAIN, ...args], { env: cluster.env() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return { stderr: () => stderr, done };
}

beforeAll(async () => {
  cluster = await Cluster.start();
  cluster.api.setPodLogProvider({
    async streamLog(_ns, pod, opts, out, signal) {
      requests.push({ pod, opts });
      const serve = served.get(pod);
      if (!serve)
        throw badRequest(`container "kelos-agent" in pod "${pod}" is waiting to start: ContainerCreating`);
      await serve(opts, out, signal);
    },
  });
});

afterAll(async () => {
  await cluster.stop();
});

describe('kelos logs', () => {
  it('renders a finished claude-code log, and --raw prints its exact bytes', async () => {
    createTask('done', { phase: 'Succeeded', podName: 'done-pod' });
    createPod('done-pod', 'done', 'terminated');
    served.set('done-pod', serveParts([JSONL]));

    const rendered = await cluster.run(['logs', 'done', '--no-color']);
    expect(rendered.stderr).not.toContain('Error');
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toBe(STDOUT);
    expect(rendered.stderr).toContain('--- Turn 7 ---');
    expect(rendered.stderr).toContain('[result] completed (7 turns, $0.1084)');
    expect(rendered.stderr).toContain('  branch: kelos/fix-parse');
    expect(rendered.stderr).not.toContain('\u001b[');
    expect(rendered.stderr.trimEnd().endsWith('task/done Succeeded')).toBe(true);
    expect(requests.at(-1)).toMatchObject({
      pod: 'done-pod',
      opts: { container: 'kelos-agent', follow: false },
    });

    const raw = await cluster.run(['logs', 'done', '--raw']);
    expect(raw.code).toBe(0);
    expect(Buffer.from(raw.stdout)).toEqual(JSONL);
  });

  it('fails like kubectl for a missing Task', async () => {
    const r = await cluster.run(['logs', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): tasks.kelos.dev "x" not found');
    expect(r.stdout).toBe('');
  });

  it('waits for a pod that appears later, through 400s while the container starts, and follows it', async () => {
    createTask('late', { phase: 'Pending' });
    const run = start(['logs', 'late', '-f', '--no-color']);
    await waitFor(() => run.stderr().includes('Waiting for task "late" to start...'), 'the waiting line');
    // The pod exists but its container is still being created; then it runs, but the log 400s once more.
    setTaskStatus('late', { phase: 'Running', podName: 'late-pod' });
    createPod('late-pod', 'late', 'waiting');
    await waitFor(() => run.stderr().includes('task/late Running'), 'the phase change');
    await sleep(500);
    createPod('late-pod-x', 'other', 'running'); // another task's pod is never picked
    cluster.api.client.delete('pods', 'late-pod', { namespace: 'default' });
    createPod('late-pod', 'late', 'running');
    await waitFor(() => requests.some((q) => q.pod === 'late-pod'), 'a log request that gets a 400');
    served.set('late-pod', serveParts(split(JSONL, 4), 300));
    setTimeout(() => {
      setTaskStatus('late', { phase: 'Succeeded', podName: 'late-pod' });
    }, 600);
    const r = await run.done;
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Waiting for task "late" to start...');
    expect(r.stderr).toContain('task/late Running');
    expect(r.stderr).not.toContain('BadRequest');
    expect(r.stdout).toBe(STDOUT);
    expect(r.stderr).toContain('[result] completed (7 turns, $0.1084)');
    expect(requests.some((q) => q.pod === 'late-pod-x')).toBe(false);
  });

  it('follows across a pod replacement and ends with the outputs from the status', async () => {
    createTask('moved', { phase: 'Running', podName: 'moved-a' });
    createPod('moved-a', 'moved', 'running');
    const [first, ...rest] = split(NO_BLOCK, 3);
    served.set('moved-a', serveParts([first as Buffer], 0, true));
    served.set('moved-b', serveParts(rest, 300));
    const run = start(['logs', 'moved', '-f', '--no-color']);
    await waitFor(() => run.stderr().includes('--- Turn 1 ---'), "the first pod's log");
    // The first pod is deleted mid-stream (its stream never ends by itself); the Job makes a new one.
    cluster.api.client.delete('pods', 'moved-a', { namespace: 'default' });
    createPod('moved-b', 'moved', 'running');
    setTaskStatus('moved', { phase: 'Running', podName: 'moved-b' });
    await waitFor(() => run.stderr().includes('replaced by moved-b'), 'the switch to the new pod');
    setTaskStatus('moved', {
      phase: 'Succeeded',
      podName: 'moved-b',
      outputs: ['branch: kelos/from-status', 'response: aGk='],
      results: { branch: 'kelos/from-status', response: 'aGk=' },
    });
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Pod moved-a was replaced by moved-b; streaming its log...');
    expect(r.stdout).toContain('All tests pass');
    expect(r.stderr).toContain('[result] completed (7 turns, $0.1084)');
    expect(r.stderr).toMatch(/\[outputs\]\n {2}branch: kelos\/from-status\n\ntask\/moved Succeeded\n$/);
    expect(r.stderr).not.toContain('response');
  });
});
