/**
 * The pure decisions of the TaskSpawner controller (spec §9): mode, inputs (Workspace, Secret kind),
 * status per mode, drift of a Deployment, the CronJob dry-run candidate, resource quantities, who owns a
 * workload, and the watch map functions.
 */
import type { Task, TaskSpawner, TaskSpawnerStatus, Workspace } from '@kelos/shared';
import { parseResourceList, quantityNanos } from '@kelos/shared/resource-list';
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildSpawnerCronJob } from '../src/taskspawner/build-cronjob.js';
import { buildSpawnerDeployment } from '../src/taskspawner/build-deployment.js';
import type { CachedSecret } from '../src/taskspawner/context.js';
import { correctDeploymentDrift, cronJobCandidate, sameJson } from '../src/taskspawner/drift.js';
import { resolveInputs } from '../src/taskspawner/inputs.js';
import { spawnerMode } from '../src/taskspawner/mode.js';
import { resourcesEqual } from '../src/taskspawner/resources.js';
import { spawnerEnv } from '../src/taskspawner/spawner-config.js';
import {
  applyWorkloadStatus,
  cronJobModeStatus,
  deploymentModeStatus,
  failedStatus,
} from '../src/taskspawner/status.js';
import { spawnerOfTask, spawnersUsingSecret, spawnersUsingWorkspace } from '../src/taskspawner/watches.js';
import { workloadOwnership } from '../src/taskspawner/workload-meta.js';

function spawner(spec: Partial<TaskSpawner['spec']> = {}, name = 'issues', namespace = 'team'): TaskSpawner {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace, uid: 'uid-1' },
    spec: {
      when: { githubIssues: {} },
      taskTemplate: { type: 'claude-code', credentials: { type: 'none' }, workspaceRef: { name: 'ws' } },
      ...spec,
    },
  };
}

