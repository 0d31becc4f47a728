import { PassThrough } from 'node:stream';
import { OUTPUTS_START_MARKER, type Task } from '@kelos/shared';
import { Log, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import type { Command } from 'commander';
import type { LogsOptions } from '../commands/logs.js';
import { CommandContext, note } from '../context.js';
import { CliError } from '../errors.js';
import type { Kube } from '../kube/client.js';
import { apiStatus, isNotFound } from '../kube/errors.js';
import type { KelosClient } from '../kube/kelos.js';
import type { Style } from '../logs/index.js';
import { OrderedWriter } from './writer.js';

/** The agent's container in a Task's pod (cli spec §9). */
export const AGENT_CONTAINER = 'kelos-agent';
export const TASK_LABEL = 'kelos.dev/task';
const POLL_MS = 1000;
/** How long opening the log may keep failing with 400 once the container is reported started. */
const MAX_BAD_REQUESTS = 30;
const TERMINAL = new Set(['Succeeded', 'Failed']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function phaseOf(task: Task): string {
  return task.status?.phase ?? '';
}

function isTerminal(task: Task): boolean {
  return TERMINAL.has(phaseOf(task));
}

/** The container to read: `kelos-agent`, else (older pods) the one named after the agent type, else the first. */
function containerName(pod: V1Pod, task: Task): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (names.includes(AGENT_CONTAINER) || names.length === 0) return AGENT_CONTAINER;
  return names.includes(task.spec.type) ? task.spec.type : (names[0] as string);
}

function containerStatus(pod: V1Pod, container: string): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === container);
}

/** Whether the container has a log to read: it has run, or runs now. */
function hasStarted(pod: V1Pod, container: string): boolean {
  const state = containerStatus(pod, container)?.state;
  if (state?.running || state?.terminated) return true;
  const phase = pod.status?.phase;
  return !state?.waiting && (phase === 'Succeeded' || phase === 'Failed');
}

/** What one container run is: the same pod and restart count means the same log file. */
function runKey(pod: V1Pod, container: string): string {
  return `${pod.metadata?.uid ?? pod.metadata?.name}/${containerStatus(pod, container)?.restartCount ?? 0}`;
}

function newest(pods: V1Pod[]): V1Pod | undefined {
  const time = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  return pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort((a, b) => time(b) - time(a) || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? ''))[0];
}

class LogSession {
  private readonly log: Log;
  private task: Task;
  private shownOutputs = false;
  private markerCarry = '';

  constructor(
    private readonly kube: Kube,
    private readonly kelos: KelosClient,
    private readonly namespace: string,
    private readonly name: string,
    private readonly follow: boolean,
    task: Task,
    private readonly debug: (message: string) => void,
  ) {
    this.log = new Log(kube.config);
    this.task = task;
  }

  get finalTask(): Task {
    return this.task;
  }

  get logShowedOutputs(): boolean {
    return this.shownOutputs;
  }

  private async refreshTask(): Promise<Task> {
    this.task = await this.kelos.get('Task', this.namespace, this.name);
    return this.task;
  }

