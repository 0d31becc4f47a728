import type { KObject } from '@kelos/devcluster';
import type { Task, TaskSpawner, TaskSpawnerSpec } from '@kelos/shared';
import { ANNOTATIONS, LABELS } from '@kelos/shared/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type E2eCluster,
  eventually,
  FAKE_IMAGE,
  startE2eCluster,
  TASKS,
  WORKSPACES,
} from './helpers/e2e-cluster.js';
import type { RecordedRequest } from './helpers/fake-github.js';
import { FakeGitHubRepo } from './helpers/fake-github-repo.js';

/**
 * TaskSpawners end to end on the dev cluster: the real controller creates each spawner's Deployment or
 * CronJob, the node runs the built kelos-spawner in its pod (in-cluster credentials, the PAT from the
 * Workspace Secret), the spawner reads and comments on a fake GitHub, and the fake agent runs the Tasks.
 * The cycle's rules are tested in depth against the API server in spawner-*.test.ts; here the point is
 * that the processes and pods work together.
 */

const SPAWNERS = 'taskspawners.kelos.dev';
const OWNER = 'acme';
const REPO = 'widgets';
const TOKEN = 'ghp_e2e_spawner';
const BOT = 'kelos-bot';

let fake: FakeGitHubRepo;
let e2e: E2eCluster;
let ns: string;
let cronNs: string;

type TaskTemplate = TaskSpawnerSpec['taskTemplate'];
const taskTemplate = (extra: Partial<TaskTemplate> = {}): TaskTemplate => ({
  type: 'claude-code',
  credentials: { type: 'oauth', secretRef: { name: 'claude-credentials' } },
  image: FAKE_IMAGE,
  ...extra,
});

function createSpawner(namespace: string, name: string, spec: TaskSpawnerSpec): void {
  e2e.create(SPAWNERS, {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace },
    spec,
  });
}

const spawner = (namespace: string, name: string) =>
  e2e.client.get(SPAWNERS, name, namespace) as unknown as TaskSpawner;

const tasksOf = (namespace: string, name: string) =>
  e2e.client.list(TASKS, { namespace, labelSelector: `${LABELS.taskSpawner}=${name}` })
    .items as unknown as Task[];

const podsOf = (namespace: string, name: string) =>
  e2e.client.list('pods', { namespace, labelSelector: `${LABELS.taskSpawner}=${name}` }).items as (KObject & {
    status?: { phase?: string };
  })[];

const phasesOf = (namespace: string, name: string) =>
  Object.fromEntries(tasksOf(namespace, name).map((t) => [t.metadata.name, t.status?.phase ?? '']));

const terminal = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';

/** The spawner's status comments on an issue: those its token's user wrote. */
const botComments = (number: number) => fake.item(number).comments.filter((c) => c.user === BOT);

const since = (index: number) => fake.requests.slice(index);
const isListOf = (label: string) => (r: RecordedRequest) =>
  r.method === 'GET' &&
  r.route.startsWith(`/repos/${OWNER}/${REPO}/issues?`) &&
  new URL(r.route, 'http://x').searchParams.get('labels') === label;
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET');

/** Resolves once `count` issue listings for `label` arrived after `index`: that many cycles ran. */
const cyclesAfter = (index: number, label: string, count: number) =>
  eventually(
    () => since(index).filter(isListOf(label)).length >= count,
    30_000,
    `${count} cycles of ${label}`,
  );

beforeAll(async () => {
  fake = new FakeGitHubRepo({ owner: OWNER, repo: REPO });
  fake.addToken(TOKEN, BOT);
  await fake.start();
  e2e = await startE2eCluster({ controller: false });
  await e2e.startController([`--github-api-base-url=${fake.url}`]);

  // The cron spawner first: its CronJob fires on whole minutes, so its tick comes while the rest runs.
  cronNs = e2e.namespace('cron');
  createSpawner(cronNs, 'deps', {
    when: { cron: { schedule: '* * * * *' } },
    taskTemplate: taskTemplate({ promptTemplate: 'Check the dependencies ({{.Time}})' }),
  });

  ns = e2e.namespace('spawner');
  e2e.create('secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'github-token', namespace: ns },
    stringData: { GITHUB_TOKEN: TOKEN },
  });
  e2e.create(WORKSPACES, {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace',
    metadata: { name: 'widgets', namespace: ns },
    // A GitHub-shaped URL on the local git server: the controller reads owner and repository from it.
    spec: { repo: e2e.git.createRepo(`${OWNER}/${REPO}`), ref: 'main', secretRef: { name: 'github-token' } },
  });
}, 30_000);