function workspace(name: string, secret?: string, namespace = 'team'): Workspace {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace',
    metadata: { name, namespace },
    spec: { repo: 'https://github.com/acme/app', ...(secret && { secretRef: { name: secret } }) },
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('spawnerMode', () => {
  it('cron runs as a CronJob, GitHub sources as a Deployment, cron winning when both are set', () => {
    expect(spawnerMode(spawner({ when: { cron: { schedule: '* * * * *' } } }))).toBe('cronjob');
    expect(spawnerMode(spawner({ when: { githubPullRequests: {} } }))).toBe('deployment');
    expect(spawnerMode(spawner({ when: { githubIssues: {}, cron: { schedule: '* * * * *' } } }))).toBe(
      'cronjob',
    );
  });
});

describe('resolveInputs', () => {
  const lookup = (workspaces: Workspace[], secrets: Record<string, Record<string, string> | null>) => ({
    workspace: (_ns: string, name: string) => workspaces.find((w) => w.metadata.name === name),
    secretData: (_ns: string, name: string) => secrets[name],
  });

  it('nothing to resolve without workspaceRef', () => {
    const cron = spawner({ taskTemplate: { type: 'codex', credentials: { type: 'none' } } });
    expect(resolveInputs(cron, lookup([], {}))).toEqual({ inputs: {} });
  });

  it('waits for a missing Workspace, then for its missing Secret', () => {
    expect(resolveInputs(spawner(), lookup([], {}))).toEqual({
      waiting: { reason: 'WorkspaceNotFound', message: 'Workspace ws not found, requeuing' },
    });
    expect(resolveInputs(spawner(), lookup([workspace('ws', 'gh')], {}))).toEqual({
      waiting: {
        reason: 'WorkspaceSecretNotFound',
        message: 'Secret gh of Workspace ws not found, requeuing',
      },
    });
  });

  it('tells a GitHub App Secret (appID, installationID, privateKey) from a token Secret', () => {
    const ws = workspace('ws', 'gh');
    const app = { appID: b64('1'), installationID: b64('2'), privateKey: b64('k') };
    expect(resolveInputs(spawner(), lookup([ws], { gh: app }))).toEqual({
      inputs: { workspace: ws, secret: { name: 'gh', auth: 'github-app' } },
    });
    const tokenLike: (Record<string, string> | null)[] = [
      { GITHUB_TOKEN: b64('t') },
      { appID: b64('1'), installationID: b64('2') },
      null,
    ];
    for (const data of tokenLike) {
      expect(resolveInputs(spawner(), lookup([ws], { gh: data }))).toEqual({
        inputs: { workspace: ws, secret: { name: 'gh', auth: 'token' } },
      });
    }
  });

  it('a workspace without Secret gives no secret', () => {
    const ws = workspace('ws');
    expect(resolveInputs(spawner(), lookup([ws], {}))).toEqual({ inputs: { workspace: ws } });
  });
});

describe('deploymentModeStatus', () => {
  const name = 'issues';
  it.each<[string, TaskSpawnerStatus | undefined, { suspended: boolean; created: boolean }, object]>([
    ['new', undefined, { suspended: false, created: true }, { phase: 'Pending', message: '' }],
    [
      'new and suspended',
      undefined,
      { suspended: true, created: true },
      { phase: 'Suspended', message: 'Suspended by user' },
    ],
    [
      're-created after a cron phase',
      { phase: 'Running', message: 'Discovered 1 items, created 1 tasks total' },
      { suspended: false, created: true },
      { phase: 'Pending', message: '' },
    ],
    [
      'suspending a running spawner',
      { phase: 'Running', message: 'x' },
      { suspended: true, created: false },
      { phase: 'Suspended', message: 'Suspended by user' },
    ],
    [
      'resuming',
      { phase: 'Suspended', message: 'Suspended by user' },
      { suspended: false, created: false },
      { phase: 'Running', message: 'Resumed' },
    ],
    [
      'the spawner reports Running',
      { phase: 'Running', message: 'Discovered 3 items, created 2 tasks total' },
      { suspended: false, created: false },
      { phase: 'Running', message: 'Discovered 3 items, created 2 tasks total' },
    ],
    [
      'the spawner reports a failed cycle',
      { phase: 'Failed', message: 'bad template' },
      { suspended: false, created: false },
      { phase: 'Failed', message: 'bad template' },
    ],
    ['no phase yet', {}, { suspended: false, created: false }, { phase: 'Pending', message: '' }],
  ])('%s', (_, status, workload, expected) => {
    expect(deploymentModeStatus(status, { name, ...workload })).toEqual({
      ...expected,
      deploymentName: name,
      cronJobName: '',
    });
  });
});

describe('cronJobModeStatus', () => {
  it('Running once the CronJob exists, keeping the message of a run', () => {
    expect(cronJobModeStatus(undefined, { name: 'n', suspended: false })).toEqual({
      phase: 'Running',
      message: '',
      deploymentName: '',
      cronJobName: 'n',
    });
    const ran = { phase: 'Running' as const, message: 'Discovered 1 items, created 1 tasks total' };
    expect(cronJobModeStatus(ran, { name: 'n', suspended: false }).message).toBe(ran.message);
  });

  it('a failed run is shown as Running again, and a resume clears the suspend message', () => {
    expect(
      cronJobModeStatus({ phase: 'Failed', message: 'boom' }, { name: 'n', suspended: false }),
    ).toMatchObject({
      phase: 'Running',
      message: '',
    });
    expect(
      cronJobModeStatus(
        { phase: 'Suspended', message: 'Suspended by user' },
        { name: 'n', suspended: false },
      ),
    ).toMatchObject({ phase: 'Running', message: '' });
  });

  it('Suspended while suspended', () => {
    expect(cronJobModeStatus({ phase: 'Running' }, { name: 'n', suspended: true })).toMatchObject({
      phase: 'Suspended',
      message: 'Suspended by user',
    });
  });
});

describe('applyWorkloadStatus', () => {
  it('undefined when the status already says it (missing and empty are the same)', () => {
    const status: TaskSpawnerStatus = { phase: 'Pending', deploymentName: 'd', totalTasksCreated: 4 };
    expect(
      applyWorkloadStatus(status, { phase: 'Pending', message: '', deploymentName: 'd', cronJobName: '' }),
    ).toBe(undefined);
  });

  it("sets the controller's fields, drops empty ones, keeps the spawner's", () => {
    const status: TaskSpawnerStatus = {
      phase: 'Running',
      message: 'm',
      cronJobName: 'old',
      totalTasksCreated: 4,
      lastDiscoveryTime: '2026-01-01T00:00:00Z',
    };
    expect(applyWorkloadStatus(status, failedStatus('broken'))).toEqual({
      phase: 'Failed',
      message: 'broken',
      totalTasksCreated: 4,
      lastDiscoveryTime: '2026-01-01T00:00:00Z',
    });
    expect(status.cronJobName).toBe('old');
  });

  it('works from no status at all', () => {
    expect(
      applyWorkloadStatus(undefined, { phase: 'Pending', message: '', deploymentName: 'd', cronJobName: '' }),
    ).toEqual({ phase: 'Pending', deploymentName: 'd' });
  });
});

describe('correctDeploymentDrift', () => {
  const config = {
    args: ['--taskspawner-name=issues', '--taskspawner-namespace=team'],
    env: spawnerEnv({ name: 'gh', auth: 'token' }),
  };
  const options = { resources: { requests: { cpu: '250m', memory: '1Gi' } } };
  const desired = buildSpawnerDeployment(spawner(), config, options);

  /** The Deployment as the API server returns it: defaults filled in, quantities canonical, annotations. */
  function stored(): V1Deployment {
    const d = structuredClone(desired);
    if (!d.spec?.template.spec || !d.metadata) throw new Error('bad fixture');
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    d.spec.revisionHistoryLimit = 10;
    d.spec.template.spec.dnsPolicy = 'ClusterFirst';
    const [c] = d.spec.template.spec.containers;
    if (!c) throw new Error('bad fixture');
    c.imagePullPolicy = 'IfNotPresent';
    c.terminationMessagePath = '/dev/termination-log';
    c.resources = { requests: { cpu: '0.25', memory: '1024Mi' } };
    return d;
  }

  it('sees no drift in server defaults, canonical quantities or added annotations', () => {
    expect(correctDeploymentDrift(stored(), desired)).toBeUndefined();
  });

  it.each<[string, (d: V1Deployment) => void]>([
    ['image', (d) => Object.assign(d.spec?.template.spec?.containers[0] ?? {}, { image: 'other' })],
    ['args', (d) => Object.assign(d.spec?.template.spec?.containers[0] ?? {}, { args: [] })],
    [
      'env value',
      (d) =>
        Object.assign(d.spec?.template.spec?.containers[0] ?? {}, {
          env: [{ name: 'GITHUB_TOKEN', value: 'x' }],
        }),
    ],
    [
      'env Secret key',
      (d) =>
        Object.assign(d.spec?.template.spec?.containers[0] ?? {}, {
          env: [{ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'gh', key: 'OTHER' } } }],
        }),
    ],
    [
      'env from a ConfigMap',
      (d) =>
        Object.assign(d.spec?.template.spec?.containers[0] ?? {}, {
          env: [
            { name: 'GITHUB_TOKEN', valueFrom: { configMapKeyRef: { name: 'gh', key: 'GITHUB_TOKEN' } } },
          ],
        }),
    ],
    ['ports', (d) => Object.assign(d.spec?.template.spec?.containers[0] ?? {}, { ports: [] })],
    [
      'resources',
      (d) =>
        Object.assign(d.spec?.template.spec?.containers[0] ?? {}, { resources: { requests: { cpu: '1' } } }),
    ],
    [
      'volume mounts',
      (d) =>
        Object.assign(d.spec?.template.spec?.containers[0] ?? {}, {
          volumeMounts: [{ name: 'v', mountPath: '/v' }],
        }),
    ],
    ['a second container', (d) => d.spec?.template.spec?.containers.push({ name: 'sidecar', image: 'x' })],
    [
      'init containers',
      (d) => Object.assign(d.spec?.template.spec ?? {}, { initContainers: [{ name: 'i', image: 'x' }] }),
    ],
    [
      'volumes',
      (d) => Object.assign(d.spec?.template.spec ?? {}, { volumes: [{ name: 'v', emptyDir: {} }] }),
    ],
    ['replicas', (d) => Object.assign(d.spec ?? {}, { replicas: 2 })],
    ['service account', (d) => Object.assign(d.spec?.template.spec ?? {}, { serviceAccountName: 'default' })],
    ['a removed label', (d) => delete d.metadata?.labels?.['kelos.dev/taskspawner']],
  ])('puts back %s and keeps the rest', (_, edit) => {
    const current = stored();
    edit(current);
    const corrected = correctDeploymentDrift(current, desired);
    if (!corrected) throw new Error('no drift seen');
    expect(correctDeploymentDrift(corrected, desired)).toBeUndefined();
    expect(corrected.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(corrected.spec?.revisionHistoryLimit).toBe(10);
    expect(corrected.spec?.template.spec?.dnsPolicy).toBe('ClusterFirst');
    // Only a container list that had to be rebuilt loses the defaults the server filled into it.
    const rebuilt = current.spec?.template.spec?.containers.length !== 1;
    expect(corrected.spec?.template.spec?.containers[0]?.terminationMessagePath).toBe(
      rebuilt ? undefined : '/dev/termination-log',
    );
  });

  it('does not modify its input', () => {
    const current = stored();
    Object.assign(current.spec ?? {}, { replicas: 5 });
    correctDeploymentDrift(current, desired);
    expect(current.spec?.replicas).toBe(5);
  });

  it('a changed pull-policy flag is drift; an unset one leaves the server default', () => {
    const pinned = buildSpawnerDeployment(spawner(), config, { ...options, imagePullPolicy: 'Always' });
    expect(
      correctDeploymentDrift(stored(), pinned)?.spec?.template.spec?.containers[0]?.imagePullPolicy,
    ).toBe('Always');
  });
});

