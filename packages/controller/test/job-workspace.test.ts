import type { WorkspaceSpec } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import {
  agentOf,
  build,
  envOf,
  initOf,
  makeTask,
  makeWorkspace,
  names,
  scriptOf,
} from './fixtures/job/objects.js';

const HELPER =
  '!f() { if [ -r "/kelos/github-token/GITHUB_TOKEN" ]; then echo "password=$(cat "/kelos/github-token/GITHUB_TOKEN")"; ' +
  'else echo "password=$GITHUB_TOKEN"; fi; }; f';
const tokenRef = (name = 'gh') => ({ secretKeyRef: { name, key: 'GITHUB_TOKEN' } });

function withWorkspace(ws: Partial<WorkspaceSpec> = {}, spec: Parameters<typeof makeTask>[0] = {}) {
  return build({ task: makeTask({ workspaceRef: { name: 'repo' }, ...spec }), workspace: makeWorkspace(ws) });
}

describe('workspace: pod shape', () => {
  it('adds git-clone, the workspace emptyDir, fsGroup 61100 and workingDir /workspace/repo', () => {
    const job = withWorkspace({ ref: 'main' });
    const pod = job.spec.template.spec;
    expect(names(pod.initContainers)).toEqual(['git-clone']);
    expect(pod.volumes).toEqual([{ name: 'workspace', emptyDir: {} }]);
    expect(pod.securityContext).toEqual({ fsGroup: 61100 });
    const agent = agentOf(job);
    expect(agent.workingDir).toBe('/workspace/repo');
    expect(agent.volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }]);
  });

  it('mounts the token Secret (optional, GITHUB_TOKEN item) read-only with a secretRef', () => {
    const job = withWorkspace({ secretRef: { name: 'gh-pat' } });
    expect(job.spec.template.spec.volumes).toEqual([
      { name: 'workspace', emptyDir: {} },
      {
        name: 'kelos-github-token',
        secret: {
          secretName: 'gh-pat',
          items: [{ key: 'GITHUB_TOKEN', path: 'GITHUB_TOKEN' }],
          optional: true,
        },
      },
    ]);
    const tokenMount = { name: 'kelos-github-token', mountPath: '/kelos/github-token', readOnly: true };
    expect(agentOf(job).volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }, tokenMount]);
    expect(initOf(job, 'git-clone').volumeMounts).toEqual([
      { name: 'workspace', mountPath: '/workspace' },
      tokenMount,
    ]);
  });

  it('refers to the minted per-task token Secret when the reconciler substituted it', () => {
    const job = withWorkspace({ secretRef: { name: 'my-task-github-token' } });
    expect(envOf(agentOf(job), 'GITHUB_TOKEN')?.valueFrom).toEqual(tokenRef('my-task-github-token'));
    expect(job.spec.template.spec.volumes?.[1]?.secret?.secretName).toBe('my-task-github-token');
  });

  it('runs every git init container as the agent UID on alpine/git', () => {
    const job = withWorkspace(
      {
        remotes: [{ name: 'upstream', url: 'https://github.com/u/r' }],
        files: [{ path: 'a', content: 'b' }],
      },
      { branch: 'b' },
    );
    const inits = job.spec.template.spec.initContainers ?? [];
    expect(names(inits)).toEqual(['git-clone', 'remote-setup', 'branch-setup', 'workspace-files']);
    for (const c of inits) {
      expect(c.image).toBe('alpine/git:v2.47.2');
      expect(c.securityContext).toEqual({ runAsUser: 61100 });
    }
  });

  it('uses the configured git image', () => {
    const job = build({
      task: makeTask({ workspaceRef: { name: 'r' } }),
      workspace: makeWorkspace(),
      options: { gitImage: 'mirror/git:1' },
    });
    expect(initOf(job, 'git-clone').image).toBe('mirror/git:1');
  });
});

