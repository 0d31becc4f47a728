/**
 * The pure builders of the TaskSpawner controller (spec §9, §10.1): spawner args and env from the
 * TaskSpawner, its Workspace and the kind of its Secret, repo overrides, and the Deployment and CronJob.
 */
import type { TaskSpawner, Workspace } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { buildSpawnerCronJob } from '../src/taskspawner/build-cronjob.js';
import { buildSpawnerDeployment } from '../src/taskspawner/build-deployment.js';
import { parseRepoOverride, repoOverride, spawnerRepo } from '../src/taskspawner/github-repo.js';
import { spawnerImage } from '../src/taskspawner/options.js';
import { spawnerConfig, spawnerEnv } from '../src/taskspawner/spawner-config.js';

function spawner(spec: Partial<TaskSpawner['spec']> = {}, name = 'issues'): TaskSpawner {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace: 'team', uid: 'uid-1' },
    spec: {
      when: { githubIssues: {} },
      taskTemplate: { type: 'claude-code', credentials: { type: 'none' }, workspaceRef: { name: 'ws' } },
      ...spec,
    },
  };
}

function workspace(repo: string): Workspace {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace',
    metadata: { name: 'ws', namespace: 'team' },
    spec: { repo },
  };
}

const BASE_ARGS = ['--taskspawner-name=issues', '--taskspawner-namespace=team'];

function configOf(...args: Parameters<typeof spawnerConfig>) {
  const result = spawnerConfig(...args);
  if ('problem' in result) throw new Error(result.problem.message);
  return result.config;
}

describe('spawner args', () => {
  it.each([
    ['https://github.com/acme/app.git', ['--github-owner=acme', '--github-repo=app']],
    ['https://github.com/acme/app', ['--github-owner=acme', '--github-repo=app']],
    ['git@github.com:acme/app.git', ['--github-owner=acme', '--github-repo=app']],
    ['ssh://git@github.com/acme/app.git', ['--github-owner=acme', '--github-repo=app']],
    [
      'https://ghe.corp.example/platform/api.git',
      [
        '--github-owner=platform',
        '--github-repo=api',
        '--github-api-base-url=https://ghe.corp.example/api/v3',
      ],
    ],
    [
      'git@ghe.corp.example:platform/api.git',
      [
        '--github-owner=platform',
        '--github-repo=api',
        '--github-api-base-url=https://ghe.corp.example/api/v3',
      ],
    ],
    [
      'https://ghe.corp.example:8443/platform/api',
      [
        '--github-owner=platform',
        '--github-repo=api',
        '--github-api-base-url=https://ghe.corp.example:8443/api/v3',
      ],
    ],
  ])('workspace %s → %j', (repo, githubArgs) => {
    expect(configOf(spawner(), { workspace: workspace(repo) }, {}).args).toEqual([
      ...BASE_ARGS,
      ...githubArgs,
    ]);
  });

  it('only name and namespace without a workspace', () => {
    const cron = spawner({
      when: { cron: { schedule: '* * * * *' } },
      taskTemplate: { type: 'codex', credentials: { type: 'none' } },
    });
    expect(configOf(cron, {}, {}).args).toEqual(BASE_ARGS);
  });

  it("the controller's --github-api-base-url points the spawner there, for github.com too", () => {
    const options = { githubApiBaseUrl: 'http://127.0.0.1:9999/' };
    expect(
      configOf(spawner(), { workspace: workspace('https://github.com/acme/app') }, options).args,
    ).toEqual([
      ...BASE_ARGS,
      '--github-owner=acme',
      '--github-repo=app',
      '--github-api-base-url=http://127.0.0.1:9999',
    ]);
  });

  it('a cron spawner whose workspace is no GitHub repository gets no GitHub args', () => {
    const cron = spawner({ when: { cron: { schedule: '0 * * * *' } } });
    expect(
      configOf(cron, { workspace: workspace('https://gitlab.com/group/sub/project.git') }, {}).args,
    ).toEqual(BASE_ARGS);
  });

  it('a GitHub source whose workspace is no GitHub repository cannot run', () => {
    expect(
      spawnerConfig(spawner(), { workspace: workspace('https://gitlab.com/group/sub/project.git') }, {}),
    ).toEqual({
      problem: {
        reason: 'InvalidWorkspaceRepo',
        message:
          'Workspace "ws" repo "https://gitlab.com/group/sub/project.git" is not a GitHub repository ' +
          '(expected https://<host>/<owner>/<repo> or git@<host>:<owner>/<repo>); set it, or the source repo',
      },
    });
  });
});

