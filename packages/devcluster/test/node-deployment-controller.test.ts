import { describe, expect, it } from 'vitest';
import {
  type Deployment,
  type DeploymentSpec,
  type DeploymentStatus,
  POD_TEMPLATE_HASH_LABEL,
  type Pod,
  podTemplateHash,
  reconcileDeployment,
  resolveIntOrPercent,
  type WorkloadAction,
} from '../src/node/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');
type A = WorkloadAction<DeploymentStatus>;

const template = (image = 'web:1') => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

function deployment(spec: Partial<DeploymentSpec> = {}, status?: DeploymentStatus): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'dep-uid', generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
    ...(status ? { status } : {}),
  };
}

let n = 0;
function pod(
  opts: {
    image?: string;
    ready?: boolean;
    phase?: string;
    deleting?: boolean;
    age?: number;
    readyFor?: number;
  } = {},
): Pod {
  const hash = podTemplateHash(template(opts.image));
  const name = `web-${hash}-p${n++}`;
  return {
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: ago(opts.age ?? 100),
      labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true },
      ],
      ...(opts.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: template(opts.image).spec,
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: opts.ready ? 'True' : 'False',
          lastTransitionTime: ago(opts.readyFor ?? 60),
        },
      ],
    },
  };
}

const creates = (actions: A[]) => actions.filter((a) => a.type === 'createPod');
const deletes = (actions: A[]) => actions.flatMap((a) => (a.type === 'deletePod' ? [a.name] : []));
const statusOf = (actions: A[]) => actions.flatMap((a) => (a.type === 'updateStatus' ? [a.status] : []))[0];
const condOf = (actions: A[], type: string) => statusOf(actions)?.conditions?.find((c) => c.type === type);

