import { execFileSync } from 'node:child_process';
import { imageRepository, withDefaultTag } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import {
  gitCredentialHelper,
  isBundledAgentImage,
  isFullCommitSha,
  parseGitHubRepo,
  shellQuote,
} from '../src/job/index.js';

describe('parseGitHubRepo', () => {
  it.each([
    ['https://github.com/kelos-dev/kelos.git', 'github.com', 'kelos-dev', 'kelos'],
    ['https://github.com/kelos-dev/kelos', 'github.com', 'kelos-dev', 'kelos'],
    ['https://github.com/kelos-dev/kelos/', 'github.com', 'kelos-dev', 'kelos'],
    ['http://github.com/o/r.git', 'github.com', 'o', 'r'],
    ['https://x-access-token:t@github.com/o/r.git', 'github.com', 'o', 'r'],
    ['git@github.com:kelos-dev/kelos.git', 'github.com', 'kelos-dev', 'kelos'],
    ['git@github.com:kelos-dev/kelos', 'github.com', 'kelos-dev', 'kelos'],
    ['ssh://git@github.com/kelos-dev/kelos.git', 'github.com', 'kelos-dev', 'kelos'],
    ['ssh://git@ghe.example.com:2222/org/repo.git', 'ghe.example.com:2222', 'org', 'repo'],
    ['git://github.com/o/r.git', 'github.com', 'o', 'r'],
    ['https://GitHub.COM/Org/Repo.git', 'github.com', 'Org', 'Repo'],
    ['https://ghe.corp:8443/team/app', 'ghe.corp:8443', 'team', 'app'],
    ['  https://github.com/o/r.git  ', 'github.com', 'o', 'r'],
  ])('parses %s', (url, host, owner, repo) => {
    expect(parseGitHubRepo(url)).toEqual({ host, owner, repo });
  });

  it.each([
    'https://github.com/only-owner',
    'https://github.com/a/b/c',
    'https://github.com/',
    'not a url',
    'git@github.com:',
    'https://',
    '',
  ])('gives undefined for %j', (url) => {
    expect(parseGitHubRepo(url)).toBeUndefined();
  });
});

describe('images', () => {
  it.each([
    ['ghcr.io/kelos-dev/claude-code', 'ghcr.io/kelos-dev/claude-code:v1'],
    ['localhost:5000/agent', 'localhost:5000/agent:v1'],
    ['agent:dev', 'agent:dev'],
    ['localhost:5000/agent:dev', 'localhost:5000/agent:dev'],
    ['agent@sha256:abc', 'agent@sha256:abc'],
  ])('withDefaultTag(%s) = %s', (image, tagged) => {
    expect(withDefaultTag(image, 'v1')).toBe(tagged);
  });

  it.each([
    ['ghcr.io/kelos-dev/codex:1@sha256:ab', 'ghcr.io/kelos-dev/codex'],
    ['host:1/a/b:c', 'host:1/a/b'],
  ])('imageRepository(%s) = %s', (image, repo) => {
    expect(imageRepository(image)).toBe(repo);
  });

  it.each([
    ['ghcr.io/kelos-dev/claude-code', true],
    ['ghcr.io/kelos-dev/codex:latest', true],
    ['ghcr.io/kelos-dev/gemini@sha256:abc', true],
    ['ghcr.io/kelos-dev/opencode:v1', true],
    ['ghcr.io/kelos-dev/cursor:v1', true],
    ['mirror.example/kelos-dev/opencode:latest', false],
    ['ghcr.io/kelos-dev/cursor-custom:latest', false],
    ['ghcr.io/kelos-dev/kelos-controller:latest', false],
    ['custom-agent:latest', false],
  ])('isBundledAgentImage(%s) = %s', (image, bundled) => {
    expect(isBundledAgentImage(image)).toBe(bundled);
  });
});

describe('isFullCommitSha', () => {
  it('accepts exactly 40 hex digits in either case', () => {
    expect(isFullCommitSha('0123456789abcdef0123456789ABCDEF01234567')).toBe(true);
    expect(isFullCommitSha('0123456789abcdef0123456789abcdef0123456')).toBe(false);
    expect(isFullCommitSha('0123456789abcdef0123456789abcdef0123456g')).toBe(false);
    expect(isFullCommitSha('main')).toBe(false);
  });
});

describe('shellQuote', () => {
  it.each(['plain', "it's", "''", 'a b\nc', '$(id) `id` $HOME \\ "q"', ''])(
    'round-trips %j through sh',
    (value) => {
      const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(out).toBe(value);
    },
  );
});

describe('gitCredentialHelper', () => {
  it('reads the mounted token file and falls back to $GITHUB_TOKEN', () => {
    expect(gitCredentialHelper()).toBe(
      '!f() { if [ -r "/kelos/github-token/GITHUB_TOKEN" ]; then echo "password=$(cat "/kelos/github-token/GITHUB_TOKEN")"; ' +
        'else echo "password=$GITHUB_TOKEN"; fi; }; f',
    );
  });

  it('answers git with the env token when there is no file', () => {
    const out = execFileSync('/bin/sh', ['-c', `${gitCredentialHelper().slice(1)} get`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghp_env' },
    });
    expect(out).toBe('password=ghp_env\n');
  });
});