  /** `status.podName` when that pod still exists, else the newest pod labelled with the Task. */
  private async findPod(): Promise<V1Pod | undefined> {
    const named = this.task.status?.podName;
    if (named) {
      try {
        const pod = await this.kube.core.readNamespacedPod({ name: named, namespace: this.namespace });
        if (!pod.metadata?.deletionTimestamp) return pod;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const list = await this.kube.core.listNamespacedPod({
      namespace: this.namespace,
      labelSelector: `${TASK_LABEL}=${this.name}`,
    });
    return newest(list.items);
  }

  /**
   * Waits until the Task has a pod whose agent container has started and is not the run already
   * read to its end (`done`), printing what it waits for on stderr. Undefined: nothing (more) to read.
   */
  private async nextPod(done: string | undefined): Promise<{ pod: V1Pod; container: string } | undefined> {
    let announced = false;
    let lastPhase = phaseOf(this.task);
    for (let first = true; ; first = false) {
      if (!first) await this.refreshTask();
      const phase = phaseOf(this.task);
      // A terminal phase is the summary's last line; saying it here too would repeat it.
      if (announced && phase !== lastPhase && !TERMINAL.has(phase)) {
        note(`task/${this.name} ${phase || 'Pending'}`);
      }
      lastPhase = phase;
      const pod = await this.findPod();
      // The run just read ended well: the Task is about to succeed, no other pod is coming.
      let doneSucceeded = false;
      if (pod) {
        const container = containerName(pod, this.task);
        const started = hasStarted(pod, container);
        const key = runKey(pod, container);
        const terminated = containerStatus(pod, container)?.state?.terminated;
        const again = key === done && !terminated && !isTerminal(this.task);
        if (started && (key !== done || again)) return { pod, container };
        doneSucceeded = key === done && terminated?.exitCode === 0;
      }
      if (isTerminal(this.task)) {
        if (done !== undefined) return undefined;
        if (phase === 'Failed') {
          throw new CliError(
            `task "${this.name}" failed before starting: ${this.task.status?.message || 'unknown error'}`,
          );
        }
        throw new CliError(`task "${this.name}" has no live pod (task phase: ${phase})`);
      }
      if (done !== undefined && !this.follow) return undefined;
      if (!announced && !doneSucceeded) {
        note(
          done === undefined
            ? `Waiting for task "${this.name}" to start...`
            : `Waiting for the next pod of task "${this.name}"...`,
        );
        announced = true;
      }
      await sleep(POLL_MS);
    }
  }

  /** Every byte of the agent log, across reconnections, container restarts and pod replacements. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    let current: string | undefined;
    let podName: string | undefined;
    let offset = 0;
    let badRequests = 0;
    let endsLine = true;
    for (;;) {
      const next = await this.nextPod(current);
      if (!next) return;
      const { pod, container } = next;
      const key = runKey(pod, container);
      if (key !== current) {
        if (current !== undefined) {
          const name = pod.metadata?.name ?? '';
          note(
            name === podName
              ? `Container ${container} of pod ${name} restarted; streaming its log...`
              : `Pod ${podName} was replaced by ${name}; streaming its log...`,
          );
          if (!endsLine) yield Buffer.from('\n');
        } else if (this.follow) note(`Streaming container (${container}) logs...`);
        current = key;
        podName = pod.metadata?.name;
        offset = 0;
      }
      const opened = await this.open(pod, container);
      if (!opened) {
        // 400 while the container starts (spec README, pain point 1): wait and retry, never fail at once.
        if (++badRequests > MAX_BAD_REQUESTS) {
          throw new CliError(`the log of pod ${podName} (container ${container}) stayed unavailable`);
        }
        await sleep(POLL_MS);
        continue;
      }
      badRequests = 0;
      // A reopened stream starts again at the beginning: skip what was already shown.
      let skip = offset;
      try {
        for await (const raw of opened.stream as AsyncIterable<Buffer>) {
          let chunk = raw;
          if (skip > 0) {
            const n = Math.min(skip, chunk.length);
            skip -= n;
            chunk = chunk.subarray(n);
            if (chunk.length === 0) continue;
          }
          offset += chunk.length;
          this.watchMarker(chunk);
          endsLine = chunk[chunk.length - 1] === 0x0a;
          yield chunk;
        }
      } finally {
        opened.stop();
      }
      if (!this.follow) return;
      await this.refreshTask();
      this.debug(`log stream of ${podName} ended; task phase ${phaseOf(this.task) || 'Pending'}`);
      // A follow stream that ended while the Task runs on: reopen it, or wait for the next pod.
      if (!isTerminal(this.task) && opened.ended === 'eof') await sleep(POLL_MS);
    }
  }

  private watchMarker(chunk: Buffer): void {
    if (this.shownOutputs) return;
    const text = this.markerCarry + chunk.toString('latin1');
    if (text.includes(OUTPUTS_START_MARKER)) this.shownOutputs = true;
    this.markerCarry = text.slice(-OUTPUTS_START_MARKER.length);
  }

  /**
   * Opens the container log; undefined on a 400 (the container is not ready). With `-f`, a monitor
   * ends the stream when the pod is deleted or replaced, which a follow stream may not notice.
   */
  private async open(
    pod: V1Pod,
    container: string,
  ): Promise<{ stream: PassThrough; stop: () => void; ended: 'eof' | 'replaced' } | undefined> {
    const name = pod.metadata?.name ?? '';
    const stream = new PassThrough();
    let controller: AbortController;
    try {
      controller = await this.log.log(this.namespace, name, container, stream, { follow: this.follow });
    } catch (err) {
      // client-node's Log keeps only the HTTP code of a failed log request, not its Status body.
      const code = apiStatus(err)?.code ?? (err as { code?: unknown }).code;
      this.debug(`opening the log of ${name}: ${(err as Error).message.split('\n')[0]} (${String(code)})`);
      if (code === 400) return undefined;
      if (code === 404 && this.follow) return undefined;
      throw err;
    }
    const result = { stream, stop: () => {}, ended: 'eof' as 'eof' | 'replaced' };
    if (!this.follow) return result;
    const uid = pod.metadata?.uid;
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.replaced(name, uid)
        .then((gone) => {
          if (!gone) return;
          this.debug(`pod ${name} was deleted or replaced; closing its log stream`);
          result.ended = 'replaced';
          controller.abort();
          stream.end();
        })
        .catch((err: unknown) => this.debug(`checking pod ${name}: ${(err as Error).message}`))
        .finally(() => {
          checking = false;
        });
    }, POLL_MS);
    result.stop = () => {
      clearInterval(timer);
      controller.abort();
    };
    return result;
  }

