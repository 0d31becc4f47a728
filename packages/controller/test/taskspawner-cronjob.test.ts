/**
 * TaskSpawner controller, CronJob mode (spec §9, §13.3) against the dev cluster's API server: the CronJob
 * and its status, updates found by server-side dry-run (and no update when nothing changed), suspend and
 * resume, drift correction, switching between cron and a GitHub source, and deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CRON_JOBS,
  DEPLOYMENTS,
  REPO,
  settle,
  spawnerContainerOf,
  TASK_SPAWNERS,
  TaskSpawnerHarness,
} from './helpers/taskspawner-harness.js';

const h = new TaskSpawnerHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

const TEMPLATE = { type: 'codex', credentials: { type: 'none' } } as const;
/** A cron spawner without workspace: nothing else to wait for. */
const cron = (schedule: string) => ({ when: { cron: { schedule } }, taskTemplate: TEMPLATE });

describe('TaskSpawner with a cron source: CronJob mode', () => {
  it('creates a one-shot CronJob, status Running with cronJobName, and an event', async () => {
    const ns = h.namespace();
    const created = h.createSpawner(ns, 'nightly', cron('0 3 * * *'));

    const cronJob = await h.waitForCronJob(ns, 'nightly');
    expect(cronJob.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'TaskSpawner',
      uid: created.metadata.uid,
      controller: true,
    });
    expect(cronJob.metadata.labels?.['kelos.dev/taskspawner']).toBe('nightly');
    expect(cronJob.spec).toMatchObject({
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } } },
    });
    const container = spawnerContainerOf(cronJob);
    expect(container.image).toBe('ghcr.io/kelos-dev/kelos-spawner:latest');
    expect(container.args).toEqual([
      '--taskspawner-name=nightly',
      `--taskspawner-namespace=${ns}`,
      '--one-shot',
    ]);
    expect(container.env).toBeUndefined();
    expect(container.ports).toBeUndefined();

    const spawner = await h.waitForStatus(ns, 'nightly', (s) => s.cronJobName === 'nightly');
    expect(spawner.status?.phase).toBe('Running');
    expect(spawner.status?.deploymentName).toBeUndefined();
    expect(await h.waitForEvent(ns, 'nightly', 'CronJobCreated')).toMatchObject({
      type: 'Normal',
      message: 'Created spawner CronJob nightly with schedule 0 3 * * *',
    });
  });

  it('a workspace gives the same repo args and credentials as a Deployment', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh', { GITHUB_TOKEN: 'ghp_secret' });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh' } });
    h.createSpawner(ns, 'weekly', { when: { cron: { schedule: '0 9 * * 1' } } });
    const container = spawnerContainerOf(await h.waitForCronJob(ns, 'weekly'));
    expect(container.args).toEqual([
      '--taskspawner-name=weekly',
      `--taskspawner-namespace=${ns}`,
      '--github-owner=example-org',
      '--github-repo=app',
      '--one-shot',
    ]);
    expect(container.env).toEqual([
      { name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'gh', key: 'GITHUB_TOKEN' } } },
    ]);
  });

  it('leaves an unchanged CronJob alone: the dry-run sees the defaulted spec as equal', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cron('0 3 * * *'));
    const first = await h.waitForCronJob(ns, 'nightly');
    await h.waitForStatus(ns, 'nightly', (s) => s.phase === 'Running');
    // Status writes of a CronJob run and Tasks of the spawner both reconcile it again.
    h.client.updateStatus(CRON_JOBS, { ...first, status: { lastScheduleTime: '2026-01-01T03:00:00Z' } });
    await settle(500);
    expect(h.cronJob(ns, 'nightly')?.metadata.generation).toBe(first.metadata.generation);
    expect(h.events(ns, 'nightly').map((e) => e.reason)).toEqual(['CronJobCreated']);
  });

  it('a new schedule updates the CronJob; suspend and resume follow spec.suspend', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cron('0 3 * * *'));
    await h.waitForCronJob(ns, 'nightly');

    h.patchSpawner(ns, 'nightly', cron('*/5 * * * *'));
    await h.waitForCronJob(ns, 'nightly', (c) => c.spec?.schedule === '*/5 * * * *');
    expect(await h.waitForEvent(ns, 'nightly', 'CronJobUpdated')).toMatchObject({
      message: 'Updated spawner CronJob nightly',
    });

    h.patchSpawner(ns, 'nightly', { suspend: true });
    await h.waitForCronJob(ns, 'nightly', (c) => c.spec?.suspend === true);
    const suspended = await h.waitForStatus(ns, 'nightly', (s) => s.phase === 'Suspended');
    expect(suspended.status?.message).toBe('Suspended by user');

    h.patchSpawner(ns, 'nightly', { suspend: false });
    await h.waitForCronJob(ns, 'nightly', (c) => c.spec?.suspend === false);
    const running = await h.waitForStatus(ns, 'nightly', (s) => s.phase === 'Running');
    expect(running.status?.message).toBeUndefined();
  });

  it('puts back an edited CronJob spec', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cron('0 3 * * *'));
    const original = await h.waitForCronJob(ns, 'nightly');
    await h.waitForStatus(ns, 'nightly', (s) => s.phase === 'Running');
    const edited = structuredClone(original);
    if (!edited.spec) throw new Error('no spec');
    edited.spec.concurrencyPolicy = 'Allow';
    spawnerContainerOf(edited).args = ['--taskspawner-name=other'];
    h.client.update(CRON_JOBS, edited);

    const restored = await h.waitForCronJob(ns, 'nightly', (c) => c.spec?.concurrencyPolicy === 'Forbid');
    expect(spawnerContainerOf(restored).args).toEqual(spawnerContainerOf(original).args);
    await h.waitForEvent(ns, 'nightly', 'CronJobUpdated');
  });

  it('deleting the TaskSpawner removes its CronJob', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cron('0 3 * * *'));
    await h.waitForStatus(ns, 'nightly', (s) => s.cronJobName === 'nightly');
    h.client.delete(TASK_SPAWNERS, 'nightly', { namespace: ns });
    await h.waitForGone(TASK_SPAWNERS, ns, 'nightly');
    await h.waitForGone(CRON_JOBS, ns, 'nightly');
  });
});

