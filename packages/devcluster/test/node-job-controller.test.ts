import { describe, expect, it } from 'vitest';
import {
  JOB_TRACKING_FINALIZER,
  type Job,
  type JobSpec,
  type JobStatus,
  matchPodFailurePolicy,
  type Pod,
  type PodFailurePolicyRule,
  reconcileJob,
  type WorkloadAction,
} from '../src/node/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

function job(spec: Partial<JobSpec> = {}, status: JobStatus = { startTime: ago(30) }): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
    spec: {
      template: {
        metadata: { labels: { app: 'pi' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'x' }] },
      },
      ...spec,
    },
    status,
  };
}

interface PodOpts {
  exitCode?: number;
  container?: string;
  initExitCode?: number;
  conditions?: { type: string; status: string }[];
  counted?: boolean;
  deleting?: boolean;
  ready?: boolean;
  finishedAgo?: number;
  restartCount?: number;
}

function pod(name: string, phase: string, o: PodOpts = {}): Pod {
  const terminated =
    o.exitCode !== undefined
      ? { terminated: { exitCode: o.exitCode, finishedAt: ago(o.finishedAgo ?? 600) } }
      : undefined;
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: ago(100),
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true },
      ],
      ...(o.counted ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
      ...(o.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: { containers: [{ name: o.container ?? 'main' }] },
    status: {
      phase,
      conditions: [...(o.conditions ?? []), { type: 'Ready', status: o.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: o.container ?? 'main',
          state: terminated ?? { running: {} },
          lastState: {},
          ready: false,
          restartCount: o.restartCount ?? 0,
          image: 'x',
          imageID: '',
        },
      ],
      ...(o.initExitCode !== undefined
        ? {
            initContainerStatuses: [
              {
                name: 'init',
                state: { terminated: { exitCode: o.initExitCode } },
                lastState: {},
                ready: false,
                restartCount: 0,
                image: 'x',
                imageID: '',
              },
            ],
          }
        : {}),
    },
  };
}

const ofType = <T extends WorkloadAction<JobStatus>['type']>(actions: WorkloadAction<JobStatus>[], type: T) =>
  actions.filter((a): a is Extract<WorkloadAction<JobStatus>, { type: T }> => a.type === type);
const statusOf = (actions: WorkloadAction<JobStatus>[]) => ofType(actions, 'updateStatus')[0]?.status;
const cond = (actions: WorkloadAction<JobStatus>[], type: string) =>
  statusOf(actions)?.conditions?.find((c) => c.type === type);
const seq = () => {
  let i = 0;
  return () => [0.1, 0.5, 0.9, 0.3, 0.7][i++ % 5] ?? 0;
};