describe('workspace: env', () => {
  it('gives github.com workspaces GITHUB_TOKEN, GH_TOKEN, GH_CONFIG_DIR and the token file path', () => {
    const agent = agentOf(withWorkspace({ secretRef: { name: 'gh' } }));
    expect(agent.env?.slice(2)).toEqual([
      { name: 'GITHUB_TOKEN', valueFrom: tokenRef() },
      { name: 'GH_TOKEN', valueFrom: tokenRef() },
      { name: 'GH_CONFIG_DIR', value: '/workspace/.gh-config' },
      { name: 'KELOS_GITHUB_TOKEN_FILE', value: '/kelos/github-token/GITHUB_TOKEN' },
    ]);
  });

  it('gives GitHub Enterprise workspaces GH_HOST and GH_ENTERPRISE_TOKEN instead of GH_TOKEN', () => {
    const agent = agentOf(
      withWorkspace({ repo: 'https://github.example.com/org/app.git', secretRef: { name: 'gh' } }),
    );
    expect(names(agent.env)).toEqual([
      'KELOS_AGENT_TYPE',
      'ANTHROPIC_API_KEY',
      'GH_HOST',
      'GITHUB_TOKEN',
      'GH_ENTERPRISE_TOKEN',
      'GH_CONFIG_DIR',
      'KELOS_GITHUB_TOKEN_FILE',
    ]);
    expect(envOf(agent, 'GH_HOST')?.value).toBe('github.example.com');
  });

  it.each([
    ['git@ghe.corp.net:org/app.git', 'ghe.corp.net'],
    ['ssh://git@ghe.corp.net:2222/org/app.git', 'ghe.corp.net:2222'],
    ['https://GHE.Corp.Net/org/app', 'ghe.corp.net'],
  ])('derives GH_HOST from %s', (repo, host) => {
    expect(envOf(agentOf(withWorkspace({ repo })), 'GH_HOST')?.value).toBe(host);
  });

  it.each(['https://github.com/org/app.git', 'git@github.com:org/app.git', 'https://github.com/org/app'])(
    'sets no GH_HOST for %s',
    (repo) => {
      expect(envOf(agentOf(withWorkspace({ repo, secretRef: { name: 'gh' } })), 'GH_HOST')).toBeUndefined();
      expect(envOf(agentOf(withWorkspace({ repo, secretRef: { name: 'gh' } })), 'GH_TOKEN')).toBeDefined();
    },
  );

  it('sets GH_HOST without a secretRef, and no token env', () => {
    const agent = agentOf(withWorkspace({ repo: 'https://ghe.example.com/o/r' }));
    expect(names(agent.env)).toEqual(['KELOS_AGENT_TYPE', 'ANTHROPIC_API_KEY', 'GH_HOST']);
  });

  it('gives git-clone and branch-setup the workspace env; branch-setup adds KELOS_BRANCH', () => {
    const job = withWorkspace(
      { repo: 'https://ghe.example.com/o/r', secretRef: { name: 'gh' } },
      { branch: 'kelos/x' },
    );
    const workspaceEnv = [
      { name: 'GH_HOST', value: 'ghe.example.com' },
      { name: 'GITHUB_TOKEN', valueFrom: tokenRef() },
      { name: 'GH_ENTERPRISE_TOKEN', valueFrom: tokenRef() },
      { name: 'KELOS_GITHUB_TOKEN_FILE', value: '/kelos/github-token/GITHUB_TOKEN' },
    ];
    expect(initOf(job, 'git-clone').env).toEqual(workspaceEnv);
    expect(initOf(job, 'branch-setup').env).toEqual([
      ...workspaceEnv,
      { name: 'KELOS_BRANCH', value: 'kelos/x' },
    ]);
  });

  it('gives a public github.com clone no env at all', () => {
    expect(initOf(withWorkspace(), 'git-clone').env).toBeUndefined();
  });

  it('sets KELOS_BASE_BRANCH from the workspace ref', () => {
    expect(envOf(agentOf(withWorkspace({ ref: 'develop' })), 'KELOS_BASE_BRANCH')?.value).toBe('develop');
    expect(envOf(agentOf(withWorkspace()), 'KELOS_BASE_BRANCH')).toBeUndefined();
  });

  it('prefers spec.upstreamRepo for KELOS_UPSTREAM_REPO', () => {
    const job = withWorkspace(
      { remotes: [{ name: 'upstream', url: 'https://github.com/from/remote.git' }] },
      { upstreamRepo: 'from/spec' },
    );
    expect(envOf(agentOf(job), 'KELOS_UPSTREAM_REPO')?.value).toBe('from/spec');
  });

  it.each([
    ['https://github.com/kelos-dev/kelos.git', 'kelos-dev/kelos'],
    ['git@github.com:kelos-dev/kelos.git', 'kelos-dev/kelos'],
    ['https://ghe.example.com/team/tool', 'team/tool'],
  ])('derives KELOS_UPSTREAM_REPO from an upstream remote %s', (url, value) => {
    const job = withWorkspace({
      remotes: [
        { name: 'fork', url: 'https://github.com/me/fork' },
        { name: 'upstream', url },
      ],
    });
    expect(envOf(agentOf(job), 'KELOS_UPSTREAM_REPO')?.value).toBe(value);
  });

  it('sets no KELOS_UPSTREAM_REPO for remotes not named upstream', () => {
    const job = withWorkspace({ remotes: [{ name: 'fork', url: 'https://github.com/me/fork' }] });
    expect(envOf(agentOf(job), 'KELOS_UPSTREAM_REPO')).toBeUndefined();
  });

  it('sets KELOS_UPSTREAM_REPO only together with a workspace', () => {
    expect(
      envOf(agentOf(build({ task: makeTask({ upstreamRepo: 'o/r' }) })), 'KELOS_UPSTREAM_REPO'),
    ).toBeUndefined();
  });

  it('encodes setupCommand as a JSON array string', () => {
    const setupCommand = ['sh', '-c', 'make deps && echo "done" \'ok\''];
    const value = envOf(agentOf(withWorkspace({ setupCommand })), 'KELOS_SETUP_COMMAND')?.value;
    expect(value).toBe(JSON.stringify(setupCommand));
    expect(JSON.parse(value ?? '')).toEqual(setupCommand);
  });
});