describe('switching the source between cron and GitHub', () => {
  it('issues → cron deletes the Deployment for a CronJob; cron → issues the other way round', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'switch');
    await h.waitForDeployment(ns, 'switch');
    await h.waitForStatus(ns, 'switch', (s) => s.deploymentName === 'switch');

    h.client.patch(TASK_SPAWNERS, 'switch', {
      type: 'merge',
      namespace: ns,
      patch: { spec: { when: { githubIssues: null, cron: { schedule: '0 * * * *' } } } },
    });
    await h.waitForCronJob(ns, 'switch');
    await h.waitForGone(DEPLOYMENTS, ns, 'switch');
    const cronStatus = await h.waitForStatus(ns, 'switch', (s) => s.cronJobName === 'switch');
    expect(cronStatus.status?.deploymentName).toBeUndefined();
    expect(cronStatus.status?.phase).toBe('Running');

    h.client.patch(TASK_SPAWNERS, 'switch', {
      type: 'merge',
      namespace: ns,
      patch: { spec: { when: { cron: null, githubIssues: {} } } },
    });
    await h.waitForDeployment(ns, 'switch');
    await h.waitForGone(CRON_JOBS, ns, 'switch');
    const pollStatus = await h.waitForStatus(ns, 'switch', (s) => s.deploymentName === 'switch');
    expect(pollStatus.status?.cronJobName).toBeUndefined();
    expect(pollStatus.status?.phase).toBe('Pending');
  });

  it('a workload of the other kind that no TaskSpawner controls is not deleted', async () => {
    const ns = h.namespace();
    const mine = h.client.create(DEPLOYMENTS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nightly', namespace: ns, labels: { 'kelos.dev/taskspawner': 'nightly' } },
      spec: {
        selector: { matchLabels: { app: 'mine' } },
        template: {
          metadata: { labels: { app: 'mine' } },
          spec: { containers: [{ name: 'c', image: 'mine' }] },
        },
      },
    } as never);
    h.createSpawner(ns, 'nightly', cron('0 3 * * *'));
    await h.waitForCronJob(ns, 'nightly');
    await settle(300);
    expect(h.deployment(ns, 'nightly')?.metadata.uid).toBe(mine.metadata.uid);
  });
});
