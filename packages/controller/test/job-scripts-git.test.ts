import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceSpec } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFile, createRemote, git, type Remote } from './fixtures/job/git.js';
import { build, initOf, makeTask, makeWorkspace } from './fixtures/job/objects.js';
import { createSandbox, runContainer, type Sandbox } from './fixtures/job/sandbox.js';

/** The git init containers executed for real (sh + git) against local bare repositories. */

let sb: Sandbox;
let remote: Remote;
let repo: string;

beforeEach(async () => {
  sb = await createSandbox();
  remote = createRemote(sb.shared);
  repo = join(sb.workspace, 'repo');
});
afterEach(async () => {
  await sb.cleanup();
});

function jobFor(ws: Partial<WorkspaceSpec>, branch?: string) {
  return build({
    task: makeTask({ workspaceRef: { name: 'repo' }, ...(branch && { branch }) }),
    workspace: makeWorkspace({ repo: remote.url, ...ws }),
  });
}

async function run(ws: Partial<WorkspaceSpec>, container: string, branch?: string) {
  return runContainer(sb, initOf(jobFor(ws, branch), container));
}

describe('git-clone (executed)', () => {
  it('clones the ref shallowly and keeps every branch tip', async () => {
    const result = await run({ ref: 'main' }, 'git-clone');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('main');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(remote.bare, 'rev-parse', 'main'));
    expect(existsSync(join(repo, '.git', 'shallow'))).toBe(true);
    expect(git(repo, 'branch', '-r')).toContain('origin/feature');
  });

  it('checks out the remote default branch without a ref', async () => {
    const result = await run({}, 'git-clone');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('main');
  });

  it('checks out a non-default branch ref', async () => {
    const result = await run({ ref: 'feature' }, 'git-clone');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('feature');
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
  });

  it('fetches a commit ref that is not a branch tip and detaches onto it', async () => {
    const first = git(remote.bare, 'rev-parse', 'main~1');
    const result = await run({ ref: first }, 'git-clone');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(first);
    expect(git(repo, 'branch', '--show-current')).toBe('');
    expect(existsSync(join(repo, 'src/main.txt'))).toBe(false);
    expect(git(repo, 'remote', 'get-url', 'origin')).toBe(remote.url);
  });

  it('fails on a ref that does not exist', async () => {
    const result = await run({ ref: 'no-such-branch' }, 'git-clone');
    expect(result.code).not.toBe(0);
  });
});

describe('remote-setup (executed)', () => {
  it('adds remotes whose names and URLs contain quotes, and re-running sets the URL', async () => {
    expect((await run({}, 'git-clone')).code).toBe(0);
    const remotes = [
      { name: 'upstream', url: 'https://github.com/up/app.git' },
      { name: "o'brien", url: "https://example.com/it's/a repo.git" },
    ];
    const first = await run({ remotes }, 'remote-setup');
    expect(first.code, first.stderr).toBe(0);
    expect(git(repo, 'remote', 'get-url', 'upstream')).toBe('https://github.com/up/app.git');
    expect(git(repo, 'remote', 'get-url', "o'brien")).toBe("https://example.com/it's/a repo.git");

    const again = await run(
      { remotes: [{ name: 'upstream', url: 'https://github.com/moved/app.git' }] },
      'remote-setup',
    );
    expect(again.code, again.stderr).toBe(0);
    expect(git(repo, 'remote', 'get-url', 'upstream')).toBe('https://github.com/moved/app.git');
  });
});