afterAll(async () => {
  await e2e?.stop();
  await fake?.stop();
});

describe.sequential('TaskSpawners on the dev cluster', () => {
  it('a GitHub issues spawner pod creates Tasks for the issues its filters and comment policy select, one status comment each', async () => {
    fake.setPermission('dev', 'write');
    fake.setPermission('stranger', 'read');
    const triggered = (title: string, labels: string[], user = 'maintainer') => {
      const issue = fake.addIssue({ title, labels });
      fake.addComment(issue.number, user, '/kelos run');
      return issue.number;
    };
    const health = triggered('Add a health check', ['agent']);
    // The fake agent fails on a prompt saying "fail" (agents/fake/README.md).
    const broken = triggered('Please fail on purpose', ['agent']);
    const byCollaborator = triggered('Document the API', ['agent'], 'dev');
    triggered('Blocked work', ['agent', 'blocked']);
    triggered('Not for the agent', []);
    triggered('A stranger asks', ['agent'], 'stranger');
    const withdrawn = triggered('Changed our mind', ['agent']);
    fake.addComment(withdrawn, 'maintainer', '/kelos skip');
    fake.addIssue({ title: 'Nobody asked yet', labels: ['agent'] });

    createSpawner(ns, 'triage', {
      when: {
        githubIssues: {
          labels: ['agent'],
          excludeLabels: ['blocked'],
          commentPolicy: {
            triggerComment: '/kelos run',
            excludeComments: ['/kelos skip'],
            allowedUsers: ['maintainer'],
            minimumPermission: 'write',
          },
          reporting: { enabled: true },
          pollInterval: '1s',
        },
      },
      taskTemplate: taskTemplate({
        workspaceRef: { name: 'widgets' },
        branch: 'kelos-{{.Number}}',
        promptTemplate: '{{.Title}}',
      }),
    });

    const expected = {
      [`triage-${health}`]: 'Succeeded',
      [`triage-${broken}`]: 'Failed',
      [`triage-${byCollaborator}`]: 'Succeeded',
    };
    await eventually(
      () => Object.keys(expected).every((name) => terminal(phasesOf(ns, 'triage')[name])),
      90_000,
      'the triage Tasks finished',
    );
    expect(phasesOf(ns, 'triage')).toEqual(expected);
    const tasks = tasksOf(ns, 'triage');
    expect(tasks.map((t) => t.metadata.name).sort()).toEqual(Object.keys(expected).sort());
    expect(podsOf(ns, 'triage').map((p) => p.status?.phase)).toEqual(['Running']);

    // One comment per Task, edited to its final phase; none anywhere else.
    const reported = { [health]: 'succeeded', [broken]: 'failed', [byCollaborator]: 'succeeded' };
    await eventually(
      () =>
        Object.entries(reported).every(([number, phase]) =>
          botComments(Number(number))[0]?.body.includes(`**${phase}**`),
        ),
      30_000,
      'final status comments',
    );
    for (const task of tasks) {
      const number = Number(task.metadata.annotations?.[ANNOTATIONS.sourceNumber]);
      const comments = botComments(number);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain(
        `<!-- kelos-task-status ${ns}/${task.metadata.name} uid=${task.metadata.uid} -->`,
      );
      const posts = fake.requests.filter(
        (r) => r.method === 'POST' && r.route === `/repos/${OWNER}/${REPO}/issues/${number}/comments`,
      );
      expect(posts).toHaveLength(1);
    }
    for (const item of fake.items.values()) {
      if (!(item.number in reported)) expect(botComments(item.number)).toEqual([]);
    }
    expect(spawner(ns, 'triage').status).toMatchObject({ phase: 'Running', totalTasksCreated: 3 });
  }, 120_000);

  it('a second spawner takes issues by priority, one at a time, and stops at maxTotalTasks', async () => {
    const unprioritised = fake.addIssue({ title: 'Whenever', labels: ['queue'] }).number;
    const low = fake.addIssue({ title: 'Low priority', labels: ['queue', 'p3'] }).number;
    const high = fake.addIssue({ title: 'High priority', labels: ['queue', 'p1'] }).number;
    const medium = fake.addIssue({ title: 'Medium priority', labels: ['queue', 'p2'] }).number;

    // Order of creation and the most Tasks ever active at once, as the API server saw them.
    const created: string[] = [];
    const active = new Set<string>();
    let mostActive = 0;
    const stop = e2e.client.watch(
      TASKS,
      { namespace: ns, labelSelector: `${LABELS.taskSpawner}=queue` },
      (type, obj) => {
        const task = obj as unknown as Task;
        const name = task.metadata.name ?? '';
        if (type === 'ADDED') created.push(name);
        if (type === 'DELETED' || terminal(task.status?.phase)) active.delete(name);
        else active.add(name);
        mostActive = Math.max(mostActive, active.size);
      },
    );
    try {
      createSpawner(ns, 'queue', {
        when: { githubIssues: { labels: ['queue'], priorityLabels: ['p1', 'p2', 'p3'], pollInterval: '1s' } },
        maxConcurrency: 1,
        maxTotalTasks: 3,
        taskTemplate: taskTemplate({ workspaceRef: { name: 'widgets' }, branch: 'kelos-{{.Number}}' }),
      });
      const order = [high, medium, low].map((n) => `queue-${n}`);
      await eventually(
        () => order.every((name) => phasesOf(ns, 'queue')[name] === 'Succeeded'),
        90_000,
        'the three queue Tasks Succeeded',
      );
      // Cycles after the last Task finished create nothing: the budget is spent.
      await cyclesAfter(fake.requests.length, 'queue', 3);
      expect(created).toEqual(order);
      expect(mostActive).toBe(1);
      expect(phasesOf(ns, 'queue')).not.toHaveProperty(`queue-${unprioritised}`);
      const status = spawner(ns, 'queue').status;
      expect(status).toMatchObject({ totalTasksCreated: 3, activeTasks: 0 });
      expect(status?.conditions?.find((c) => c.type === 'MaxTotalTasksReached')).toMatchObject({
        status: 'True',
        reason: 'LimitReached',
      });
    } finally {
      stop();
    }
  }, 120_000);

  it('cycles over an unchanged repository create nothing and cost no quota', async () => {
    const before = Object.fromEntries(
      [...tasksOf(ns, 'triage'), ...tasksOf(ns, 'queue')].map((t) => [t.metadata.name, t.metadata.uid]),
    );
    const mark = fake.requests.length;
    await Promise.all([cyclesAfter(mark, 'agent', 3), cyclesAfter(mark, 'queue', 3)]);

    expect(fake.quotaSpentSince(mark)).toBe(0);
    // Every one answered so far was a 304 (the last ones may still be on their way back).
    const answered = since(mark).filter((r) => r.status !== undefined);
    expect(answered.length).toBeGreaterThanOrEqual(6);
    expect(answered.filter((r) => r.method !== 'GET' || r.status !== 304)).toEqual([]);
    const after = Object.fromEntries(
      [...tasksOf(ns, 'triage'), ...tasksOf(ns, 'queue')].map((t) => [t.metadata.name, t.metadata.uid]),
    );
    expect(after).toEqual(before);
    expect(spawner(ns, 'triage').status?.totalTasksCreated).toBe(3);
  }, 60_000);

  it('a replaced spawner pod neither recreates Tasks nor comments again; after its first cycle it costs no quota', async () => {
    const [old] = podsOf(ns, 'triage');
    const oldName = old?.metadata.name ?? '';
    const uids = tasksOf(ns, 'triage').map((t) => t.metadata.uid);
    const mark = fake.requests.length;
    e2e.client.delete('pods', oldName, { namespace: ns });
    const replacement = await eventually(
      () => {
        const pods = podsOf(ns, 'triage');
        return pods.length === 1 && pods[0]?.metadata.name !== oldName && pods[0]?.status?.phase === 'Running'
          ? pods[0]
          : undefined;
      },
      30_000,
      'the replacement spawner pod',
    );
    expect(replacement.metadata.name).not.toBe(oldName);
    // The old process answered everything from its ETag cache, so the first request since the deletion
    // that costs quota is the new process's first listing, on an empty cache.
    const firstList = await eventually(
      () => {
        for (let i = mark; i < fake.requests.length; i++)
          if (fake.quotaSpentSince(i) > fake.quotaSpentSince(i + 1)) return { index: i };
        return undefined;
      },
      30_000,
      'the new spawner’s first listing',
    );
    expect(isListOf('agent')(fake.requests[firstList.index] as RecordedRequest)).toBe(true);
    // Its later cycles are answered from the cache it filled.
    await cyclesAfter(firstList.index + 1, 'agent', 3);
    const secondList = firstList.index + 1 + since(firstList.index + 1).findIndex(isListOf('agent'));
    expect(fake.quotaSpentSince(secondList)).toBe(0);
    expect(writes(since(mark))).toEqual([]);
    expect(tasksOf(ns, 'triage').map((t) => t.metadata.uid)).toEqual(uids);
  }, 60_000);

  it('a newer trigger comment re-runs a finished Task, which gets a status comment of its own', async () => {
    const number = [...fake.items.values()].find((i) => i.title === 'Add a health check')?.number ?? 0;
    const name = `triage-${number}`;
    const first = tasksOf(ns, 'triage').find((t) => t.metadata.name === name);
    expect(first?.status?.phase).toBe('Succeeded');
    // Written now, after the Task completed (the fake's own clock for comments is in the past).
    fake.addComment(number, 'maintainer', '/kelos run', new Date().toISOString());

    const second = await eventually(
      () => {
        const task = tasksOf(ns, 'triage').find((t) => t.metadata.name === name);
        return task && task.metadata.uid !== first?.metadata.uid && task.status?.phase === 'Succeeded'
          ? task
          : undefined;
      },
      60_000,
      'the re-run Task Succeeded',
    );
    await eventually(
      () => botComments(number).filter((c) => c.body.includes('**succeeded**')).length === 2,
      30_000,
      'a second succeeded comment',
    );
    const markers = botComments(number).map((c) => /uid=([^ ]+) -->/.exec(c.body)?.[1]);
    expect(markers).toEqual([first?.metadata.uid, second.metadata.uid]);
    expect(spawner(ns, 'triage').status?.totalTasksCreated).toBe(4);
  }, 90_000);

  it('a cron spawner’s CronJob runs the one-shot spawner on the minute; the tick’s Task runs', async () => {
    // `* * * * *` is the finest schedule, and the dev cluster's CronJob controller keeps real time: one real
    // tick is awaited, at most a minute after beforeAll created the spawner.
    const task = await eventually(
      () => tasksOf(cronNs, 'deps').find((t) => t.status?.phase === 'Succeeded'),
      150_000,
      'a Succeeded cron Task',
    );
    const tickOf = (name: string | undefined) => {
      const [, y, mo, d, h, mi] = /^deps-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)$/.exec(name ?? '') ?? [];
      return y ? `${y}-${mo}-${d}T${h}:${mi}:00Z` : `not a tick name: ${name}`;
    };
    expect(task.spec.prompt).toBe(`Check the dependencies (${tickOf(task.metadata.name)})`);

    // The spawner ran as the CronJob's Job and exited 0, after recording its watermark.
    await eventually(
      () =>
        e2e
          .jobs(cronNs)
          .some((j) => j.metadata.ownerReferences?.[0]?.kind === 'CronJob' && j.status?.succeeded === 1),
      30_000,
      'a completed spawner Job',
    );
    const cron = spawner(cronNs, 'deps');
    expect(cron.status).toMatchObject({ phase: 'Running', cronJobName: 'deps' });
    // One Task per tick since the spawner was created, none later than its last run.
    const created = Date.parse(cron.metadata.creationTimestamp ?? '');
    const watermark = Date.parse(cron.status?.lastDiscoveryTime ?? '');
    for (const t of tasksOf(cronNs, 'deps')) {
      const tick = Date.parse(tickOf(t.metadata.name));
      expect(tick).toBeGreaterThan(created);
      expect(tick).toBeLessThanOrEqual(watermark);
    }
  }, 160_000);
});