  /** Whether the pod is gone, being deleted, or no longer the Task's newest. */
  private async replaced(name: string, uid: string | undefined): Promise<boolean> {
    let pod: V1Pod;
    try {
      pod = await this.kube.core.readNamespacedPod({ name, namespace: this.namespace });
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
    if (pod.metadata?.deletionTimestamp || (uid && pod.metadata?.uid !== uid)) return true;
    await this.refreshTask();
    const newer = await this.findPod();
    return newer !== undefined && newer.metadata?.name !== name;
  }
}

/** The outputs of a terminal Task from its status, unless the log already showed its output block. */
function writeSummary(
  task: Task,
  name: string,
  showedOutputs: boolean,
  style: Style,
  writer: OrderedWriter,
): void {
  const phase = phaseOf(task);
  if (!TERMINAL.has(phase)) return;
  if (!showedOutputs) {
    const lines =
      task.status?.outputs ?? Object.entries(task.status?.results ?? {}).map(([k, v]) => `${k}: ${v}`);
    const shown = lines.filter((l) => l.trim() !== '' && !l.startsWith('response: '));
    if (shown.length > 0) {
      writer.write(`\n${style.bold('[outputs]')}\n`, 'stderr');
      for (const line of shown) {
        const at = line.indexOf(': ');
        const text = at > 0 ? `${style.dim(`${line.slice(0, at)}:`)} ${line.slice(at + 2)}` : line;
        writer.write(`  ${text}\n`, 'stderr');
      }
    }
  }
  const message = phase === 'Failed' && task.status?.message ? `: ${task.status.message}` : '';
  const colour = phase === 'Succeeded' ? style.green : style.red;
  writer.write(`\n${colour(`task/${name} ${phase}`)}${message}\n`, 'stderr');
}

export async function runLogs(command: Command, name: string, options: LogsOptions): Promise<void> {
  const ctx = new CommandContext(command);
  const [kelos, kube, lib] = await Promise.all([ctx.kelos(), ctx.kube(), import('../logs/index.js')]);
  const namespace = await ctx.namespace();
  const task = await kelos.get('Task', namespace, name);
  const follow = options.follow === true;
  const session = new LogSession(kube, kelos, namespace, name, follow, task, (m) => ctx.debug(m));
  const writer = new OrderedWriter();
  const style: Style = ctx.globals.color ? await ctx.style('stderr') : lib.plainStyle;
  try {
    if (options.raw) {
      for await (const chunk of session.chunks()) {
        writer.writeBytes(chunk);
        await writer.drain();
      }
    } else {
      await lib.renderLogBytes(
        (async function* () {
          for await (const chunk of session.chunks()) {
            yield chunk;
            await writer.drain();
          }
        })(),
        task.spec.type,
        style,
        writer.write,
      );
    }
    writeSummary(session.finalTask, name, session.logShowedOutputs, style, writer);
  } finally {
    await writer.drain();
  }
}
