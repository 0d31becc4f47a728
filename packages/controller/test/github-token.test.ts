import { generateKeyPairSync } from 'node:crypto';
import type { Task } from '@kelos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTokenSecret,
  githubApiBaseUrl,
  githubAppCredentials,
  mintInstallationToken,
  tokenRefresh,
} from '../src/github/index.js';
import { FakeGitHub } from './helpers/fake-github.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('githubApiBaseUrl', () => {
  it.each([
    ['github.com', undefined, 'https://api.github.com'],
    ['GitHub.com', undefined, 'https://api.github.com'],
    ['ghe.example.com', undefined, 'https://ghe.example.com/api/v3'],
    ['github.com', 'http://127.0.0.1:9999/', 'http://127.0.0.1:9999'],
  ])('%s (override %s) -> %s', (host, override, expected) => {
    expect(githubApiBaseUrl(host, override)).toBe(expected);
  });
});

describe('githubAppCredentials', () => {
  it('recognises an App Secret and decodes it', () => {
    expect(
      githubAppCredentials({ appID: b64('123\n'), installationID: b64('456'), privateKey: b64('KEY') }),
    ).toEqual({
      appId: '123',
      installationId: '456',
      privateKey: 'KEY',
    });
  });

  it.each([
    ['a token Secret', { GITHUB_TOKEN: b64('ghp_x') }],
    ['a partial App Secret', { appID: b64('1'), privateKey: b64('k') }],
    ['no data', undefined],
  ])('ignores %s', (_what, data) => {
    expect(githubAppCredentials(data)).toBeUndefined();
  });
});

describe('tokenRefresh', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('is due within five minutes of expiry, or when the expiry is unknown', () => {
    expect(tokenRefresh('2026-01-01T00:04:59Z', now)).toEqual({ due: true });
    expect(tokenRefresh(undefined, now)).toEqual({ due: true });
    expect(tokenRefresh('garbage', now)).toEqual({ due: true });
    expect(tokenRefresh('2026-01-01T01:00:00Z', now)).toEqual({ due: false, afterMs: 55 * 60_000 });
  });
});

describe('buildTokenSecret', () => {
  it('is owned by the Task and records its source and expiry', () => {
    const task = { metadata: { name: 'fix', namespace: 'ns', uid: 'u1' } } as Task;
    const secret = buildTokenSecret(task, 'gh-app', 'ghs_abc', '2026-01-01T01:00:00Z');
    expect(secret.metadata).toEqual({
      name: 'fix-github-token',
      namespace: 'ns',
      annotations: {
        'kelos.dev/github-app-secret': 'gh-app',
        'kelos.dev/token-expires-at': '2026-01-01T01:00:00Z',
      },
      ownerReferences: [
        {
          apiVersion: 'kelos.dev/v1alpha1',
          kind: 'Task',
          name: 'fix',
          uid: 'u1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(Buffer.from(secret.data.GITHUB_TOKEN, 'base64').toString()).toBe('ghs_abc');
  });
});

describe('mintInstallationToken against a fake GitHub', () => {
  const github = new FakeGitHub();
  beforeAll(async () => {
    github.addApp({ appId: '123', installationId: '456', privateKey });
    await github.start();
  });
  afterAll(() => github.stop());

  it('signs a JWT with the App key and exchanges it for an installation token', async () => {
    const token = await mintInstallationToken(
      { appId: '123', installationId: '456', privateKey },
      github.url,
    );
    expect(token.token).toMatch(/^ghs_fake_installation_token_\d+$/);
    expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const request = github.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/app/installations/456/access_tokens');
  });

  it('fails with a clear error for a wrong installation or key', async () => {
    await expect(
      mintInstallationToken({ appId: '123', installationId: '999', privateKey }, github.url),
    ).rejects.toThrow(/Not Found/);
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    await expect(
      mintInstallationToken({ appId: '123', installationId: '456', privateKey: other }, github.url),
    ).rejects.toThrow(/JSON web token/);
  });
});
