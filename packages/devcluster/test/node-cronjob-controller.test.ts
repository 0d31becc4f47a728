import { describe, expect, it } from 'vitest';
import {
  CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION,
  type CronJob,
  type CronJobSpec,
  type CronJobStatus,
  cronJobJobName,
  type Job,
  reconcileCronJob,
  type WorkloadAction,
} from '../src/node/index.js';

type A = WorkloadAction<CronJobStatus>;
const at = (iso: string) => Date.parse(iso);

function cronJob(spec: Partial<CronJobSpec> = {}, status: CronJobStatus = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'nightly',
      namespace: 'default',
      uid: 'cj-uid',
      creationTimestamp: '2024-01-01T00:00:30Z',
    },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        metadata: { labels: { team: 'a' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
      },
      ...spec,
    },
    status,
  };
}

function job(name: string, state: 'active' | 'complete' | 'failed', startTime = '2024-01-01T00:00:00Z'): Job {
  const conditions =
    state === 'complete'
      ? [{ type: 'Complete', status: 'True' }]
      : state === 'failed'
        ? [{ type: 'Failed', status: 'True' }]
        : [];
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true },
      ],
    },
    spec: { template: { spec: { containers: [] } } },
    status: { startTime, conditions, ...(state === 'complete' ? { completionTime: startTime } : {}) },
  };
}

const created = (actions: A[]) => actions.flatMap((a) => (a.type === 'createJob' ? [a.job] : []));
const deleted = (actions: A[]) => actions.flatMap((a) => (a.type === 'deleteJob' ? [a.name] : []));
const statusOf = (actions: A[]) => actions.flatMap((a) => (a.type === 'updateStatus' ? [a.status] : []))[0];