describe('repo override', () => {
  it('takes githubIssues.repo, else githubPullRequests.repo', () => {
    expect(repoOverride(spawner({ when: { githubIssues: { repo: 'a/b' } } }))).toEqual({
      field: 'githubIssues.repo',
      value: 'a/b',
    });
    expect(repoOverride(spawner({ when: { githubPullRequests: { repo: 'c/d' } } }))).toEqual({
      field: 'githubPullRequests.repo',
      value: 'c/d',
    });
    expect(repoOverride(spawner({ when: { githubIssues: { repo: '' } } }))).toBeUndefined();
  });

  it.each([
    ['upstream/project', { owner: 'upstream', repo: 'project' }],
    ['upstream/project.git', { owner: 'upstream', repo: 'project' }],
    [' upstream/project ', { owner: 'upstream', repo: 'project' }],
    ['https://github.com/upstream/project', { host: 'github.com', owner: 'upstream', repo: 'project' }],
    ['git@ghe.example:upstream/project.git', { host: 'ghe.example', owner: 'upstream', repo: 'project' }],
    ['not a repo', undefined],
    ['just-a-name', undefined],
    ['a/b/c', undefined],
    ['https://github.com/only-owner', undefined],
  ])('parses %j', (value, expected) => {
    expect(parseRepoOverride(value)).toEqual(expected);
  });

  it('owner/repo keeps the workspace host (GitHub Enterprise API preserved)', () => {
    const s = spawner({ when: { githubIssues: { repo: 'upstream/project' } } });
    expect(spawnerRepo(s, workspace('https://ghe.example/me/fork.git'))).toEqual({
      repo: { host: 'ghe.example', owner: 'upstream', repo: 'project' },
    });
  });

  it('a URL brings its own host', () => {
    const s = spawner({ when: { githubPullRequests: { repo: 'https://ghe.example/up/stream' } } });
    expect(configOf(s, { workspace: workspace('https://github.com/me/fork') }, {}).args).toEqual([
      ...BASE_ARGS,
      '--github-owner=up',
      '--github-repo=stream',
      '--github-api-base-url=https://ghe.example/api/v3',
    ]);
  });

  it('owner/repo with a workspace that is no GitHub repository falls back to github.com', () => {
    const s = spawner({ when: { githubIssues: { repo: 'upstream/project' } } });
    expect(configOf(s, { workspace: workspace('git://example.org/deep/path/repo') }, {}).args).toEqual([
      ...BASE_ARGS,
      '--github-owner=upstream',
      '--github-repo=project',
    ]);
  });

  it('an override that does not parse is a problem named InvalidGitHubRepoOverride', () => {
    const s = spawner({ when: { githubPullRequests: { repo: 'nope' } } });
    expect(spawnerConfig(s, { workspace: workspace('https://github.com/me/fork') }, {})).toEqual({
      problem: {
        reason: 'InvalidGitHubRepoOverride',
        message: 'githubPullRequests.repo "nope" is neither "owner/repo" nor a repository URL',
      },
    });
  });
});

describe('spawner env', () => {
  it('none without a Secret', () => {
    expect(spawnerEnv(undefined)).toEqual([]);
  });

  it('PAT: GITHUB_TOKEN from the Secret key GITHUB_TOKEN', () => {
    expect(spawnerEnv({ name: 'gh', auth: 'token' })).toEqual([
      { name: 'GITHUB_TOKEN', valueFrom: { secretKeyRef: { name: 'gh', key: 'GITHUB_TOKEN' } } },
    ]);
  });

  it('GitHub App: the three GITHUB_APP_* from appID, installationID, privateKey, in that order', () => {
    expect(spawnerEnv({ name: 'app', auth: 'github-app' })).toEqual([
      { name: 'GITHUB_APP_ID', valueFrom: { secretKeyRef: { name: 'app', key: 'appID' } } },
      {
        name: 'GITHUB_APP_INSTALLATION_ID',
        valueFrom: { secretKeyRef: { name: 'app', key: 'installationID' } },
      },
      { name: 'GITHUB_APP_PRIVATE_KEY', valueFrom: { secretKeyRef: { name: 'app', key: 'privateKey' } } },
    ]);
  });
});

