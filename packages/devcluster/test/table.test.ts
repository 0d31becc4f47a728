import { humanDuration } from '@kelos/shared/duration';
import { describe, expect, it } from 'vitest';
import { type PrinterColumn, type Table, toTable } from '../src/apiserver/table.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

/** An RFC 3339 timestamp `ms` before NOW. */
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.000Z$/, 'Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  creationTimestamp: ago(5 * M),
  ...extra,
});

function table(objects: object[], kind: { group: string; kind: string }, columns?: PrinterColumn[]): Table {
  return toTable(objects, columns, kind, { resourceVersion: '42' }, { now: NOW });
}
const columnNames = (t: Table) => t.columnDefinitions.map((c) => (c.priority ? `${c.name}*` : c.name));
const cells = (t: Table) => t.rows.map((r) => r.cells);

describe('humanDuration', () => {
  it.each([
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [3 * M + 2 * S, '3m2s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [4 * H, '4h'],
    [4 * H + 30 * M, '4h30m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [45 * D, '45d'],
    [729 * D, '729d'],
    [2 * Y, '2y'],
    [3 * Y, '3y'],
    [3 * Y + 10 * D, '3y10d'],
    [8 * Y + 100 * D, '8y'],
    [20 * Y, '20y'],
    [-1 * S, '0s'],
    [-1999, '0s'],
    [-2 * S, '<invalid>'],
  ])('%d ms is %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('toTable: envelope', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('c', { uid: 'u', labels: { a: 'b' } }),
    data: { k: 'v' },
  };

  it('is a meta.k8s.io/v1 Table with list metadata and PartialObjectMetadata rows by default', () => {
    const t = toTable(
      [cm],
      undefined,
      { group: '', kind: 'ConfigMap' },
      { resourceVersion: '42', continue: 'tok' },
      { now: NOW },
    );
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42', continue: 'tok' });
    expect(t.columnDefinitions[0]).toEqual({
      name: 'Name',
      type: 'string',
      format: 'name',
      description: expect.stringContaining('Name must be unique within a namespace.'),
      priority: 0,
    });
    expect(t.rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: cm.metadata,
    });
  });

  it('includes the whole object, a copy, when asked, and none for None', () => {
    const kind = { group: '', kind: 'ConfigMap' };
    const withObject = toTable([cm], undefined, kind, {}, { includeObject: 'Object', now: NOW });
    expect(withObject.metadata).toEqual({});
    expect(withObject.rows[0]?.object).toEqual(cm);
    expect(withObject.rows[0]?.object).not.toBe(cm);
    const none = toTable([cm], undefined, kind, {}, { includeObject: 'None', now: NOW });
    expect(none.rows[0]).toEqual({ cells: ['c', 1, '5m'] });
  });

  it('has no rows for no objects', () => {
    expect(table([], { group: '', kind: 'Pod' }).rows).toEqual([]);
  });
});

describe('toTable: pods', () => {
  const pod = (
    name: string,
    spec: Record<string, unknown>,
    status: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    metadata: meta(name, extra),
    spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec },
    status,
  });
  const running = { running: { startedAt: ago(4 * M) } };

  it('has kubectl columns', () => {
    expect(columnNames(table([], { group: '', kind: 'Pod' }))).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP*',
      'Node*',
      'Nominated Node*',
      'Readiness Gates*',
    ]);
  });

  it.each([
    [
      'running',
      pod(
        'web',
        { nodeName: 'devcluster' },
        {
          phase: 'Running',
          podIP: '10.0.0.5',
          podIPs: [{ ip: '10.0.0.5' }],
          containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: running }],
        },
      ),
      ['web', '1/1', 'Running', '0', '5m', '10.0.0.5', 'devcluster', '<none>', '<none>'],
    ],
    [
      'pending without status',
      pod('p', { containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Pending' }),
      ['p', '0/2', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'crash looping',
      pod(
        'crash',
        {},
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'main',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * S) } },
            },
          ],
        },
      ),
      ['crash', '0/1', 'CrashLoopBackOff', '3 (30s ago)', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'completed',
      pod(
        'done',
        {},
        {
          phase: 'Succeeded',
          containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        },
      ),
      ['done', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'exited without a reason',
      pod(
        'e',
        {},
        { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 2 } } }] },
      ),
      ['e', '0/1', 'ExitCode:2', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'killed by a signal',
      pod(
        'k',
        {},
        {
          phase: 'Failed',
          containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 137, signal: 9 } } }],
        },
      ),
      ['k', '0/1', 'Signal:9', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'initializing',
      pod(
        'init',
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'i2', state: running },
          ],
          containerStatuses: [{ name: 'main', state: { waiting: { reason: 'PodInitializing' } } }],
        },
      ),
      ['init', '0/1', 'Init:1/2', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'an init container failing to pull',
      pod(
        'pull',
        { initContainers: [{ name: 'i1' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      ),
      ['pull', '0/1', 'Init:ImagePullBackOff', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'a failed init container',
      pod(
        'initfail',
        { initContainers: [{ name: 'i1' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', restartCount: 2, state: { terminated: { exitCode: 1, reason: 'Error' } } },
          ],
        },
      ),
      ['initfail', '0/1', 'Init:Error', '2', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminating',
      pod(
        'bye',
        {},
        { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, state: running }] },
        { deletionTimestamp: ago(1 * S) },
      ),
      ['bye', '1/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'with a sidecar',
      pod(
        'side',
        { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'proxy', started: true, ready: true, state: running }],
          containerStatuses: [{ name: 'main', ready: true, state: running }],
        },
      ),
      ['side', '2/2', 'Running', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'with readiness gates',
      pod(
        'gated',
        { readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'other' }] },
        {
          phase: 'Running',
          conditions: [
            { type: 'example.com/ready', status: 'True' },
            { type: 'other', status: 'False' },
          ],
        },
      ),
      ['gated', '0/1', 'Running', '0', '5m', '<none>', '<none>', '<none>', '1/2'],
    ],
    [
      'scheduling gated',
      pod(
        'sg',
        {},
        {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
        },
      ),
      ['sg', '0/1', 'SchedulingGated', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'completed but with a container still running',
      pod(
        'half',
        { containers: [{ name: 'a' }, { name: 'b' }] },
        {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'b', ready: true, state: running },
          ],
        },
      ),
      ['half', '1/2', 'NotReady', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    ],
  ])('%s', (_name, obj, expected) => {
    expect(cells(table([obj], { group: '', kind: 'Pod' }))).toEqual([expected]);
  });
});

