/**
 * TaskSpawner controller, Deployment mode (spec §9, §13.3) against the dev cluster's API server: create,
 * status, finalizer, the spawner's ServiceAccount and RoleBinding, suspend/resume, drift correction,
 * deletion, PAT vs GitHub App env and switches between them, GitHub Enterprise, repo overrides, and
 * missing Workspace or Secret.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEPLOYMENTS,
  eventually,
  REPO,
  settle,
  spawnerContainerOf,
  TASK_SPAWNERS,
  TaskSpawnerHarness,
} from './helpers/taskspawner-harness.js';

const h = new TaskSpawnerHarness();
/** The controller's clock: only the spawner identity re-check reads it. */
let clock = Date.now();

beforeAll(() =>
  h.start({
    now: () => clock,
    spawner: {
      image: 'registry.local/kelos-spawner',
      version: 'v1.2.3',
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '250m', memory: '512Mi' } },
    },
  }),
);
afterAll(() => h.stop());

const SPAWNER_LABELS = {
  'kelos.dev/name': 'kelos',
  'kelos.dev/component': 'spawner',
  'kelos.dev/managed-by': 'kelos-controller',
  'kelos.dev/taskspawner': 'issues',
};

describe('TaskSpawner with a GitHub source: Deployment mode', () => {
  it('creates the spawner Deployment, its identity in the namespace, status Pending and an event', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh', { GITHUB_TOKEN: 'ghp_secret' });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh' } });
    const created = h.createSpawner(ns, 'issues');

    const deployment = await h.waitForDeployment(ns, 'issues');
    expect(deployment.metadata.labels).toEqual(SPAWNER_LABELS);
    expect(deployment.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'kelos.dev/v1alpha1',
        kind: 'TaskSpawner',
        name: 'issues',
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.selector.matchLabels).toEqual(SPAWNER_LABELS);
    const pod = deployment.spec?.template.spec;
    expect(pod?.serviceAccountName).toBe('kelos-spawner');
    expect(pod?.restartPolicy).toBe('Always');
    const container = spawnerContainerOf(deployment);
    expect(container).toMatchObject({
      name: 'spawner',
      image: 'registry.local/kelos-spawner:v1.2.3',
      imagePullPolicy: 'IfNotPresent',
      args: [
        '--taskspawner-name=issues',
        `--taskspawner-namespace=${ns}`,
        '--github-owner=example-org',
        '--github-repo=app',
      ],
      env: [{ name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'gh', key: 'GITHUB_TOKEN' } } }],
      ports: [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '250m', memory: '512Mi' } },
    });

    const spawner = await h.waitForStatus(ns, 'issues', (s) => s.deploymentName === 'issues');
    expect(spawner.status?.phase).toBe('Pending');
    expect(spawner.status?.cronJobName).toBeUndefined();
    expect(spawner.metadata.finalizers).toEqual(['kelos.dev/taskspawner-finalizer']);
    const event = await h.waitForEvent(ns, 'issues', 'DeploymentCreated');
    expect(event).toMatchObject({
      type: 'Normal',
      message: 'Created spawner Deployment issues',
      involvedObject: { kind: 'TaskSpawner', name: 'issues', uid: created.metadata.uid },
      source: { component: 'kelos-controller' },
    });

    expect(h.find('serviceaccounts', ns, 'kelos-spawner')).toBeDefined();
    expect(h.find('rolebindings.rbac.authorization.k8s.io', ns, 'kelos-spawner')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kelos-spawner-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'kelos-spawner', namespace: ns }],
    });
  });

  it('recreates a deleted spawner ServiceAccount or RoleBinding when it checks again, 5 minutes later', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues');
    await h.waitForDeployment(ns, 'issues');
    h.client.delete('serviceaccounts', 'kelos-spawner', { namespace: ns });
    h.client.delete('rolebindings.rbac.authorization.k8s.io', 'kelos-spawner', { namespace: ns });

    h.patchSpawner(ns, 'issues', { maxConcurrency: 1 });
    await h.waitForStatus(ns, 'issues', () => h.spawner(ns, 'issues')?.spec.maxConcurrency === 1);
    await settle(300);
    expect(h.find('serviceaccounts', ns, 'kelos-spawner')).toBeUndefined();

    clock += 5 * 60_000;
    h.patchSpawner(ns, 'issues', { maxConcurrency: 2 });
    await eventually(() => h.find('serviceaccounts', ns, 'kelos-spawner'));
    await eventually(() => h.find('rolebindings.rbac.authorization.k8s.io', ns, 'kelos-spawner'));
  });

  it('re-reconciles idempotently: one Deployment, no update, the spawner’s Running phase kept', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues', { maxConcurrency: 3 });
    const first = await h.waitForDeployment(ns, 'issues');
    await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Pending');

    // The spawner process reports its cycles; the controller must not take Running back to Pending.
    const spawner = h.spawner(ns, 'issues');
    if (!spawner) throw new Error('spawner vanished');
    h.client.updateStatus(TASK_SPAWNERS, {
      ...spawner,
      status: { ...spawner.status, phase: 'Running', message: 'Discovered 2 items, created 2 tasks total' },
    } as never);
    // A Task of the spawner wakes it (watch on labelled Tasks).
    h.client.create('tasks.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'issues-1', namespace: ns, labels: { 'kelos.dev/taskspawner': 'issues' } },
      spec: { type: 'claude-code', prompt: 'p', credentials: { type: 'none' } },
    } as never);
    await settle(500);

    const after = h.deployment(ns, 'issues');
    expect(after?.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(h.client.list(DEPLOYMENTS, { namespace: ns }).items).toHaveLength(1);
    expect(h.spawner(ns, 'issues')?.status).toMatchObject({
      phase: 'Running',
      message: 'Discovered 2 items, created 2 tasks total',
      deploymentName: 'issues',
    });
    expect(h.spawner(ns, 'issues')?.spec.maxConcurrency).toBe(3);
    expect(h.events(ns, 'issues').map((e) => e.reason)).not.toContain('DeploymentUpdated');
  });

  it('suspend scales to 0 with status Suspended; resume scales to 1 with Running "Resumed"', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues');
    await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Pending');

    h.patchSpawner(ns, 'issues', { suspend: true });
    await h.waitForDeployment(ns, 'issues', (d) => d.spec?.replicas === 0);
    const suspended = await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Suspended');
    expect(suspended.status?.message).toBe('Suspended by user');
    expect(await h.waitForEvent(ns, 'issues', 'DeploymentUpdated')).toMatchObject({
      type: 'Normal',
      message: 'Updated spawner Deployment issues',
    });

    h.patchSpawner(ns, 'issues', { suspend: false });
    await h.waitForDeployment(ns, 'issues', (d) => d.spec?.replicas === 1);
    const resumed = await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Running');
    expect(resumed.status?.message).toBe('Resumed');
  });

  it('created suspended: 0 replicas and Suspended from the start', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues', { suspend: true });
    expect((await h.waitForDeployment(ns, 'issues')).spec?.replicas).toBe(0);
    const spawner = await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Suspended');
    expect(spawner.status?.message).toBe('Suspended by user');
  });

  it('puts back what was edited in the Deployment, keeping what others added', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh', { GITHUB_TOKEN: 'ghp_secret' });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh' } });
    h.createSpawner(ns, 'issues');
    const original = await h.waitForDeployment(ns, 'issues');
    await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Pending');

    const edited = structuredClone(original);
    const pod = edited.spec?.template.spec;
    const container = pod?.containers[0];
    if (!pod || !container || !edited.spec) throw new Error('unexpected Deployment shape');
    container.image = 'evil/spawner:latest';
    container.args = ['--taskspawner-name=other'];
    container.env = [{ name: 'GITHUB_TOKEN', value: 'stolen' }];
    pod.volumes = [{ name: 'extra', emptyDir: {} }];
    edited.spec.replicas = 3;
    edited.metadata.annotations = { 'example.com/note': 'kept' };
    h.client.update(DEPLOYMENTS, edited);

    const restored = await h.waitForDeployment(
      ns,
      'issues',
      (d) => spawnerContainerOf(d).image === 'registry.local/kelos-spawner:v1.2.3',
    );
    expect(spawnerContainerOf(restored).args).toEqual(spawnerContainerOf(original).args);
    expect(spawnerContainerOf(restored).env).toEqual(spawnerContainerOf(original).env);
    expect(restored.spec?.template.spec?.volumes).toBeUndefined();
    expect(restored.spec?.replicas).toBe(1);
    expect(restored.metadata.annotations).toEqual({ 'example.com/note': 'kept' });
    await h.waitForEvent(ns, 'issues', 'DeploymentUpdated');
  });

  it('recreates a deleted Deployment, and one whose labels were removed is found and relabelled', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues');
    const first = await h.waitForDeployment(ns, 'issues');

    h.client.delete(DEPLOYMENTS, 'issues', { namespace: ns });
    const second = await h.waitForDeployment(ns, 'issues', (d) => d.metadata.uid !== first.metadata.uid);

    // Without its labels it leaves the controller's label-selected cache: the create then meets it.
    h.client.update(DEPLOYMENTS, { ...second, metadata: { ...second.metadata, labels: { other: 'x' } } });
    const relabelled = await h.waitForDeployment(
      ns,
      'issues',
      (d) => d.metadata.labels?.['kelos.dev/taskspawner'] === 'issues',
    );
    expect(relabelled.metadata.uid).toBe(second.metadata.uid);
    expect(relabelled.metadata.labels).toEqual({ other: 'x', ...SPAWNER_LABELS });
  });

  it('leaves a Deployment it does not control alone and reports it', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    const foreign = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'issues', namespace: ns, labels: { app: 'mine' } },
      spec: {
        selector: { matchLabels: { app: 'mine' } },
        template: {
          metadata: { labels: { app: 'mine' } },
          spec: { containers: [{ name: 'c', image: 'mine' }] },
        },
      },
    };
    const stored = h.client.create(DEPLOYMENTS, foreign as never);
    h.createSpawner(ns, 'issues');
    const spawner = await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Failed');
    expect(spawner.status?.message).toBe(
      'Deployment issues already exists and is not controlled by TaskSpawner issues; delete or rename it',
    );
    expect(h.deployment(ns, 'issues')?.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
  });

  it('deletion removes the finalizer; the Deployment goes with the TaskSpawner', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues');
    await h.waitForDeployment(ns, 'issues');
    await h.waitForStatus(ns, 'issues', (s) => s.deploymentName === 'issues');

    h.client.delete(TASK_SPAWNERS, 'issues', { namespace: ns });
    await h.waitForGone(TASK_SPAWNERS, ns, 'issues');
    await h.waitForGone(DEPLOYMENTS, ns, 'issues');
  });
});

