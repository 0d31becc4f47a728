/**
 * Task + Workspace integration tests (spec §13.2; the full coverage table is in task-lifecycle.test.ts):
 * workspace with ref / secretRef / without ref, custom image, GitHub Enterprise, codex with workspace,
 * nonexistent workspace, GitHub App secret, workspace remotes, branch + workspace (branch-setup).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentContainer,
  envNames,
  envValue,
  eventually,
  initContainer,
  settle,
  TaskHarness,
} from './helpers/task-harness.js';

const h = new TaskHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

const REPO = 'https://github.com/example-org/app.git';

describe('Task with a Workspace', () => {
  it('workspace with ref: git-clone with --branch, emptyDir, mount, workingDir', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, ref: 'main' });
    h.createTask(ns, 'ws', { workspaceRef: { name: 'repo' } });
    const job = await h.waitForJob(ns, 'ws');
    const clone = initContainer(job, 'git-clone');
    expect(clone.args).toEqual([
      'clone',
      '--branch',
      'main',
      '--no-single-branch',
      '--depth',
      '1',
      '--',
      REPO,
      '/workspace/repo',
    ]);
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'workspace', emptyDir: {} });
    const agent = agentContainer(job);
    expect(agent.volumeMounts).toContainEqual({ name: 'workspace', mountPath: '/workspace' });
    expect(agent.workingDir).toBe('/workspace/repo');
    expect(envValue(agent, 'KELOS_BASE_BRANCH')).toBe('main');
  });

  it('workspace without ref: clone without --branch', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO });
    h.createTask(ns, 'ws', { workspaceRef: { name: 'repo' } });
    const clone = initContainer(await h.waitForJob(ns, 'ws'), 'git-clone');
    expect(clone.args).toEqual([
      'clone',
      '--no-single-branch',
      '--depth',
      '1',
      '--',
      REPO,
      '/workspace/repo',
    ]);
  });

  it('workspace with secretRef: GITHUB_TOKEN and GH_TOKEN in clone and agent, credential helper', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh-pat', { GITHUB_TOKEN: 'ghp_secret' });
    h.workspace(ns, 'repo', { repo: REPO, ref: 'main', secretRef: { name: 'gh-pat' } });
    h.createTask(ns, 'ws', { workspaceRef: { name: 'repo' } });
    const job = await h.waitForJob(ns, 'ws');
    for (const container of [initContainer(job, 'git-clone'), agentContainer(job)]) {
      const token = container.env?.find((e) => e.name === 'GITHUB_TOKEN');
      expect(token?.valueFrom?.secretKeyRef).toEqual({ name: 'gh-pat', key: 'GITHUB_TOKEN' });
      expect(envNames(container)).toContain('GH_TOKEN');
    }
    expect(initContainer(job, 'git-clone').command?.join(' ')).toContain('credential.helper');
    // A PAT Secret is used as it is: no token Secret is minted.
    expect(h.find('secrets', ns, 'ws-github-token')).toBeUndefined();
  });

  it('custom image with workspace: same interface, no tini', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, ref: 'main' });
    h.createTask(ns, 'custom', {
      image: 'example.com/my-agent:v1',
      workspaceRef: { name: 'repo' },
      prompt: 'go',
    });
    const agent = agentContainer(await h.waitForJob(ns, 'custom'));
    expect(agent.image).toBe('example.com/my-agent:v1');
    expect(agent.command).toEqual(['/kelos_entrypoint.sh']);
    expect(agent.args).toEqual(['go']);
  });

  it('GitHub Enterprise workspace: GH_HOST and GH_ENTERPRISE_TOKEN', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh-pat', { GITHUB_TOKEN: 'ghp_secret' });
    h.workspace(ns, 'ghe', { repo: 'https://github.example.com/org/app.git', secretRef: { name: 'gh-pat' } });
    h.createTask(ns, 'ghe', { workspaceRef: { name: 'ghe' } });
    const agent = agentContainer(await h.waitForJob(ns, 'ghe'));
    expect(envValue(agent, 'GH_HOST')).toBe('github.example.com');
    expect(envNames(agent)).toContain('GH_ENTERPRISE_TOKEN');
    expect(envNames(agent)).not.toContain('GH_TOKEN');
  });

  it('codex with workspace', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, ref: 'main' });
    h.createTask(ns, 'codex', {
      type: 'codex',
      credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
      workspaceRef: { name: 'repo' },
    });
    const job = await h.waitForJob(ns, 'codex');
    expect(envNames(agentContainer(job))).toEqual(['KELOS_AGENT_TYPE', 'CODEX_API_KEY', 'KELOS_BASE_BRANCH']);
    expect(initContainer(job, 'git-clone')).toBeDefined();
  });

  it('nonexistent workspace: no Job, phase unchanged, retried until the Workspace appears', async () => {
    const ns = h.namespace();
    h.createTask(ns, 'orphan', { workspaceRef: { name: 'later' } });
    await eventually(() => h.task(ns, 'orphan')?.metadata.finalizers?.length);
    await settle(2500);
    expect(h.job(ns, 'orphan')).toBeUndefined();
    expect(h.task(ns, 'orphan')?.status?.phase ?? '').toBe('');
    h.workspace(ns, 'later', { repo: REPO });
    await h.waitForJob(ns, 'orphan');
  });

  it('workspace remotes: remote-setup adds each remote', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', {
      repo: REPO,
      remotes: [{ name: 'upstream', url: 'https://github.com/upstream-org/app.git' }],
    });
    h.createTask(ns, 'remotes', { workspaceRef: { name: 'repo' } });
    const job = await h.waitForJob(ns, 'remotes');
    const script = initContainer(job, 'remote-setup').command?.join(' ') ?? '';
    expect(script).toContain("git remote add 'upstream' 'https://github.com/upstream-org/app.git'");
    expect(envValue(agentContainer(job), 'KELOS_UPSTREAM_REPO')).toBe('upstream-org/app');
  });

  it('branch with workspace: branch-setup checks out $KELOS_BRANCH', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, ref: 'main' });
    h.createTask(ns, 'feature', { workspaceRef: { name: 'repo' }, branch: 'feature-x' });
    const job = await h.waitForJob(ns, 'feature');
    const setup = initContainer(job, 'branch-setup');
    const script = setup.command?.join(' ') ?? '';
    expect(script).toContain('$KELOS_BRANCH');
    expect(script).toContain('git checkout');
    expect(envValue(setup, 'KELOS_BRANCH')).toBe('feature-x');
    expect(envValue(agentContainer(job), 'KELOS_BRANCH')).toBe('feature-x');
  });
});

describe('GitHub App workspace secret', () => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  it('mints <task>-github-token and builds the Job on it', async () => {
    h.github.addApp({ appId: '1001', installationId: '2002', privateKey });
    const ns = h.namespace();
    h.secret(ns, 'gh-app', { appID: '1001', installationID: '2002', privateKey });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh-app' } });
    h.createTask(ns, 'app', { workspaceRef: { name: 'repo' } });

    const job = await h.waitForJob(ns, 'app');
    const secret = h.find('secrets', ns, 'app-github-token');
    expect(h.secretValue(ns, 'app-github-token', 'GITHUB_TOKEN')).toMatch(/^ghs_fake_installation_token_/);
    expect(secret?.metadata.annotations?.['kelos.dev/github-app-secret']).toBe('gh-app');
    expect(secret?.metadata.annotations?.['kelos.dev/token-expires-at']).toMatch(/^\d{4}-/);
    expect(secret?.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Task', name: 'app' }),
    ]);
    const token = agentContainer(job).env?.find((e) => e.name === 'GITHUB_TOKEN');
    expect(token?.valueFrom?.secretKeyRef).toEqual({ name: 'app-github-token', key: 'GITHUB_TOKEN' });
    expect(job.spec.template.spec.volumes).toContainEqual(
      expect.objectContaining({
        name: 'kelos-github-token',
        secret: expect.objectContaining({ secretName: 'app-github-token' }),
      }),
    );
    expect(h.github.requests.some((r) => r.path === '/app/installations/2002/access_tokens')).toBe(true);
  });

  it('refreshes the token while the Job runs when it is about to expire', async () => {
    h.github.addApp({ appId: '1003', installationId: '2004', privateKey });
    h.github.tokenLifetimeMs = 4 * 60_000; // inside the 5-minute refresh margin from the start
    try {
      const ns = h.namespace();
      h.secret(ns, 'gh-app', { appID: '1003', installationID: '2004', privateKey });
      h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh-app' } });
      h.createTask(ns, 'refresh', { workspaceRef: { name: 'repo' } });
      await h.waitForJob(ns, 'refresh');
      const minted = () => h.secretValue(ns, 'refresh-github-token', 'GITHUB_TOKEN');
      const first = minted();
      h.setJobStatus(ns, 'refresh', 'active');
      await h.waitForEvent(ns, 'refresh', 'GitHubTokenRefreshed');
      expect(minted()).not.toBe(first);
    } finally {
      h.github.tokenLifetimeMs = 60 * 60_000;
    }
  });

  it('a missing workspace Secret fails the Task with GitHubTokenFailed', async () => {
    const ns = h.namespace();
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'missing' } });
    h.createTask(ns, 'nosecret', { workspaceRef: { name: 'repo' } });
    const failed = await h.waitForPhase(ns, 'nosecret', 'Failed');
    expect(failed.status?.message).toBe('Failed to resolve GitHub token: secret "missing" not found');
    expect(failed.status?.completionTime).toBeDefined();
    expect((await h.waitForEvent(ns, 'nosecret', 'GitHubTokenFailed')).type).toBe('Warning');
    expect(h.job(ns, 'nosecret')).toBeUndefined();
  });

  it('a mint failure fails the Task', async () => {
    const ns = h.namespace();
    h.secret(ns, 'gh-app', { appID: '9999', installationID: '1', privateKey });
    h.workspace(ns, 'repo', { repo: REPO, secretRef: { name: 'gh-app' } });
    h.createTask(ns, 'badapp', { workspaceRef: { name: 'repo' } });
    const failed = await h.waitForPhase(ns, 'badapp', 'Failed');
    expect(failed.status?.message).toMatch(/^Failed to resolve GitHub token: /);
    expect(failed.status?.message).not.toContain('PRIVATE KEY');
  });
});