describe('cronJobCandidate', () => {
  it('the current object with the built spec and labels, other metadata kept', () => {
    const desired = buildSpawnerCronJob(
      spawner({ when: { cron: { schedule: '0 1 * * *' } } }),
      { args: [], env: [] },
      {},
    );
    const current = structuredClone(desired);
    if (!current.spec || !current.metadata) throw new Error('bad fixture');
    current.metadata.resourceVersion = '42';
    current.metadata.labels = { extra: 'x' };
    current.spec.schedule = '0 2 * * *';
    const candidate = cronJobCandidate(current, desired);
    expect(candidate.metadata?.resourceVersion).toBe('42');
    expect(candidate.metadata?.labels).toEqual({ extra: 'x', ...desired.metadata?.labels });
    expect(candidate.spec).toEqual(desired.spec);
    expect(candidate.spec).not.toBe(desired.spec);
    expect(current.spec.schedule).toBe('0 2 * * *');
  });
});

describe('sameJson', () => {
  it('ignores key order, undefined members, empty lists and maps, and Date vs string', () => {
    expect(sameJson({ a: 1, b: [], c: {}, d: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ x: { b: 2, a: 1 } }, { x: { a: 1, b: 2 } })).toBe(true);
    expect(sameJson({ t: new Date('2026-01-01T00:00:00.000Z') }, { t: '2026-01-01T00:00:00.000Z' })).toBe(
      true,
    );
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: false }, {})).toBe(false);
  });
});