describe('cronjob controller', () => {
  it('creates the Job for a due tick, named after the scheduled minute', () => {
    const r = reconcileCronJob(cronJob(), [], at('2024-01-01T00:05:10Z'));
    const [j] = created(r.actions);
    const minutes = at('2024-01-01T00:05:00Z') / 60_000;
    expect(j?.metadata).toMatchObject({
      name: `nightly-${minutes}`,
      namespace: 'default',
      labels: { team: 'a' },
      annotations: { [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: '2024-01-01T00:05:00Z' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'nightly',
          uid: 'cj-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(j?.spec.template.spec.restartPolicy).toBe('Never');
    expect(statusOf(r.actions)).toEqual({
      lastScheduleTime: '2024-01-01T00:05:00Z',
      active: [{ apiVersion: 'batch/v1', kind: 'Job', name: `nightly-${minutes}`, namespace: 'default' }],
    });
    expect(r.requeueAfterSeconds).toBe(290);
  });

  it.each<[string, Partial<CronJobSpec>, CronJobStatus, string, string | undefined]>([
    ['nothing due yet', {}, {}, '2024-01-01T00:04:59Z', undefined],
    ['a tick exactly now is due', {}, {}, '2024-01-01T00:05:00Z', '2024-01-01T00:05:00Z'],
    ['only the latest of many missed ticks', {}, {}, '2024-01-01T03:07:00Z', '2024-01-01T03:05:00Z'],
    [
      'already scheduled tick',
      {},
      { lastScheduleTime: '2024-01-01T00:05:00Z' },
      '2024-01-01T00:07:00Z',
      undefined,
    ],
    ['@hourly', { schedule: '@hourly' }, {}, '2024-01-01T02:30:00Z', '2024-01-01T02:00:00Z'],
    [
      'timeZone',
      { schedule: '0 9 * * *', timeZone: 'America/New_York' },
      {},
      '2024-01-02T15:00:00Z',
      '2024-01-02T14:00:00Z',
    ],
    [
      'within startingDeadlineSeconds',
      { startingDeadlineSeconds: 120 },
      {},
      '2024-01-01T00:06:30Z',
      '2024-01-01T00:05:00Z',
    ],
    ['past startingDeadlineSeconds', { startingDeadlineSeconds: 30 }, {}, '2024-01-01T00:06:30Z', undefined],
    ['suspended', { suspend: true }, {}, '2024-01-01T00:05:10Z', undefined],
  ])('%s', (_name, spec, status, now, scheduled) => {
    const r = reconcileCronJob(cronJob(spec, status), [], at(now));
    const jobs = created(r.actions);
    if (scheduled === undefined) expect(jobs).toEqual([]);
    else expect(jobs.map((j) => j.metadata.name)).toEqual([cronJobJobName('nightly', at(scheduled))]);
  });

  it('warns about schedules it cannot parse (only 5 fields are allowed)', () => {
    const bad = reconcileCronJob(cronJob({ schedule: 'every day' }), [], at('2024-01-01T00:06:30Z'));
    expect(bad.warnings?.[0]).toMatch(/^unparseable schedule "every day"/);
    expect(
      reconcileCronJob(cronJob({ schedule: '0 */5 * * * *' }), [], at('2024-01-01T00:06:30Z')).warnings,
    ).toHaveLength(1);
  });

  it('does not create the same tick twice', () => {
    const name = cronJobJobName('nightly', at('2024-01-01T00:05:00Z'));
    const r = reconcileCronJob(cronJob(), [job(name, 'complete')], at('2024-01-01T00:05:10Z'));
    expect(created(r.actions)).toEqual([]);
  });

  it.each<[string, string | undefined, number, string[]]>([
    ['Allow runs alongside', undefined, 1, []],
    ['Forbid skips while one runs', 'Forbid', 0, []],
    ['Replace deletes the running one', 'Replace', 1, ['nightly-old']],
  ])('%s', (_name, concurrencyPolicy, creates, deletes) => {
    const spec = concurrencyPolicy ? { concurrencyPolicy } : {};
    const r = reconcileCronJob(
      cronJob(spec, { lastScheduleTime: '2024-01-01T00:00:00Z' }),
      [job('nightly-old', 'active')],
      at('2024-01-01T00:05:10Z'),
    );
    expect(created(r.actions)).toHaveLength(creates);
    expect(deleted(r.actions)).toEqual(deletes);
    const active =
      statusOf(r.actions)?.active?.map((a) => a.name) ?? cronJob().status?.active?.map((a) => a.name);
    if (concurrencyPolicy === 'Replace') expect(active).toEqual([created(r.actions)[0]?.metadata.name]);
  });

  it('trims finished Jobs to the history limits, oldest first, and tracks active and last success', () => {
    const jobs = [
      job('ok-1', 'complete', '2024-01-01T00:01:00Z'),
      job('ok-2', 'complete', '2024-01-01T00:02:00Z'),
      job('ok-3', 'complete', '2024-01-01T00:03:00Z'),
      job('ok-4', 'complete', '2024-01-01T00:04:00Z'),
      job('bad-1', 'failed', '2024-01-01T00:01:30Z'),
      job('bad-2', 'failed', '2024-01-01T00:02:30Z'),
      job('running', 'active', '2024-01-01T00:04:30Z'),
    ];
    const r = reconcileCronJob(
      cronJob({ successfulJobsHistoryLimit: 2 }, { lastScheduleTime: '2024-01-01T00:05:00Z' }),
      jobs,
      at('2024-01-01T00:06:00Z'),
    );
    expect(deleted(r.actions)).toEqual(['ok-1', 'ok-2', 'bad-1']);
    expect(r.actions.find((a) => a.type === 'deleteJob')).toMatchObject({ propagationPolicy: 'Background' });
    expect(statusOf(r.actions)).toEqual({
      lastScheduleTime: '2024-01-01T00:05:00Z',
      lastSuccessfulTime: '2024-01-01T00:04:00Z',
      active: [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'running', namespace: 'default', uid: 'uid-running' },
      ],
    });
  });
});
