import type { Container, ContainerStatus, PodCondition, PodSpec, PodStatus } from './types.js';

/** An init container with `restartPolicy: Always` is a native sidecar. */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function statusOf(list: ContainerStatus[], name: string): ContainerStatus | undefined {
  return list.find((s) => s.name === name);
}

function hasAnyRegularContainerStarted(spec: PodSpec, statuses: ContainerStatus[]): boolean {
  return spec.containers.some((c) => {
    const s = statusOf(statuses, c.name);
    // A terminated state without startedAt is one the node made up for a container that never ran.
    return s !== undefined && (s.state.running !== undefined || s.state.terminated?.startedAt !== undefined);
  });
}

/** The kubelet's getPhase (pkg/kubelet/kubelet_pods.go), sidecar rules included. */
export function getPhase(
  spec: PodSpec,
  init: ContainerStatus[],
  regular: ContainerStatus[],
  podIsTerminal: boolean,
): string {
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = statusOf(init, c.name);
    if (!s || s.state.running) pendingInitialization++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.lastState.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
    } else pendingInitialization++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = statusOf(init, c.name);
    if (!s) {
      unknown++;
    } else if (s.state.running) {
      if (!s.started) pendingInitialization++;
      running++;
    } else if (!s.state.terminated && !s.lastState.terminated) {
      pendingInitialization++;
      waiting++;
    }
  }
  for (const c of spec.containers) {
    const s = statusOf(regular, c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState.terminated) stopped++;
    else waiting++;
  }
  const restartPolicy = spec.restartPolicy ?? 'Always';
  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !hasAnyRegularContainerStarted(spec, regular)) || waiting > 0) {
    return 'Pending';
  }
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** Go's fmt %s of a []string, which the kubelet's condition messages use. */
const goList = (names: string[]) => `[${names.join(' ')}]`;

type Cond = Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>;

function initializedCondition(
  spec: PodSpec,
  init: ContainerStatus[],
  regular: ContainerStatus[],
  phase: string,
): Cond {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = statusOf(init, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : s.state.terminated?.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) {
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  }
  if (hasAnyRegularContainerStarted(spec, regular)) return { type: 'Initialized', status: 'True' };
  const messages = [
    ...(unknown.length ? [`containers with unknown status: ${goList(unknown)}`] : []),
    ...(incomplete.length ? [`containers with incomplete status: ${goList(incomplete)}`] : []),
  ];
  if (messages.length) {
    return {
      type: 'Initialized',
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: messages.join(', '),
    };
  }
  return { type: 'Initialized', status: 'True' };
}

function containersReadyCondition(
  spec: PodSpec,
  init: ContainerStatus[],
  regular: ContainerStatus[],
  phase: string,
): Cond {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Container, list: ContainerStatus[]) => {
    const s = statusOf(list, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of spec.initContainers ?? []) if (isSidecar(c)) check(c, init);
  for (const c of spec.containers) check(c, regular);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return {
      type: 'ContainersReady',
      status: 'False',
      reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted',
    };
  }
  const messages = [
    ...(unknown.length ? [`containers with unknown status: ${goList(unknown)}`] : []),
    ...(unready.length ? [`containers with unready status: ${goList(unready)}`] : []),
  ];
  if (messages.length) {
    return {
      type: 'ContainersReady',
      status: 'False',
      reason: 'ContainersNotReady',
      message: messages.join(', '),
    };
  }
  return { type: 'ContainersReady', status: 'True' };
}

/** Container statuses with `ready`/`started` derived as they are without probes. */
function withFlags(s: ContainerStatus, kind: 'init' | 'sidecar' | 'regular'): ContainerStatus {
  const running = s.state.running !== undefined;
  const ready = kind === 'init' ? s.state.terminated?.exitCode === 0 : running;
  return { ...s, ready, started: running };
}

export interface PodStatusInput {
  spec: PodSpec;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  startTime?: string;
  /** Volumes are set up and containers can be started (PodReadyToStartContainers). */
  sandboxReady: boolean;
  /** The node has stopped the pod for good (deleted, deadline): nothing will restart. */
  terminal: boolean;
  deadlineExceeded?: boolean;
  disruption?: { reason: string; message: string };
  previous?: PodStatus;
  now: string;
  ip: string;
}

/** The PodStatus the kubelet would report, keeping lastTransitionTime of unchanged conditions. */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { spec } = input;
  const init = input.initContainerStatuses.map((s) => {
    const c = spec.initContainers?.find((x) => x.name === s.name);
    return withFlags(s, c && isSidecar(c) ? 'sidecar' : 'init');
  });
  const regular = input.containerStatuses.map((s) => withFlags(s, 'regular'));
  let phase = input.deadlineExceeded ? 'Failed' : getPhase(spec, init, regular, input.terminal);
  if (input.terminal && phase !== 'Succeeded') phase = 'Failed';

  const containersReady = containersReadyCondition(spec, init, regular, phase);
  const ready: Cond = { ...containersReady, type: 'Ready' };
  const conds: Cond[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReady && !input.terminal ? 'True' : 'False' },
    initializedCondition(spec, init, regular, phase),
    ready,
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ];
  if (input.disruption) conds.push({ type: 'DisruptionTarget', status: 'True', ...input.disruption });

  const status: PodStatus = {
    phase,
    conditions: conds.map((c) => withTransitionTime(c, input.previous, input.now)),
    hostIP: input.ip,
    hostIPs: [{ ip: input.ip }],
    podIP: input.ip,
    podIPs: [{ ip: input.ip }],
    ...(input.startTime ? { startTime: input.startTime } : {}),
    ...(spec.initContainers?.length ? { initContainerStatuses: init } : {}),
    containerStatuses: regular,
  };
  if (input.deadlineExceeded) {
    status.reason = 'DeadlineExceeded';
    status.message = 'Pod was active on the node longer than the specified deadline';
  }
  return status;
}

function withTransitionTime(c: Cond, previous: PodStatus | undefined, now: string): PodCondition {
  const prev = previous?.conditions?.find((p) => p.type === c.type);
  const lastTransitionTime = prev && prev.status === c.status ? (prev.lastTransitionTime ?? now) : now;
  return { ...c, lastProbeTime: null, lastTransitionTime };
}