describe('resource quantities', () => {
  it.each([
    ['1', 1_000_000_000n],
    ['250m', 250_000_000n],
    ['0.25', 250_000_000n],
    ['.5', 500_000_000n],
    ['1k', 1_000_000_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['1.5Gi', 1_610_612_736n * 1_000_000_000n],
    ['1e3', 1_000_000_000_000n],
    ['2E-3', 2_000_000n],
    ['1n', 1n],
    ['0.1n', 1n],
    ['-1', undefined],
    ['1.2.3', undefined],
    ['5X', undefined],
    ['', undefined],
  ])('%s → %s nano-units', (text, nanos) => {
    expect(quantityNanos(text)).toBe(nanos);
  });

  it('compares requests and limits by value; missing equals empty', () => {
    expect(
      resourcesEqual(
        { requests: { cpu: '500m', memory: '1Gi' } },
        { requests: { memory: '1024Mi', cpu: '0.5' } },
      ),
    ).toBe(true);
    expect(resourcesEqual(undefined, { requests: {}, limits: {} })).toBe(true);
    expect(resourcesEqual({ requests: { cpu: '1' } }, { requests: { cpu: '1001m' } })).toBe(false);
    expect(resourcesEqual({ requests: { cpu: '1' } }, { limits: { cpu: '1' } })).toBe(false);
    expect(resourcesEqual({ requests: { cpu: '1' } }, { requests: { cpu: '1', memory: '1' } })).toBe(false);
  });

  it('parses the flag syntax', () => {
    expect(parseResourceList('cpu=250m,memory=512Mi')).toEqual({ cpu: '250m', memory: '512Mi' });
    expect(parseResourceList(' cpu = 1 , ')).toEqual({ cpu: '1' });
    expect(parseResourceList('')).toBeUndefined();
    expect(() => parseResourceList('cpu')).toThrow('invalid resource entry "cpu": expected name=quantity');
    expect(() => parseResourceList('=1')).toThrow('invalid resource entry "=1"');
    expect(() => parseResourceList('memory=big')).toThrow('invalid quantity "big" for memory');
  });
});

describe('workloadOwnership', () => {
  const ref = (over: object) => ({
    metadata: {
      ownerReferences: [
        {
          apiVersion: 'kelos.dev/v1alpha1',
          kind: 'TaskSpawner',
          name: 'issues',
          uid: 'uid-1',
          controller: true,
          ...over,
        },
      ],
    },
  });

  it.each([
    ['this spawner', ref({}), 'this'],
    ['a v1alpha2 reference to it', ref({ apiVersion: 'kelos.dev/v1alpha2' }), 'this'],
    ['an earlier spawner of the same name', ref({ uid: 'uid-0' }), 'earlier'],
    ['a spawner of another name', ref({ name: 'other' }), 'foreign'],
    ['a non-controller reference', ref({ controller: false }), 'foreign'],
    ['another kind', ref({ kind: 'Task' }), 'foreign'],
    ['another group', ref({ apiVersion: 'example.com/v1alpha1' }), 'foreign'],
    ['no owner', { metadata: {} }, 'foreign'],
  ])('%s → %s', (_, obj, expected) => {
    expect(workloadOwnership(obj, spawner())).toBe(expected);
  });
});

describe('watch map functions', () => {
  const cache = <T>(items: T[]) => ({
    list: (namespace?: string) =>
      items.filter((i) => (i as { metadata: { namespace?: string } }).metadata.namespace === namespace),
  });
  const spawners = cache([
    spawner({}, 'a'),
    spawner({}, 'b'),
    spawner(
      { taskTemplate: { type: 'codex', credentials: { type: 'none' }, workspaceRef: { name: 'other' } } },
      'c',
    ),
    spawner({}, 'd', 'elsewhere'),
  ]);
  const workspaces = cache([
    workspace('ws', 'gh'),
    workspace('other', 'gh'),
    workspace('plain'),
    workspace('ws', 'gh', 'x'),
  ]);

  it('Workspace → the spawners of its namespace naming it', () => {
    expect(spawnersUsingWorkspace(spawners)(workspace('ws'))).toEqual(['team/a', 'team/b']);
    expect(spawnersUsingWorkspace(spawners)(workspace('none'))).toEqual([]);
  });

  it('Secret → the spawners of every Workspace using it', () => {
    const secret = (name: string): CachedSecret => ({ metadata: { name, namespace: 'team' } });
    expect(spawnersUsingSecret(spawners, workspaces)(secret('gh'))).toEqual(['team/a', 'team/b', 'team/c']);
    expect(spawnersUsingSecret(spawners, workspaces)(secret('unused'))).toEqual([]);
  });

  it('Task → its spawner by label', () => {
    const task = (labels?: Record<string, string>) =>
      ({ metadata: { name: 't', namespace: 'team', ...(labels && { labels }) } }) as Task;
    expect(spawnerOfTask(task({ 'kelos.dev/taskspawner': 'a' }))).toEqual(['team/a']);
    expect(spawnerOfTask(task())).toEqual([]);
  });
});