describe('deployment controller', () => {
  it('creates replicas named <deployment>-<hash>-<suffix> with pod-template-hash and owner', () => {
    const r = reconcileDeployment(deployment(), [], NOW);
    const hash = podTemplateHash(template());
    expect(creates(r.actions)).toHaveLength(3);
    for (const a of creates(r.actions)) {
      if (a.type !== 'createPod') continue;
      expect(a.pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(a.pod.metadata.generateName).toBe(`web-${hash}-`);
      expect(a.pod.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
      expect(a.pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Deployment',
        uid: 'dep-uid',
        controller: true,
      });
    }
    expect(statusOf(r.actions)).toMatchObject({ observedGeneration: 2 });
    expect(condOf(r.actions, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    expect(condOf(r.actions, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "web-${hash}" is progressing.`,
    });
  });

  it('reports a finished rollout and then stays quiet', () => {
    const pods = [pod({ ready: true }), pod({ ready: true }), pod({ ready: true })];
    const r = reconcileDeployment(deployment(), pods, NOW);
    expect(creates(r.actions)).toEqual([]);
    const status = statusOf(r.actions);
    expect(status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 2,
    });
    expect(status?.unavailableReplicas).toBeUndefined();
    expect(condOf(r.actions, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(condOf(r.actions, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    expect(reconcileDeployment(deployment({}, status), pods, NOW + 5000).actions).toEqual([]);
  });

  it.each<[string, number, Pod[], number, number]>([
    ['scale to 0', 0, [pod({ ready: true }), pod({ ready: true })], 0, 2],
    [
      'scale down, unready first',
      1,
      [pod({ ready: true }), pod({ ready: false }), pod({ ready: true })],
      0,
      2,
    ],
    ['scale up', 4, [pod({ ready: true })], 3, 0],
    ['replaces a failed pod, leaving it in place', 2, [pod({ ready: true }), pod({ phase: 'Failed' })], 1, 0],
    ['replaces a pod being deleted', 2, [pod({ ready: true }), pod({ deleting: true })], 1, 0],
  ])('%s', (_name, replicas, pods, created, deleted) => {
    const r = reconcileDeployment(deployment({ replicas }), pods, NOW);
    expect(creates(r.actions)).toHaveLength(created);
    expect(deletes(r.actions)).toHaveLength(deleted);
  });

  it('deletes the unready pod when scaling down', () => {
    const unready = pod({ ready: false });
    const r = reconcileDeployment(deployment({ replicas: 1 }), [pod({ ready: true }), unready], NOW);
    expect(deletes(r.actions)).toEqual([unready.metadata.name]);
  });

  it('rolls out a new template within maxSurge/maxUnavailable', () => {
    const d = deployment({ replicas: 4, template: template('web:2') });
    const old = [1, 2, 3, 4].map(() => pod({ ready: true }));
    // 25% of 4: one extra pod and one unavailable pod allowed.
    const step1 = reconcileDeployment(d, old, NOW);
    expect(creates(step1.actions)).toHaveLength(1);
    expect(deletes(step1.actions)).toHaveLength(1);
    expect(statusOf(step1.actions)?.replicas).toBe(3);
    // Zero counts are omitted, as Kubernetes' omitempty does.
    expect(statusOf(step1.actions)?.updatedReplicas).toBeUndefined();

    // The new pod is not ready yet: nothing more may go.
    const fresh = pod({ image: 'web:2', ready: false });
    const step2 = reconcileDeployment(d, [...old.slice(1), fresh], NOW);
    expect(creates(step2.actions)).toHaveLength(1);
    expect(deletes(step2.actions)).toHaveLength(0);

    // Once new pods are ready, old ones are replaced until none is left.
    const ready2 = [1, 2, 3, 4].map(() => pod({ image: 'web:2', ready: true }));
    const done = reconcileDeployment(d, [...ready2, old[0] as Pod], NOW);
    expect(deletes(done.actions)).toEqual([old[0]?.metadata.name]);
    expect(creates(done.actions)).toHaveLength(0);
  });

  it('Recreate deletes all old pods before creating new ones', () => {
    const d = deployment({ replicas: 2, strategy: { type: 'Recreate' }, template: template('web:2') });
    const old = [pod({ ready: true }), pod({ ready: true })];
    const step1 = reconcileDeployment(d, old, NOW);
    expect(deletes(step1.actions)).toHaveLength(2);
    expect(creates(step1.actions)).toHaveLength(0);
    const terminating = old.map((p) => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: ago(1) } }));
    expect(creates(reconcileDeployment(d, terminating, NOW).actions)).toHaveLength(0);
    expect(creates(reconcileDeployment(d, [], NOW).actions)).toHaveLength(2);
  });

  it('honours minReadySeconds for availability and requeues until then', () => {
    const d = deployment({ replicas: 1, minReadySeconds: 30 });
    const r = reconcileDeployment(d, [pod({ ready: true, readyFor: 10 })], NOW);
    expect(statusOf(r.actions)).toMatchObject({ readyReplicas: 1, unavailableReplicas: 1 });
    expect(statusOf(r.actions)?.availableReplicas).toBeUndefined();
    expect(r.requeueAfterSeconds).toBe(20);
  });

  it('marks ProgressDeadlineExceeded when a rollout stalls', () => {
    const hash = podTemplateHash(template());
    const stalled: DeploymentStatus = {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      unavailableReplicas: 3,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: ago(700),
          lastTransitionTime: ago(700),
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "web-${hash}" is progressing.`,
          lastUpdateTime: ago(700),
          lastTransitionTime: ago(700),
        },
      ],
    };
    const r = reconcileDeployment(deployment({}, stalled), [pod(), pod(), pod()], NOW);
    expect(condOf(r.actions, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "web-${hash}" has timed out progressing.`,
    });
  });

  it('does not touch pods of a paused deployment', () => {
    const r = reconcileDeployment(
      deployment({ paused: true, template: template('web:2') }),
      [pod({ ready: true })],
      NOW,
    );
    expect(creates(r.actions)).toEqual([]);
    expect(deletes(r.actions)).toEqual([]);
  });

  it('hashes templates stably', () => {
    expect(podTemplateHash(template())).toBe(
      podTemplateHash({ spec: template().spec, metadata: { labels: { app: 'web' } } }),
    );
    expect(podTemplateHash(template())).not.toBe(podTemplateHash(template('web:2')));
    expect(podTemplateHash(template())).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  });

  it.each<[number | string | undefined, number, boolean, number]>([
    [undefined, 4, true, 1],
    [undefined, 4, false, 1],
    ['25%', 3, true, 1],
    ['25%', 3, false, 0],
    ['50%', 5, false, 2],
    [2, 10, true, 2],
  ])('resolveIntOrPercent(%s of %i, roundUp %s) = %i', (v, total, up, out) => {
    expect(resolveIntOrPercent(v, total, '25%', up)).toBe(out);
  });
});