describe('toTable: workloads', () => {
  const template = {
    spec: {
      containers: [
        { name: 'agent', image: 'kelos/agent:1' },
        { name: 'git', image: 'alpine/git' },
      ],
    },
  };
  const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } };
  const job = (
    status: Record<string, unknown>,
    spec: Record<string, unknown> = { completions: 1 },
    extra = {},
  ) => ({
    metadata: meta('job', extra),
    spec: { selector, template, ...spec },
    status,
  });

  it('has kubectl columns for Jobs', () => {
    expect(columnNames(table([], { group: 'batch', kind: 'Job' }))).toEqual([
      'Name',
      'Status',
      'Completions',
      'Duration',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
  });

  it.each([
    ['running', job({ active: 1, startTime: ago(2 * M) }), ['Running', '0/1', '2m']],
    [
      'complete',
      job({
        succeeded: 1,
        startTime: ago(10 * M),
        completionTime: ago(8 * M),
        conditions: [{ type: 'Complete', status: 'True' }],
      }),
      ['Complete', '1/1', '2m'],
    ],
    [
      'failed',
      job({ failed: 1, startTime: ago(70 * S), conditions: [{ type: 'Failed', status: 'True' }] }),
      ['Failed', '0/1', '70s'],
    ],
    [
      'a condition that is not true',
      job({ startTime: ago(1 * M), conditions: [{ type: 'Complete', status: 'False' }] }),
      ['Running', '0/1', '60s'],
    ],
    ['suspended', job({ conditions: [{ type: 'Suspended', status: 'True' }] }), ['Suspended', '0/1', '']],
    ['terminating', job({}, { completions: 1 }, { deletionTimestamp: ago(0) }), ['Terminating', '0/1', '']],
    ['parallel without completions', job({ succeeded: 1 }, { parallelism: 3 }), ['Running', '1/1 of 3', '']],
    ['without completions', job({}, {}), ['Running', '0/1', '']],
  ])('Job %s', (_name, obj, [status, completions, duration]) => {
    expect(cells(table([obj], { group: 'batch', kind: 'Job' }))).toEqual([
      [
        'job',
        status,
        completions,
        duration,
        '5m',
        'agent,git',
        'kelos/agent:1,alpine/git',
        'batch.kubernetes.io/controller-uid=u1',
      ],
    ]);
  });

  it('prints <none> for a Job without a selector', () => {
    const row = cells(table([{ metadata: meta('j'), spec: {} }], { group: 'batch', kind: 'Job' }))[0];
    expect(row?.slice(5)).toEqual(['', '', '<none>']);
  });

  it('Deployments', () => {
    const d = {
      metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const t = table([d, { metadata: meta('new'), spec: {} }], { group: 'apps', kind: 'Deployment' });
    expect(columnNames(t)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
    expect(cells(t)).toEqual([
      ['web', '2/3', 3, 2, '5m', 'agent,git', 'kelos/agent:1,alpine/git', 'app=web'],
      ['new', '0/1', 0, 0, '5m', '', '', '<none>'],
    ]);
  });

  it('CronJobs', () => {
    const cj = (spec: Record<string, unknown>, status: Record<string, unknown>) => ({
      metadata: meta('nightly'),
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } }, ...spec },
      status,
    });
    const t = table(
      [
        cj({ suspend: false }, { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(3 * M) }),
        cj({ suspend: true, timeZone: 'Etc/UTC' }, {}),
        cj({}, {}),
      ],
      { group: 'batch', kind: 'CronJob' },
    );
    expect(columnNames(t)).toEqual([
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
    const rest = ['5m', 'agent,git', 'kelos/agent:1,alpine/git', '<none>'];
    expect(cells(t)).toEqual([
      ['nightly', '*/5 * * * *', '<none>', 'False', 1, '3m', ...rest],
      ['nightly', '*/5 * * * *', 'Etc/UTC', 'True', 0, '<none>', ...rest],
      ['nightly', '*/5 * * * *', '<none>', '<unset>', 0, '<none>', ...rest],
    ]);
  });
});

describe('toTable: core kinds', () => {
  it.each([
    [
      'ConfigMap',
      '',
      { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
      ['Name', 'Data', 'Age'],
      ['cfg', 3, '5m'],
    ],
    [
      'Secret',
      '',
      { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } },
      ['Name', 'Type', 'Data', 'Age'],
      ['tls', 'kubernetes.io/tls', 2, '5m'],
    ],
    [
      'Namespace',
      '',
      { metadata: meta('kelos-system'), status: { phase: 'Active' } },
      ['Name', 'Status', 'Age'],
      ['kelos-system', 'Active', '5m'],
    ],
    ['ServiceAccount', '', { metadata: meta('default') }, ['Name', 'Secrets', 'Age'], ['default', 0, '5m']],
    [
      'Lease',
      'coordination.k8s.io',
      { metadata: meta('kelos-leader'), spec: { holderIdentity: 'kelos-controller-abc' } },
      ['Name', 'Holder', 'Age'],
      ['kelos-leader', 'kelos-controller-abc', '5m'],
    ],
    [
      'Role',
      'rbac.authorization.k8s.io',
      { metadata: meta('r', { creationTimestamp: '2024-05-01T11:00:00Z' }) },
      ['Name', 'Created At'],
      ['r', '2024-05-01T11:00:00Z'],
    ],
    [
      'ClusterRole',
      'rbac.authorization.k8s.io',
      { metadata: meta('cr', { creationTimestamp: '2024-05-01T11:00:00.123Z' }) },
      ['Name', 'Created At'],
      ['cr', '2024-05-01T11:00:00Z'],
    ],
    [
      'RoleBinding',
      'rbac.authorization.k8s.io',
      {
        metadata: meta('rb'),
        roleRef: { kind: 'Role', name: 'r' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
          { kind: 'User', name: 'bob' },
        ],
      },
      ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'],
      ['rb', 'Role/r', '5m', 'alice, bob', 'devs', 'ns:sa'],
    ],
    [
      'ClusterRoleBinding',
      'rbac.authorization.k8s.io',
      { metadata: meta('crb'), roleRef: { kind: 'ClusterRole', name: 'admin' } },
      ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'],
      ['crb', 'ClusterRole/admin', '5m', '', '', ''],
    ],
    [
      'CustomResourceDefinition',
      'apiextensions.k8s.io',
      { metadata: meta('tasks.kelos.dev', { creationTimestamp: '2024-05-01T11:00:00Z' }) },
      ['Name', 'Created At'],
      ['tasks.kelos.dev', '2024-05-01T11:00:00Z'],
    ],
    [
      'Node',
      '',
      {
        metadata: meta('devcluster', {
          labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' },
        }),
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          nodeInfo: {
            kubeletVersion: 'v1.31.0',
            osImage: 'Linux',
            kernelVersion: '6.8',
            containerRuntimeVersion: 'devcluster://1',
          },
          addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
        },
      },
      [
        'Name',
        'Status',
        'Roles',
        'Age',
        'Version',
        'Internal-IP*',
        'External-IP*',
        'OS-Image*',
        'Kernel-Version*',
        'Container-Runtime*',
      ],
      [
        'devcluster',
        'Ready',
        'control-plane,worker',
        '5m',
        'v1.31.0',
        '172.18.0.2',
        '<none>',
        'Linux',
        '6.8',
        'devcluster://1',
      ],
    ],
    [
      'Node',
      '',
      {
        metadata: meta('cordoned'),
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
      },
      [
        'Name',
        'Status',
        'Roles',
        'Age',
        'Version',
        'Internal-IP*',
        'External-IP*',
        'OS-Image*',
        'Kernel-Version*',
        'Container-Runtime*',
      ],
      [
        'cordoned',
        'NotReady,SchedulingDisabled',
        '<none>',
        '5m',
        '',
        '<none>',
        '<none>',
        '<unknown>',
        '<unknown>',
        '<unknown>',
      ],
    ],
    ['PersistentVolumeClaim', '', { metadata: meta('data') }, ['Name', 'Age'], ['data', '5m']],
  ])('%s', (kind, group, obj, columns, row) => {
    const t = table([obj], { group, kind });
    expect(columnNames(t)).toEqual(columns);
    expect(cells(t)).toEqual([row]);
  });

  it('prints <unknown> for an object without a creation timestamp', () => {
    expect(cells(table([{ metadata: { name: 'x' } }], { group: '', kind: 'ConfigMap' }))).toEqual([
      ['x', 0, '<unknown>'],
    ]);
  });
});