describe('GitHub credentials of the spawner', () => {
  const APP = { appID: '12345', installationID: '67890', privateKey: 'not-a-real-key' };
  const appEnv = (secret: string) => [
    { name: 'GITHUB_APP_ID', valueFrom: { secretKeyRef: { name: secret, key: 'appID' } } },
    {
      name: 'GITHUB_APP_INSTALLATION_ID',
      valueFrom: { secretKeyRef: { name: secret, key: 'installationID' } },
    },
    { name: 'GITHUB_APP_PRIVATE_KEY', valueFrom: { secretKeyRef: { name: secret, key: 'privateKey' } } },
  ];
  const patEnv = (secret: string) => [
    { name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: secret, key: 'GITHUB_TOKEN' } } },
  ];

  it('a GitHub App Secret gives GITHUB_APP_* env; switching it to a PAT and back updates the env', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh', APP);
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh' } });
    h.createSpawner(ns, 'issues');
    const app = await h.waitForDeployment(ns, 'issues');
    expect(spawnerContainerOf(app).env).toEqual(appEnv('gh'));

    // The Secret watch notices the switch: no change of the TaskSpawner or Workspace is needed.
    h.client.delete('secrets', 'gh', { namespace: ns });
    h.secret(ns, 'gh', { GITHUB_TOKEN: 'ghp_secret' });
    await h.waitForDeployment(ns, 'issues', (d) =>
      isDeepStrictEqual(spawnerContainerOf(d).env, patEnv('gh')),
    );

    h.client.delete('secrets', 'gh', { namespace: ns });
    h.secret(ns, 'gh', APP);
    await h.waitForDeployment(ns, 'issues', (d) =>
      isDeepStrictEqual(spawnerContainerOf(d).env, appEnv('gh')),
    );
    await h.waitForEvent(ns, 'issues', 'DeploymentUpdated');
  });

  it('a Workspace switched to another Secret updates the env; one without Secret has none', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh-a', { GITHUB_TOKEN: 'a' });
    h.secret(ns, 'gh-b', { GITHUB_TOKEN: 'b' });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh-a' } });
    h.createSpawner(ns, 'issues');
    expect(spawnerContainerOf(await h.waitForDeployment(ns, 'issues')).env).toEqual(patEnv('gh-a'));

    h.client.patch('workspaces.kelos.dev', 'repo', {
      type: 'merge',
      namespace: ns,
      patch: { spec: { secretRef: { name: 'gh-b' } } },
    });
    await h.waitForDeployment(
      ns,
      'issues',
      (d) => spawnerContainerOf(d).env?.[0]?.valueFrom?.secretKeyRef?.name === 'gh-b',
    );

    h.client.patch('workspaces.kelos.dev', 'repo', {
      type: 'merge',
      namespace: ns,
      patch: { spec: { secretRef: null } },
    });
    await h.waitForDeployment(ns, 'issues', (d) => spawnerContainerOf(d).env === undefined);
  });

  it('a GitHub Enterprise workspace adds --github-api-base-url for its host', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: 'https://github.example.com/platform/api.git' });
    h.createSpawner(ns, 'issues');
    expect(spawnerContainerOf(await h.waitForDeployment(ns, 'issues')).args).toEqual([
      '--taskspawner-name=issues',
      `--taskspawner-namespace=${ns}`,
      '--github-owner=platform',
      '--github-repo=api',
      '--github-api-base-url=https://github.example.com/api/v3',
    ]);
  });
});