describe('workspace: git-clone', () => {
  it('clones with --branch, --no-single-branch and depth 1 through the image entrypoint', () => {
    const clone = initOf(withWorkspace({ ref: 'main' }), 'git-clone');
    expect(clone.command).toBeUndefined();
    expect(clone.args).toEqual([
      'clone',
      '--branch',
      'main',
      '--no-single-branch',
      '--depth',
      '1',
      '--',
      'https://github.com/example-org/app.git',
      '/workspace/repo',
    ]);
  });

  it('omits --branch without a ref', () => {
    expect(initOf(withWorkspace(), 'git-clone').args).toEqual([
      'clone',
      '--no-single-branch',
      '--depth',
      '1',
      '--',
      'https://github.com/example-org/app.git',
      '/workspace/repo',
    ]);
  });

  it('wraps the clone in sh -c with the credential helper when there is a secretRef', () => {
    const clone = initOf(withWorkspace({ ref: 'v1.0', secretRef: { name: 'gh' } }), 'git-clone');
    expect(clone.command?.slice(0, 2)).toEqual(['sh', '-c']);
    expect(clone.args).toEqual([
      '--',
      'clone',
      '--branch',
      'v1.0',
      '--no-single-branch',
      '--depth',
      '1',
      '--',
      'https://github.com/example-org/app.git',
      '/workspace/repo',
    ]);
    expect(scriptOf(clone)).toBe(
      [
        'set -eu',
        `git -c credential.helper= -c credential.helper='${HELPER}' -c credential.username=x-access-token "$@"`,
        "git -C '/workspace/repo' config --unset-all credential.helper 2>/dev/null || true",
        `git -C '/workspace/repo' config --add credential.helper '${HELPER}'`,
        "git -C '/workspace/repo' config credential.username x-access-token",
      ].join('\n'),
    );
  });

  it.each([false, true])('checks out a 40-hex commit ref by fetching it (secretRef: %s)', (withSecret) => {
    const sha = 'a'.repeat(20) + 'B'.repeat(20);
    const clone = initOf(
      withWorkspace({ ref: sha, ...(withSecret && { secretRef: { name: 'gh' } }) }),
      'git-clone',
    );
    expect(clone.args).toEqual(['--', 'https://github.com/example-org/app.git', '/workspace/repo', sha]);
    const script = scriptOf(clone);
    expect(script).toContain('git init -q "$target"');
    expect(script).toContain('git -C "$target" remote add origin "$repo"');
    expect(script).toContain('fetch --depth 1 origin "$ref"');
    expect(script).toContain('git -C "$target" checkout -q --detach FETCH_HEAD');
    expect(script.includes(HELPER)).toBe(withSecret);
    expect(script).not.toContain(sha);
  });

  it('treats a 39- or 41-character hex ref as a branch name', () => {
    for (const ref of ['a'.repeat(39), 'a'.repeat(41), `${'a'.repeat(39)}g`]) {
      expect(initOf(withWorkspace({ ref }), 'git-clone').args?.slice(0, 3)).toEqual([
        'clone',
        '--branch',
        ref,
      ]);
    }
  });
});