describe('spawner image', () => {
  it.each([
    [{}, 'ghcr.io/kelos-dev/kelos-spawner:latest'],
    [{ version: 'v0.9.0' }, 'ghcr.io/kelos-dev/kelos-spawner:v0.9.0'],
    [{ image: 'localhost:5000/spawner', version: 'dev' }, 'localhost:5000/spawner:dev'],
    [{ image: 'reg/spawner:pinned', version: 'dev' }, 'reg/spawner:pinned'],
    [{ image: 'reg/spawner@sha256:abc', version: 'dev' }, 'reg/spawner@sha256:abc'],
  ])('%j → %s', (options, image) => {
    expect(spawnerImage(options)).toBe(image);
  });
});

const LABELS = {
  'kelos.dev/name': 'kelos',
  'kelos.dev/component': 'spawner',
  'kelos.dev/managed-by': 'kelos-controller',
  'kelos.dev/taskspawner': 'issues',
};

const OWNER = {
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'TaskSpawner',
  name: 'issues',
  uid: 'uid-1',
  controller: true,
  blockOwnerDeletion: true,
};

describe('buildSpawnerDeployment', () => {
  const config = {
    args: [...BASE_ARGS, '--github-owner=acme'],
    env: spawnerEnv({ name: 'gh', auth: 'token' }),
  };

  it('is the whole Deployment of spec §9', () => {
    expect(buildSpawnerDeployment(spawner(), config, { version: 'v1' })).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'issues', namespace: 'team', labels: LABELS, ownerReferences: [OWNER] },
      spec: {
        replicas: 1,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: 'kelos-spawner',
            restartPolicy: 'Always',
            containers: [
              {
                name: 'spawner',
                image: 'ghcr.io/kelos-dev/kelos-spawner:v1',
                args: config.args,
                env: config.env,
                ports: [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    });
  });

  it('has no replica while suspended', () => {
    expect(buildSpawnerDeployment(spawner({ suspend: true }), config, {}).spec?.replicas).toBe(0);
  });

  it('takes pull policy and resources from the controller flags', () => {
    const container = buildSpawnerDeployment(spawner(), config, {
      imagePullPolicy: 'Never',
      resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } },
    }).spec?.template.spec?.containers[0];
    expect(container?.imagePullPolicy).toBe('Never');
    expect(container?.resources).toEqual({ requests: { cpu: '250m' }, limits: { memory: '512Mi' } });
  });

  it('leaves env out when there is none, and shares no object between labels', () => {
    const d = buildSpawnerDeployment(spawner(), { args: BASE_ARGS, env: [] }, {});
    expect(d.spec?.template.spec?.containers[0]?.env).toBeUndefined();
    expect(d.metadata?.labels).not.toBe(d.spec?.selector.matchLabels);
    expect(d.spec?.template.metadata?.labels).not.toBe(d.spec?.selector.matchLabels);
  });
});

describe('buildSpawnerCronJob', () => {
  const cronSpawner = spawner({ when: { cron: { schedule: '*/15 * * * *' } } });
  const config = { args: BASE_ARGS, env: [] };

  it('is the whole CronJob of spec §9: one-shot runs, Forbid, history 3/1, no retries', () => {
    expect(buildSpawnerCronJob(cronSpawner, config, {})).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'issues', namespace: 'team', labels: LABELS, ownerReferences: [OWNER] },
      spec: {
        schedule: '*/15 * * * *',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          metadata: { labels: LABELS },
          spec: {
            backoffLimit: 0,
            template: {
              metadata: { labels: LABELS },
              spec: {
                serviceAccountName: 'kelos-spawner',
                restartPolicy: 'Never',
                containers: [
                  {
                    name: 'spawner',
                    image: 'ghcr.io/kelos-dev/kelos-spawner:latest',
                    args: [...BASE_ARGS, '--one-shot'],
                  },
                ],
              },
            },
          },
        },
      },
    });
  });

  it('suspend follows spec.suspend', () => {
    const suspended = spawner({ when: { cron: { schedule: '0 0 * * *' } }, suspend: true });
    expect(buildSpawnerCronJob(suspended, config, {}).spec?.suspend).toBe(true);
  });

  it('does not add --one-shot to the args it was given', () => {
    buildSpawnerCronJob(cronSpawner, config, {});
    expect(config.args).toEqual(BASE_ARGS);
  });
});