describe('job controller: pods', () => {
  it('creates the first pod the way Kubernetes labels and owns it', () => {
    const r = reconcileJob(job({}, {}), [], NOW, { random: seq() });
    const [create] = ofType(r.actions, 'createPod');
    expect(ofType(r.actions, 'createPod')).toHaveLength(1);
    expect(create?.pod.metadata).toMatchObject({
      name: expect.stringMatching(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/),
      generateName: 'pi-',
      namespace: 'default',
      labels: {
        app: 'pi',
        'batch.kubernetes.io/controller-uid': 'job-uid',
        'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': 'job-uid',
        'job-name': 'pi',
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: 'pi',
          uid: 'job-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      finalizers: [JOB_TRACKING_FINALIZER],
    });
    expect(create?.pod.spec.containers[0]?.name).toBe('main');
    expect(statusOf(r.actions)).toMatchObject({
      startTime: '2024-05-01T12:00:00Z',
      active: 1,
      ready: 0,
      terminating: 0,
    });
  });

  it.each<[string, Partial<JobSpec>, JobStatus, Pod[], number]>([
    ['parallelism 3 of 5', { parallelism: 3, completions: 5 }, {}, [], 3],
    ['only what is left to complete', { parallelism: 3, completions: 5 }, { succeeded: 4 }, [], 1],
    ['tops up to parallelism', { parallelism: 3, completions: 5 }, {}, [pod('a', 'Running')], 2],
    ['nothing while enough run', { parallelism: 2 }, {}, [pod('a', 'Running'), pod('b', 'Pending')], 0],
    [
      'no new pods once one succeeded (no completions)',
      { parallelism: 2 },
      { succeeded: 1 },
      [pod('a', 'Running')],
      0,
    ],
    [
      'replaces a deleted pod at once without a failure policy',
      {},
      { failed: 1 },
      [pod('a', 'Running', { deleting: true, counted: true })],
      1,
    ],
  ])('%s: creates %#', (_name, spec, status, pods, creates) => {
    const r = reconcileJob(job(spec, { startTime: ago(30), ...status }), pods, NOW);
    expect(ofType(r.actions, 'createPod')).toHaveLength(creates);
  });

  it('deletes extra active pods when parallelism shrinks, not-ready first', () => {
    const pods = [
      pod('ready', 'Running', { ready: true }),
      pod('slow', 'Pending'),
      pod('other', 'Running', { ready: true }),
    ];
    const r = reconcileJob(job({ parallelism: 1 }), pods, NOW);
    // Same age: ties go by name, as a stable order.
    expect(ofType(r.actions, 'deletePod').map((a) => a.name)).toEqual(['slow', 'ready']);
    expect(statusOf(r.actions)?.active).toBe(1);
  });

  it('waits out the pod-failure backoff before replacing a failed pod', () => {
    const recent = reconcileJob(
      job({ backoffLimit: 6 }),
      [pod('a', 'Failed', { exitCode: 1, finishedAgo: 3 })],
      NOW,
    );
    expect(ofType(recent.actions, 'createPod')).toHaveLength(0);
    expect(recent.requeueAfterSeconds).toBe(7);
    expect(ofType(recent.actions, 'removePodFinalizer').map((a) => a.name)).toEqual(['a']);
    expect(statusOf(recent.actions)?.failed).toBe(1);

    const later = reconcileJob(
      job({ backoffLimit: 6 }, { startTime: ago(30), failed: 2 }),
      [pod('a', 'Failed', { exitCode: 1, counted: true, finishedAgo: 25 })],
      NOW,
    );
    expect(ofType(later.actions, 'createPod')).toHaveLength(1);
    const fast = reconcileJob(
      job({}, { startTime: ago(30), failed: 3 }),
      [pod('a', 'Failed', { exitCode: 1, counted: true, finishedAgo: 2 })],
      NOW,
      {
        podBackoffBaseSeconds: 1,
      },
    );
    expect(fast.requeueAfterSeconds).toBe(2);
  });
});

describe('job controller: completion', () => {
  it('counts a succeeded pod once, releases it, and completes', () => {
    const r = reconcileJob(job(), [pod('a', 'Succeeded', { exitCode: 0 })], NOW);
    expect(ofType(r.actions, 'removePodFinalizer')).toEqual([
      { type: 'removePodFinalizer', namespace: 'default', name: 'a', finalizer: JOB_TRACKING_FINALIZER },
    ]);
    const status = statusOf(r.actions);
    expect(status).toMatchObject({
      succeeded: 1,
      completionTime: '2024-05-01T12:00:00Z',
      ready: 0,
      terminating: 0,
    });
    expect(status?.active).toBeUndefined();
    expect(status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(cond(r.actions, 'Complete')?.message).toBe('Reached expected number of succeeded pods');

    // The next pass sees the counted pod (no finalizer) and changes nothing.
    const again = reconcileJob(
      { ...job(), status },
      [pod('a', 'Succeeded', { exitCode: 0, counted: true })],
      NOW,
    );
    expect(again.actions).toEqual([]);
  });

  it('with completions, stops the remaining pods and completes once they are gone', () => {
    const pods = [
      pod('a', 'Succeeded', { exitCode: 0 }),
      pod('b', 'Succeeded', { exitCode: 0 }),
      pod('c', 'Running'),
    ];
    const r = reconcileJob(job({ completions: 2, parallelism: 3 }), pods, NOW);
    expect(ofType(r.actions, 'deletePod').map((a) => a.name)).toEqual(['c']);
    expect(cond(r.actions, 'SuccessCriteriaMet')?.status).toBe('True');
    expect(cond(r.actions, 'Complete')).toBeUndefined();
  });

  it('without completions, waits for the other pods after the first success', () => {
    const r = reconcileJob(
      job({ parallelism: 2 }),
      [pod('a', 'Succeeded', { exitCode: 0 }), pod('b', 'Running')],
      NOW,
    );
    expect(ofType(r.actions, 'deletePod')).toEqual([]);
    expect(cond(r.actions, 'Complete')).toBeUndefined();
    const done = reconcileJob(
      job({ parallelism: 2 }, { startTime: ago(30), succeeded: 1 }),
      [pod('b', 'Succeeded', { exitCode: 0 })],
      NOW,
    );
    expect(cond(done.actions, 'Complete')?.status).toBe('True');
  });

  it('deletes a finished Job after ttlSecondsAfterFinished, in the background', () => {
    const finished: JobStatus = {
      succeeded: 1,
      ready: 0,
      terminating: 0,
      completionTime: ago(100),
      conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: ago(100) }],
    };
    expect(reconcileJob(job({ ttlSecondsAfterFinished: 60 }, finished), [], NOW).actions).toEqual([
      { type: 'deleteJob', namespace: 'default', name: 'pi', propagationPolicy: 'Background' },
    ]);
    const waiting = reconcileJob(job({ ttlSecondsAfterFinished: 300 }, finished), [], NOW);
    expect(waiting).toEqual({ actions: [], requeueAfterSeconds: 200 });
    expect(reconcileJob(job({}, finished), [], NOW)).toEqual({ actions: [] });
    // Just finished with ttl 0: requeue at once so the next pass deletes it.
    expect(
      reconcileJob(job({ ttlSecondsAfterFinished: 0 }), [pod('a', 'Succeeded', { exitCode: 0 })], NOW)
        .requeueAfterSeconds,
    ).toBe(0);
  });
});