describe('branch-setup (executed)', () => {
  async function cloneThenBranch(ws: Partial<WorkspaceSpec>, branch: string) {
    const clone = await run(ws, 'git-clone', branch);
    expect(clone.code, clone.stderr).toBe(0);
    return run(ws, 'branch-setup', branch);
  }

  it('creates a branch that is not on origin from the cloned HEAD (ls-remote exit 2)', async () => {
    const result = await cloneThenBranch({ ref: 'main' }, 'kelos/issue-42');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('kelos/issue-42');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(remote.bare, 'rev-parse', 'main'));
  });

  it('continues an existing remote branch from its tip', async () => {
    const result = await cloneThenBranch({ ref: 'main' }, 'feature');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('feature');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(remote.bare, 'rev-parse', 'feature'));
  });

  it('fast-forwards a local branch of that name when origin moved after the clone', async () => {
    const clone = await run({ ref: 'feature' }, 'git-clone', 'feature');
    expect(clone.code, clone.stderr).toBe(0);
    git(remote.work, 'checkout', '-q', 'feature');
    const tip = commitFile(remote.work, 'later.txt', 'pushed by an earlier Task\n');
    git(remote.work, 'push', '-q', 'origin', 'feature');

    const result = await run({ ref: 'feature' }, 'branch-setup', 'feature');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(tip);
    expect(readFileSync(join(repo, 'later.txt'), 'utf8')).toBe('pushed by an earlier Task\n');
  });

  it('fails instead of creating the branch when origin cannot be listed', async () => {
    expect((await run({ ref: 'main' }, 'git-clone', 'feature')).code).toBe(0);
    rmSync(remote.bare, { recursive: true, force: true });
    const result = await run({ ref: 'main' }, 'branch-setup', 'feature');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('branch-setup: git ls-remote origin failed with exit code');
    expect(git(repo, 'branch', '--show-current')).toBe('main');
  });

  it('treats the branch name as data, never as shell code', async () => {
    const branch = 'kelos/x$(id>pwned)`id>pwned2`';
    const result = await cloneThenBranch({ ref: 'main' }, branch);
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe(branch);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'pwned2'))).toBe(false);
  });

  it('checks out a branch named like a file of the repository', async () => {
    const result = await cloneThenBranch({ ref: 'main' }, 'README.md');
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('README.md');
  });
});

describe('workspace-files (executed)', () => {
  it('writes exact bytes for awkward contents and paths', async () => {
    expect((await run({}, 'git-clone')).code).toBe(0);
    const files = [
      { path: 'AGENTS.md', content: 'Run \'make test\'.\n$(rm -rf /) `id` "quoted" \\n\n' },
      { path: 'deep/nested/dir/config.json', content: '{"a":1}' },
      { path: "it's a dir/file name.txt", content: 'ünïcødé ✓' },
      { path: './docs/../notes.txt', content: '' },
      { path: 'README.md', content: 'overwritten' },
    ];
    const result = await run({ files }, 'workspace-files');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(repo, 'AGENTS.md'), 'utf8')).toBe(files[0]?.content);
    expect(readFileSync(join(repo, 'deep/nested/dir/config.json'), 'utf8')).toBe('{"a":1}');
    expect(readFileSync(join(repo, "it's a dir/file name.txt"), 'utf8')).toBe('ünïcødé ✓');
    expect(statSync(join(repo, 'notes.txt')).size).toBe(0);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('overwritten');
  });
});

describe('the workspace init containers in order (executed)', () => {
  it('clone, remotes, branch and files leave the repository the agent expects', async () => {
    const job = jobFor(
      {
        ref: 'main',
        remotes: [{ name: 'upstream', url: 'https://github.com/up/app.git' }],
        files: [{ path: 'CLAUDE.md', content: 'on the task branch\n' }],
      },
      'kelos/task-1',
    );
    for (const container of job.spec.template.spec.initContainers ?? []) {
      const result = await runContainer(sb, container);
      expect(result.code, `${container.name}: ${result.stderr}`).toBe(0);
    }
    expect(git(repo, 'branch', '--show-current')).toBe('kelos/task-1');
    expect(git(repo, 'remote')).toBe('origin\nupstream');
    expect(git(repo, 'status', '--porcelain')).toBe('?? CLAUDE.md');
  });
});