describe('repo override (fork workflow)', () => {
  it('githubIssues.repo "owner/repo" replaces owner and repo and keeps the workspace host', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: 'git@github.example.com:me/fork.git' });
    h.createSpawner(ns, 'issues', {
      when: { githubIssues: { repo: 'upstream-org/project', types: ['issues'] } },
    });
    const args = spawnerContainerOf(await h.waitForDeployment(ns, 'issues')).args;
    expect(args).toContain('--github-owner=upstream-org');
    expect(args).toContain('--github-repo=project');
    expect(args).toContain('--github-api-base-url=https://github.example.com/api/v3');
    expect(h.spawner(ns, 'issues')?.spec.when.githubIssues?.types).toEqual(['issues']);
  });

  it('githubPullRequests.repo as a URL takes its host too; editing it updates the Deployment', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'prs', { when: { githubPullRequests: { repo: 'https://github.com/up/stream' } } });
    const args = spawnerContainerOf(await h.waitForDeployment(ns, 'prs')).args;
    expect(args).toEqual([
      '--taskspawner-name=prs',
      `--taskspawner-namespace=${ns}`,
      '--github-owner=up',
      '--github-repo=stream',
    ]);

    h.patchSpawner(ns, 'prs', { when: { githubPullRequests: { repo: 'other/stream2' } } });
    await h.waitForDeployment(
      ns,
      'prs',
      (d) => spawnerContainerOf(d).args?.includes('--github-owner=other') ?? false,
    );
  });

  it('an override that is no repository fails the spawner and removes its Deployment until fixed', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createSpawner(ns, 'issues');
    await h.waitForDeployment(ns, 'issues');

    h.patchSpawner(ns, 'issues', { when: { githubIssues: { repo: 'not a repo' } } });
    const failed = await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Failed');
    expect(failed.status?.message).toBe(
      'githubIssues.repo "not a repo" is neither "owner/repo" nor a repository URL',
    );
    expect(failed.status?.deploymentName).toBeUndefined();
    await h.waitForGone(DEPLOYMENTS, ns, 'issues');
    expect(await h.waitForEvent(ns, 'issues', 'InvalidGitHubRepoOverride')).toMatchObject({
      type: 'Warning',
    });

    h.patchSpawner(ns, 'issues', { when: { githubIssues: { repo: 'good/repo' } } });
    await h.waitForDeployment(ns, 'issues');
    await h.waitForStatus(ns, 'issues', (s) => s.phase === 'Pending' && s.deploymentName === 'issues');
  });
});