describe('toTable: events', () => {
  const kind = { group: '', kind: 'Event' };

  it('has kubectl columns, Name last and wide', () => {
    expect(columnNames(table([], kind))).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject*',
      'Source*',
      'Message',
      'First Seen*',
      'Count*',
      'Name*',
    ]);
  });

  it.each([
    [
      'a core event',
      kind,
      {
        metadata: meta('p.17a'),
        involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{main}' },
        reason: 'BackOff',
        type: 'Warning',
        message: ' Back-off restarting failed container \n',
        source: { component: 'kubelet', host: 'devcluster' },
        firstTimestamp: ago(10 * M),
        lastTimestamp: ago(1 * M),
        count: 3,
      },
      [
        '60s',
        'Warning',
        'BackOff',
        'pod/p',
        'spec.containers{main}',
        'kubelet, devcluster',
        'Back-off restarting failed container',
        '10m',
        3,
        'p.17a',
      ],
    ],
    [
      'an event with only an eventTime',
      kind,
      {
        metadata: meta('j.1'),
        involvedObject: { kind: 'Job' },
        reason: 'Created',
        type: 'Normal',
        message: 'created',
        eventTime: '2024-05-01T11:59:29.500000Z',
        reportingComponent: 'job-controller',
      },
      ['30s', 'Normal', 'Created', 'job', '', 'job-controller', 'created', '30s', 1, 'j.1'],
    ],
    [
      'an events.k8s.io event with a series',
      { group: 'events.k8s.io', kind: 'Event' },
      {
        metadata: meta('t.2'),
        regarding: { kind: 'Task', name: 'fix-bug' },
        reason: 'Retrying',
        type: 'Normal',
        note: 'retrying',
        eventTime: ago(20 * M),
        series: { count: 5, lastObservedTime: ago(10 * S) },
        reportingController: 'kelos-controller',
        reportingInstance: 'kelos-controller-0',
      },
      [
        '10s',
        'Normal',
        'Retrying',
        'task/fix-bug',
        '',
        'kelos-controller, kelos-controller-0',
        'retrying',
        '20m',
        5,
        't.2',
      ],
    ],
  ])('%s', (_name, k, obj, row) => {
    expect(cells(table([obj], k))).toEqual([row]);
  });
});