describe('job controller: failure', () => {
  it.each<[string, number | undefined, JobStatus, Pod[], boolean]>([
    ['backoffLimit 0, first failure', 0, {}, [pod('a', 'Failed', { exitCode: 1 })], true],
    ['backoffLimit 2, third failure', 2, { failed: 2 }, [pod('a', 'Failed', { exitCode: 1 })], true],
    ['backoffLimit 2, second failure', 2, { failed: 1 }, [pod('a', 'Failed', { exitCode: 1 })], false],
    ['default 6, sixth failure', undefined, { failed: 5 }, [pod('a', 'Failed', { exitCode: 1 })], false],
    ['default 6, seventh failure', undefined, { failed: 6 }, [pod('a', 'Failed', { exitCode: 1 })], true],
    [
      'already counted failures do not count twice',
      1,
      { failed: 1 },
      [pod('a', 'Failed', { exitCode: 1, counted: true })],
      false,
    ],
    ['deleted running pod counts as failed', 0, {}, [pod('a', 'Running', { deleting: true })], true],
  ])('%s → failed: %s', (_name, backoffLimit, status, pods, fails) => {
    const spec = backoffLimit === undefined ? {} : { backoffLimit };
    const r = reconcileJob(job(spec, { startTime: ago(30), ...status }), pods, NOW);
    if (fails) {
      expect(cond(r.actions, 'FailureTarget')).toMatchObject({
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      });
      expect(ofType(r.actions, 'createPod')).toHaveLength(0);
    } else {
      expect(cond(r.actions, 'FailureTarget')).toBeUndefined();
    }
  });

  it('marks Failed only after the active pods are gone', () => {
    const pods = [pod('a', 'Failed', { exitCode: 1 }), pod('b', 'Running')];
    const r = reconcileJob(job({ backoffLimit: 0, parallelism: 2 }), pods, NOW);
    expect(ofType(r.actions, 'deletePod').map((a) => a.name)).toEqual(['b']);
    expect(cond(r.actions, 'Failed')).toBeUndefined();
    const status = statusOf(r.actions);
    const next = reconcileJob(
      { ...job({ backoffLimit: 0, parallelism: 2 }), status },
      [
        pod('a', 'Failed', { exitCode: 1, counted: true }),
        pod('b', 'Failed', { exitCode: 143, deleting: true }),
      ],
      NOW,
    );
    expect(cond(next.actions, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(statusOf(next.actions)?.failed).toBe(2);
  });

  it('counts container restarts against backoffLimit with restartPolicy OnFailure', () => {
    const j = job({ backoffLimit: 2 });
    j.spec.template.spec.restartPolicy = 'OnFailure';
    expect(
      cond(reconcileJob(j, [pod('a', 'Running', { restartCount: 1 })], NOW).actions, 'FailureTarget'),
    ).toBeUndefined();
    expect(
      cond(reconcileJob(j, [pod('a', 'Running', { restartCount: 2 })], NOW).actions, 'FailureTarget')?.reason,
    ).toBe('BackoffLimitExceeded');
  });

  it('enforces activeDeadlineSeconds: kills active pods, then fails', () => {
    const r = reconcileJob(
      job({ activeDeadlineSeconds: 60 }, { startTime: ago(61) }),
      [pod('a', 'Running')],
      NOW,
    );
    expect(ofType(r.actions, 'deletePod').map((a) => a.name)).toEqual(['a']);
    expect(cond(r.actions, 'FailureTarget')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    const before = reconcileJob(
      job({ activeDeadlineSeconds: 60 }, { startTime: ago(45) }),
      [pod('a', 'Running')],
      NOW,
    );
    expect(before.requeueAfterSeconds).toBe(15);
    expect(ofType(before.actions, 'deletePod')).toEqual([]);
  });

  it('suspends (deleting pods, resetting startTime) and resumes', () => {
    const s = reconcileJob(job({ suspend: true }), [pod('a', 'Running')], NOW);
    expect(ofType(s.actions, 'deletePod').map((a) => a.name)).toEqual(['a']);
    const suspended = statusOf(s.actions);
    expect(suspended?.startTime).toBeUndefined();
    expect(suspended?.conditions?.[0]).toMatchObject({
      type: 'Suspended',
      status: 'True',
      reason: 'JobSuspended',
      message: 'Job suspended',
    });
    const resumed = reconcileJob({ ...job(), status: suspended ?? {} }, [], NOW);
    expect(ofType(resumed.actions, 'createPod')).toHaveLength(1);
    expect(cond(resumed.actions, 'Suspended')).toMatchObject({
      status: 'False',
      reason: 'JobResumed',
      message: 'Job resumed',
    });
  });
});

describe('podFailurePolicy', () => {
  const rules: PodFailurePolicyRule[] = [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'kelos-agent', operator: 'In', values: [1, 42] } },
    { action: 'Count', onExitCodes: { operator: 'In', values: [2] } },
    { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0, 3, 4] } },
  ];
  const p = (o: PodOpts) => ({
    ...pod('p', 'Failed', o),
    metadata: { ...pod('p', 'Failed', o).metadata, namespace: 'ns' },
  });

  it.each<[string, PodOpts, string | undefined, string | undefined]>([
    [
      'disruption is ignored',
      { exitCode: 1, container: 'kelos-agent', conditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      'Ignore',
      undefined,
    ],
    [
      'disruption condition False does not match',
      { exitCode: 3, conditions: [{ type: 'DisruptionTarget', status: 'False' }] },
      undefined,
      undefined,
    ],
    [
      'agent exit 1 fails the job',
      { exitCode: 1, container: 'kelos-agent' },
      'FailJob',
      'Container kelos-agent for pod ns/p failed with exit code 1 matching FailJob rule at index 1',
    ],
    [
      'other container exit 1 falls to NotIn',
      { exitCode: 1, container: 'sidecar' },
      'FailJob',
      'Container sidecar for pod ns/p failed with exit code 1 matching FailJob rule at index 3',
    ],
    ['exit 2 counts', { exitCode: 2 }, 'Count', undefined],
    ['exit 3 matches nothing', { exitCode: 3 }, undefined, undefined],
    ['exit 0 never matches exit-code rules', { exitCode: 0, initExitCode: 4 }, undefined, undefined],
    [
      'init container exit code matches',
      { exitCode: 0, initExitCode: 9 },
      'FailJob',
      'Container init for pod ns/p failed with exit code 9 matching FailJob rule at index 3',
    ],
  ])('%s', (_name, o, action, message) => {
    const m = matchPodFailurePolicy(rules, p(o));
    expect(m.action).toBe(action);
    expect(m.message).toBe(message);
  });

  it('reports a condition match like Kubernetes', () => {
    const m = matchPodFailurePolicy(
      [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      p({ exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True' }] }),
    );
    expect(m.message).toBe('Pod ns/p has condition DisruptionTarget matching FailJob rule at index 0');
  });

  const policyJob = (backoffLimit = 6) => job({ backoffLimit, podFailurePolicy: { rules } });

  it('FailJob fails the job with reason PodFailurePolicy', () => {
    const r = reconcileJob(
      policyJob(),
      [pod('p1', 'Failed', { exitCode: 42, container: 'kelos-agent' })],
      NOW,
    );
    expect(cond(r.actions, 'FailureTarget')).toMatchObject({
      reason: 'PodFailurePolicy',
      message:
        'Container kelos-agent for pod default/p1 failed with exit code 42 matching FailJob rule at index 1',
    });
    expect(cond(r.actions, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy' });
    expect(statusOf(r.actions)?.failed).toBe(1);
  });

  it('Ignore neither counts against backoffLimit nor delays the replacement', () => {
    const disrupted = pod('p1', 'Failed', {
      exitCode: 137,
      conditions: [{ type: 'DisruptionTarget', status: 'True' }],
      finishedAgo: 1,
    });
    const r = reconcileJob(policyJob(0), [disrupted], NOW);
    expect(cond(r.actions, 'FailureTarget')).toBeUndefined();
    expect(statusOf(r.actions)?.failed).toBeUndefined();
    expect(ofType(r.actions, 'removePodFinalizer')).toHaveLength(1);
    expect(ofType(r.actions, 'createPod')).toHaveLength(1);
  });

  it('Count and unmatched failures count against backoffLimit', () => {
    expect(
      cond(reconcileJob(policyJob(0), [pod('p1', 'Failed', { exitCode: 2 })], NOW).actions, 'FailureTarget')
        ?.reason,
    ).toBe('BackoffLimitExceeded');
    expect(
      cond(reconcileJob(policyJob(0), [pod('p1', 'Failed', { exitCode: 3 })], NOW).actions, 'FailureTarget')
        ?.reason,
    ).toBe('BackoffLimitExceeded');
    expect(
      cond(reconcileJob(policyJob(1), [pod('p1', 'Failed', { exitCode: 3 })], NOW).actions, 'FailureTarget'),
    ).toBeUndefined();
  });

  it('waits for a deleted pod to reach Failed before judging or replacing it', () => {
    const r = reconcileJob(policyJob(), [pod('p1', 'Running', { deleting: true })], NOW);
    expect(ofType(r.actions, 'removePodFinalizer')).toEqual([]);
    expect(ofType(r.actions, 'createPod')).toEqual([]);
    expect(statusOf(r.actions)?.terminating).toBe(1);
  });
});