describe('workspace: remote-setup', () => {
  it('adds or re-points each remote with single-quoted names and URLs', () => {
    const job = withWorkspace({
      remotes: [
        { name: 'upstream', url: 'https://github.com/up/app.git' },
        { name: 'other', url: "https://example.com/it's.git" },
      ],
    });
    const setup = initOf(job, 'remote-setup');
    expect(setup.env).toBeUndefined();
    expect(setup.volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }]);
    expect(scriptOf(setup)).toBe(
      'cd /workspace/repo && ' +
        "if git remote get-url 'upstream' >/dev/null 2>&1; then git remote set-url 'upstream' 'https://github.com/up/app.git'; " +
        "else git remote add 'upstream' 'https://github.com/up/app.git'; fi && " +
        "if git remote get-url 'other' >/dev/null 2>&1; then git remote set-url 'other' 'https://example.com/it'\"'\"'s.git'; " +
        "else git remote add 'other' 'https://example.com/it'\"'\"'s.git'; fi",
    );
  });

  it('is absent without remotes', () => {
    expect(names(withWorkspace({ remotes: [] }).spec.template.spec.initContainers)).toEqual(['git-clone']);
  });
});

describe('workspace: branch-setup', () => {
  it('uses ls-remote to decide between fetching the branch and creating it', () => {
    const script = scriptOf(initOf(withWorkspace({}, { branch: 'kelos/x' }), 'branch-setup'));
    expect(script).toContain('ls-remote --exit-code --heads origin "refs/heads/$KELOS_BRANCH"');
    expect(script).toContain('git checkout -b "$KELOS_BRANCH" FETCH_HEAD --');
    expect(script).toContain('git merge --ff-only FETCH_HEAD');
    expect(script).toContain('elif [ "$rc" -eq 2 ]; then');
    expect(script).not.toContain('kelos/x');
    expect(script).not.toContain('credential.helper');
  });

  it('authenticates ls-remote and fetch with the helper when there is a secretRef', () => {
    const script = scriptOf(
      initOf(withWorkspace({ secretRef: { name: 'gh' } }, { branch: 'b' }), 'branch-setup'),
    );
    const flags = `git -c credential.helper= -c credential.helper='${HELPER}' -c credential.username=x-access-token`;
    expect(script).toContain(`${flags} ls-remote --exit-code`);
    expect(script).toContain(`${flags} fetch origin "refs/heads/$KELOS_BRANCH"`);
  });

  it('comes after remote-setup and before workspace-files', () => {
    const job = withWorkspace(
      { remotes: [{ name: 'upstream', url: 'https://github.com/u/r' }], files: [{ path: 'f', content: '' }] },
      { branch: 'b' },
    );
    expect(names(job.spec.template.spec.initContainers)).toEqual([
      'git-clone',
      'remote-setup',
      'branch-setup',
      'workspace-files',
    ]);
  });
});

describe('workspace: workspace-files', () => {
  it('writes each file from base64 under /workspace/repo', () => {
    const files = [
      { path: 'AGENTS.md', content: 'Run make test.' },
      { path: 'docs/../.github/x.yml', content: "it's" },
    ];
    const setup = initOf(withWorkspace({ files }), 'workspace-files');
    expect(setup.volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace' }]);
    expect(scriptOf(setup)).toBe(
      [
        'set -eu',
        "target='/workspace/repo/AGENTS.md'",
        'mkdir -p "$(dirname "$target")"',
        `printf '%s' '${Buffer.from('Run make test.').toString('base64')}' | base64 -d > "$target"`,
        "target='/workspace/repo/.github/x.yml'",
        'mkdir -p "$(dirname "$target")"',
        `printf '%s' '${Buffer.from("it's").toString('base64')}' | base64 -d > "$target"`,
      ].join('\n'),
    );
  });

  it('quotes a path containing a single quote', () => {
    const script = scriptOf(
      initOf(withWorkspace({ files: [{ path: "a'b", content: 'x' }] }), 'workspace-files'),
    );
    expect(script).toContain(`target='/workspace/repo/a'"'"'b'`);
  });
});