describe('toTable: services', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({
    metadata: meta('svc'),
    spec,
    status,
  });

  it('has kubectl columns', () => {
    expect(columnNames(table([], { group: '', kind: 'Service' }))).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector*',
    ]);
  });

  it.each([
    [
      'ClusterIP',
      svc({
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
        selector: { 'k8s-app': 'kube-dns', a: 'b' },
      }),
      ['svc', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP', '5m', 'a=b,k8s-app=kube-dns'],
    ],
    [
      'NodePort with external IPs',
      svc({
        type: 'NodePort',
        clusterIP: '10.96.1.1',
        externalIPs: ['1.1.1.1'],
        ports: [{ port: 80, nodePort: 30080 }],
      }),
      ['svc', 'NodePort', '10.96.1.1', '1.1.1.1', '80:30080/TCP', '5m', '<none>'],
    ],
    [
      'pending LoadBalancer',
      svc({ type: 'LoadBalancer', clusterIPs: ['10.96.2.2'], ports: [{ port: 443, protocol: 'TCP' }] }),
      ['svc', 'LoadBalancer', '10.96.2.2', '<pending>', '443/TCP', '5m', '<none>'],
    ],
    [
      'provisioned LoadBalancer',
      svc(
        { type: 'LoadBalancer', clusterIPs: ['10.96.2.2'] },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example.com' }] } },
      ),
      ['svc', 'LoadBalancer', '10.96.2.2', '1.2.3.4,lb.example.com', '<none>', '5m', '<none>'],
    ],
    [
      'headless',
      svc({
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        ports: [{ port: 80, protocol: 'TCP' }],
      }),
      ['svc', 'ClusterIP', 'None', '<none>', '80/TCP', '5m', '<none>'],
    ],
    [
      'ExternalName',
      svc({ type: 'ExternalName', externalName: 'example.com' }),
      ['svc', 'ExternalName', '<none>', 'example.com', '<none>', '5m', '<none>'],
    ],
  ])('%s', (_name, obj, row) => {
    expect(cells(table([obj], { group: '', kind: 'Service' }))).toEqual([row]);
  });
});

