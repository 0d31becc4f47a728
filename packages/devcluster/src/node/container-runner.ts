import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiServerEndpoint, buildContainerEnv, containerArgv } from './env.js';
import type { PodNetwork } from './field-ref.js';
import type { ResolvedImage } from './image-map.js';
import { type ContainerLog, readContainerLog } from './log-store.js';
import { type CachedObjectReader, ContainerConfigError } from './object-reader.js';
import { exitCodeOf, terminateProcessTree } from './process-tree.js';
import { spawnSandbox } from './sandbox.js';
import { rfc3339 } from './time.js';
import type { Container, ContainerStateTerminated, Pod } from './types.js';
import { containerMounts, type PodVolumes } from './volumes.js';

/** Resolves image references; ImageMap is the implementation. */
export interface ImageResolver {
  resolve(reference: string): ResolvedImage | undefined;
  notMappedMessage(reference: string): string;
}

/** A container that could not be started; `reason` is the waiting reason the kubelet reports. */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StartRequest {
  pod: Pod;
  container: Container;
  attempt: number;
  podDir: string;
  volumes: PodVolumes;
  objects: CachedObjectReader;
  images: ImageResolver;
  api: ApiServerEndpoint;
  net: PodNetwork;
  bwrapPath: string;
  /** Called once the process exists, so a failed start leaves no log file behind. */
  openLog: () => ContainerLog;
}

export interface RunningContainer {
  containerID: string;
  image: ResolvedImage;
  log: ContainerLog;
  pid: number;
  startedAt: string;
  /** Resolves with the terminated state once the process tree is gone and the log is closed. */
  exited: Promise<ContainerStateTerminated>;
  stop(graceMs: number): Promise<void>;
}

const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** The kubelet's limits for termination messages. */
const MAX_MESSAGE_BYTES = 4096;
const FALLBACK_LOG_LINES = 80;
const FALLBACK_LOG_BYTES = 2048;

export async function startContainer(req: StartRequest): Promise<RunningContainer> {
  const { container, pod } = req;
  const image = req.images.resolve(container.image ?? '');
  if (!image)
    throw new ContainerStartError('ErrImagePull', req.images.notMappedMessage(container.image ?? ''));

  let env: Map<string, string>;
  try {
    env = await buildContainerEnv({
      pod,
      container,
      image,
      objects: req.objects,
      api: req.api,
      net: req.net,
    });
  } catch (err) {
    if (err instanceof ContainerConfigError) throw new ContainerStartError(err.reason, err.message);
    throw new ContainerStartError('CreateContainerConfigError', (err as Error).message);
  }
  const argv = containerArgv(container, image, env);
  if (argv.length === 0) throw new ContainerStartError('CreateContainerError', 'no command specified');
  let mounts: ReturnType<typeof containerMounts>;
  try {
    mounts = containerMounts(container, req.volumes);
  } catch (err) {
    throw new ContainerStartError('CreateContainerError', (err as Error).message);
  }

  const attemptDir = join(req.podDir, 'containers', container.name, String(req.attempt));
  mkdirSync(attemptDir, { recursive: true });
  const terminationLog = join(attemptDir, 'termination-log');
  writeFileSync(terminationLog, '');

  const child = spawnSandbox({
    bwrapPath: req.bwrapPath,
    imageRoot: image.root,
    argv,
    env,
    workingDir: container.workingDir ?? image.workingDir ?? '/',
    mounts,
    hostPaths: image.hostPaths ?? [],
    hostname: pod.spec.hostname ?? pod.metadata.name ?? 'pod',
    terminationLog: {
      source: terminationLog,
      target: container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH,
    },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new ContainerStartError('RunContainerError', err.message)));
  });
  const pid = child.pid ?? 0;
  const log = req.openLog();
  // The pipes stay paused until these listeners attach, so no output is lost.
  child.stdout?.on('data', (chunk: Buffer) => log.write('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.write('stderr', chunk));

  const containerID = `devcluster://${randomBytes(32).toString('hex')}`;
  const startedAt = rfc3339();
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const exited = closed.then(async ({ code, signal }) => {
    log.close();
    const exitCode = exitCodeOf(code, signal);
    const message = await terminationMessage(container, terminationLog, exitCode, log);
    const state: ContainerStateTerminated = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt: rfc3339(),
      containerID,
    };
    if (message) state.message = message;
    return state;
  });
  return {
    containerID,
    image,
    log,
    pid,
    startedAt,
    exited,
    stop: (graceMs) => terminateProcessTree(pid, exited, graceMs),
  };
}

/** The terminationMessagePath file, or with FallbackToLogsOnError the log's tail after a failure. */
async function terminationMessage(
  container: Container,
  file: string,
  exitCode: number,
  log: ContainerLog,
): Promise<string> {
  const buf = Buffer.alloc(MAX_MESSAGE_BYTES);
  const fd = openSync(file, 'r');
  const n = readSync(fd, buf, 0, MAX_MESSAGE_BYTES, 0);
  closeSync(fd);
  if (n > 0) return buf.subarray(0, n).toString('utf8');
  if (container.terminationMessagePolicy !== 'FallbackToLogsOnError' || exitCode === 0) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of readContainerLog(log, { tailLines: FALLBACK_LOG_LINES })) chunks.push(chunk);
  const tail = Buffer.concat(chunks);
  return tail.subarray(Math.max(0, tail.length - FALLBACK_LOG_BYTES)).toString('utf8');
}
