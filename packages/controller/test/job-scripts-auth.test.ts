import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceSpec } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRemote, git } from './fixtures/job/git.js';
import { type GitHttpServer, startGitHttpServer } from './fixtures/job/git-http-server.js';
import { build, initOf, makeTask, makeWorkspace } from './fixtures/job/objects.js';
import { createSandbox, runContainer, runInSandbox, type Sandbox } from './fixtures/job/sandbox.js';

/**
 * The credential helper against a git server that checks the token: the mounted token file wins
 * over $GITHUB_TOKEN, a rotated file is picked up without restarting anything, and the helper
 * persisted into the repository keeps working for the agent.
 */

let sb: Sandbox;
let server: GitHttpServer;
let repo: string;

beforeEach(async () => {
  sb = await createSandbox();
  createRemote(sb.shared);
  server = await startGitHttpServer(sb.shared, 'ghs_first');
  repo = join(sb.workspace, 'repo');
});
afterEach(async () => {
  await server.close();
  await sb.cleanup();
});

function container(name: string, ws: Partial<WorkspaceSpec> = {}, branch?: string) {
  const job = build({
    task: makeTask({ workspaceRef: { name: 'repo' }, ...(branch && { branch }) }),
    workspace: makeWorkspace({ repo: `${server.url}/app.git`, secretRef: { name: 'gh' }, ...ws }),
  });
  return initOf(job, name);
}

const writeTokenFile = (token: string) => writeFileSync(join(sb.tokenDir, 'GITHUB_TOKEN'), token);
const secretEnv = (token: string) => ({ GITHUB_TOKEN: token, GH_ENTERPRISE_TOKEN: token });

describe('credential helper (executed against an authenticating server)', () => {
  it('clones with the token from the mounted file, preferring it over $GITHUB_TOKEN', async () => {
    writeTokenFile('ghs_first');
    const result = await runContainer(sb, container('git-clone', { ref: 'main' }), secretEnv('stale'));
    expect(result.code, result.stderr).toBe(0);
    expect(server.attempts).toContain('x-access-token:ghs_first');
    expect(server.attempts).not.toContain('x-access-token:stale');
  });

  it('falls back to $GITHUB_TOKEN when the token file is absent', async () => {
    const result = await runContainer(sb, container('git-clone'), secretEnv('ghs_first'));
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('main');
  });

  it('fails the clone when the server rejects the token', async () => {
    writeTokenFile('wrong');
    const result = await runContainer(sb, container('git-clone'), secretEnv('also-wrong'));
    expect(result.code).not.toBe(0);
    expect(server.attempts).toContain('x-access-token:wrong');
  });

  it('persists exactly one helper and the username, and the agent picks up a rotated token', async () => {
    writeTokenFile('ghs_first');
    expect((await runContainer(sb, container('git-clone'), secretEnv('ghs_first'))).code).toBe(0);
    expect(git(repo, 'config', '--get-all', 'credential.helper').split('\n')).toHaveLength(1);
    expect(git(repo, 'config', '--get', 'credential.username')).toBe('x-access-token');

    server.token = 'ghs_second';
    writeTokenFile('ghs_second');
    // The agent runs plain git in the repository, with no -c flags and a stale env token.
    const fetch = await runInSandbox(
      sb,
      ['git', '-C', '/workspace/repo', 'fetch', 'origin'],
      secretEnv('ghs_first'),
    );
    expect(fetch.code, fetch.stderr).toBe(0);
    expect(server.attempts.at(-1)).toBe('x-access-token:ghs_second');
  });

  it('lets a username embedded in the repository URL win over x-access-token', async () => {
    writeTokenFile('ghs_first');
    const url = `${server.url.replace('http://', 'http://bot@')}/app.git`;
    await runContainer(sb, container('git-clone', { repo: url }), secretEnv('ghs_first'));
    expect(server.attempts).toContain('bot:ghs_first');
  });

  it('fetches a commit ref through the helper and persists it', async () => {
    writeTokenFile('ghs_first');
    const sha = git(join(sb.shared, 'app.git'), 'rev-parse', 'main~1');
    const result = await runContainer(sb, container('git-clone', { ref: sha }), secretEnv('x'));
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(sha);
    expect(git(repo, 'config', '--get-all', 'credential.helper')).toContain(
      '/kelos/github-token/GITHUB_TOKEN',
    );
  });

  it('branch-setup lists and fetches with the current token', async () => {
    writeTokenFile('ghs_first');
    expect((await runContainer(sb, container('git-clone', {}, 'feature'), secretEnv('x'))).code).toBe(0);
    server.token = 'ghs_rotated';
    writeTokenFile('ghs_rotated');
    const result = await runContainer(sb, container('branch-setup', {}, 'feature'), secretEnv('x'));
    expect(result.code, result.stderr).toBe(0);
    expect(git(repo, 'branch', '--show-current')).toBe('feature');
  });

  it('branch-setup fails (and creates nothing) when ls-remote is refused', async () => {
    writeTokenFile('ghs_first');
    expect((await runContainer(sb, container('git-clone', {}, 'kelos/new'), secretEnv('x'))).code).toBe(0);
    server.token = 'ghs_rotated';
    const result = await runContainer(sb, container('branch-setup', {}, 'kelos/new'), secretEnv('x'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('branch-setup: git ls-remote origin failed with exit code 128');
    expect(git(repo, 'branch', '--show-current')).toBe('main');
  });
});