describe('toTable: custom resources', () => {
  const kind = { group: 'kelos.dev', kind: 'Task' };
  const task = {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Task',
    metadata: meta('t1', { labels: { 'app.kubernetes.io/name': 'kelos' } }),
    spec: {
      agents: [
        { name: 'a', image: 'i1' },
        { name: 'b', image: 'i2' },
      ],
    },
    status: {
      phase: 'Running',
      retries: 2.7,
      ratio: 0.5,
      done: false,
      startTime: ago(90 * S),
      bad: 'yesterday',
      count: '3',
    },
  };
  const columns: PrinterColumn[] = [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'The phase.' },
    { name: 'Agents', type: 'string', jsonPath: '.spec.agents[*].name', priority: 1 },
    { name: 'First Image', type: 'string', jsonPath: '.spec.agents[0].image' },
    { name: 'Retries', type: 'integer', jsonPath: '.status.retries' },
    { name: 'Ratio', type: 'number', jsonPath: '.status.ratio', format: 'float' },
    { name: 'Done', type: 'boolean', jsonPath: '.status.done' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Started', type: 'date', jsonPath: '.status.startTime' },
    { name: 'Missing', type: 'string', jsonPath: '.status.nope' },
    { name: 'Labels', type: 'string', jsonPath: '.metadata.labels' },
    { name: 'App', type: 'string', jsonPath: ".metadata.labels['app.kubernetes.io/name']" },
    { name: 'App Escaped', type: 'string', jsonPath: '.metadata.labels.app\\.kubernetes\\.io/name' },
    { name: 'Bad Date', type: 'date', jsonPath: '.status.bad' },
    { name: 'Count', type: 'integer', jsonPath: '.status.count' },
    { name: 'Numeric Text', type: 'string', jsonPath: '.status.retries' },
    { name: 'Unparseable', type: 'string', jsonPath: 'status.phase' },
  ];

  it('puts Name first and describes each declared column', () => {
    const t = table([], kind, columns);
    expect(t.columnDefinitions[0]?.name).toBe('Name');
    expect(t.columnDefinitions[1]).toEqual({
      name: 'Phase',
      type: 'string',
      format: '',
      description: 'The phase.',
      priority: 0,
    });
    expect(t.columnDefinitions[2]).toEqual({
      name: 'Agents',
      type: 'string',
      format: '',
      description: 'Custom resource definition column (in JSONPath format): .spec.agents[*].name',
      priority: 1,
    });
    expect(t.columnDefinitions[5]?.format).toBe('float');
  });

  it('evaluates each column like apiextensions-apiserver, first match only', () => {
    expect(cells(table([task], kind, columns))).toEqual([
      [
        't1',
        'Running',
        'a',
        'i1',
        2,
        0.5,
        false,
        '5m',
        '90s',
        null,
        '{"app.kubernetes.io/name":"kelos"}',
        'kelos',
        'kelos',
        '<invalid>',
        null,
        '2.7',
        null,
      ],
    ]);
  });

  it('shows Name and Age for a CRD without printer columns', () => {
    const t = table([task], kind, []);
    expect(t.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(cells(t)).toEqual([['t1', '5m']]);
  });

  it('shows Name and Age for a kind it knows nothing about', () => {
    expect(cells(table([task], kind))).toEqual([['t1', '5m']]);
  });
});