describe('missing Workspace or Secret', () => {
  it('no Deployment while the Workspace is missing: event, retried, created once it exists', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'issues');
    const event = await h.waitForEvent(ns, 'issues', 'WorkspaceNotFound');
    expect(event).toMatchObject({ type: 'Normal', message: 'Workspace repo not found, requeuing' });
    // Retried every 2 s: the repeats fold into the one event's count.
    await eventually(
      () => (h.events(ns, 'issues').find((e) => e.reason === 'WorkspaceNotFound')?.count ?? 0) >= 2,
      6000,
    );
    expect(h.deployment(ns, 'issues')).toBeUndefined();

    h.workspace(ns, 'repo', { repo: REPO });
    await h.waitForDeployment(ns, 'issues');
  });

  it('no Deployment while the Workspace Secret is missing: event, created once the Secret exists', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh' } });
    h.createSpawner(ns, 'issues');
    const event = await h.waitForEvent(ns, 'issues', 'WorkspaceSecretNotFound');
    expect(event.message).toBe('Secret gh of Workspace repo not found, requeuing');
    await settle(300);
    expect(h.deployment(ns, 'issues')).toBeUndefined();

    h.secret(ns, 'gh', { GITHUB_TOKEN: 'ghp_secret' });
    const deployment = await h.waitForDeployment(ns, 'issues');
    expect(spawnerContainerOf(deployment).env?.[0]?.name).toBe('GITHUB_TOKEN');
  });
});
