import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_REFRESH_MARGIN_MS } from '../src/github/token-secret.js';
import { createLogger } from '../src/runtime/logger.js';
import { createGitHubClient, type GitHubClient, GitHubIssueComments } from '../src/spawner/github/index.js';
import { FakeGitHub } from './helpers/fake-github.js';
import { FakeGitHubRepo, type FakeRepoOptions } from './helpers/fake-github-repo.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const fakes: FakeGitHubRepo[] = [];
async function startFake(options: FakeRepoOptions = {}): Promise<FakeGitHubRepo> {
  const fake = new FakeGitHubRepo(options);
  fake.addToken('ghp_test', 'kelos-user');
  await fake.start();
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

const issuesRoute = 'GET /repos/{owner}/{repo}/issues';
const repo = { owner: 'acme', repo: 'widgets' };
const listIssues = (client: GitHubClient, params: Record<string, string | number> = {}) =>
  client.list<{ number: number }>(issuesRoute, { ...repo, per_page: 100, ...params });

describe('GitHub client against the fake GitHub', () => {
  it('sends the PAT as `token` with the v3 Accept header', async () => {
    const fake = await startFake();
    fake.addIssue();
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });
    await listIssues(client);
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBe('token ghp_test');
    expect(request?.headers.accept).toBe('application/vnd.github.v3+json');
    expect(await client.selfLogin()).toBe('kelos-user');
  });

  it('answers an unchanged resource from its ETag cache: a 304 that costs no quota', async () => {
    const fake = await startFake();
    fake.addIssue({ title: 'first' });
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });
    const first = await listIssues(client);
    const remaining = fake.rateLimit.remaining;

    const mark = fake.requests.length;
    const second = await listIssues(client);
    expect(second).toEqual(first);
    expect(fake.requests.slice(mark).map((r) => r.status)).toEqual([304]);
    expect(fake.requests[mark]?.headers['if-none-match']).toMatch(/^W\/"[0-9a-f]+"$/);
    expect(fake.rateLimit.remaining).toBe(remaining);
    expect(fake.quotaSpentSince(mark)).toBe(0);
    expect(client.stats()).toMatchObject({ requests: 2, notModified: 1, quotaUsed: 1, cacheEntries: 1 });

    fake.addIssue({ title: 'second' });
    const third = await listIssues(client);
    expect(third.map((i) => i.number)).toEqual([2, 1]);
    expect(fake.requests.at(-1)?.status).toBe(200);
    expect(client.stats()).toMatchObject({ requests: 3, notModified: 1, quotaUsed: 2 });
    expect(client.stats().rateLimit).toMatchObject({ limit: 5000, remaining: fake.rateLimit.remaining });
  });

  it('logs neither a 304 nor a failed request above debug: the caller reports failures', async () => {
    const fake = await startFake();
    fake.addIssue();
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test', logger });
    await listIssues(client);
    await listIssues(client);
    await expect(
      client.request('GET /repos/{owner}/{repo}/issues/{n}', { ...repo, n: 404 }),
    ).rejects.toThrow();
    expect(fake.requests.map((r) => r.status)).toEqual([200, 304, 404]);
    expect(lines).toEqual([]);
  });

  it('keeps the cache per caller: another token does not get the first one’s cached answers', async () => {
    const fake = await startFake();
    fake.addToken('ghp_other', 'someone');
    fake.addIssue();
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });
    await listIssues(client);
    const other = createGitHubClient({ baseUrl: fake.url, token: 'ghp_other' });
    await listIssues(other);
    expect(fake.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
  });

  it('follows Link rel="next", stopping after 10 pages', async () => {
    const fake = await startFake();
    for (let i = 0; i < 1050; i++) fake.addIssue();
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });
    const issues = await listIssues(client);
    expect(issues).toHaveLength(1000);
    expect(new Set(issues.map((i) => i.number)).size).toBe(1000);
    expect(fake.requests.map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual([
      null,
      ...['2', '3', '4', '5', '6', '7', '8', '9', '10'],
    ]);
    expect(await client.list(issuesRoute, { ...repo, per_page: 100 }, { maxPages: 2 })).toHaveLength(200);
  });

  it('serves a GitHub Enterprise base URL (/api/v3), pages included', async () => {
    const fake = await startFake({ pathPrefix: '/api/v3' });
    for (let i = 0; i < 150; i++) fake.addIssue();
    expect(fake.url).toMatch(/\/api\/v3$/);
    const client = createGitHubClient({ baseUrl: `${fake.url}/`, token: 'ghp_test' });
    expect(client.baseUrl).toBe(fake.url);
    expect(await listIssues(client)).toHaveLength(150);
    expect(fake.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/api/v3/repos/acme/widgets/issues',
      '/api/v3/repos/acme/widgets/issues',
    ]);
  });

  it('holds requests back once the quota is spent, until the reset, without sending any', async () => {
    const fake = await startFake();
    for (let i = 0; i < 5; i++) fake.addIssue();
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
    fake.setRateLimit({ limit: 3, remaining: 3, resetAt });
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });

    const numbers = [1, 2, 3, 4, 5];
    for (const number of numbers) {
      await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...repo,
        issue_number: number,
      });
    }
    // The third answer said `remaining: 0`: the fourth request waited for the reset instead of being refused.
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const fourth = fake.requests[3];
    expect(fourth?.receivedAt).toBeGreaterThanOrEqual(resetAt.getTime());
    expect(client.stats().rateLimited).toBe(0);
    expect(client.stats().rateLimitWaitMs).toBeGreaterThan(0);
  });

  it('after a rate-limit refusal waits for the reset, sending nothing meanwhile, then retries', async () => {
    const fake = await startFake();
    fake.addToken('ghp_other', 'someone');
    fake.addIssue();
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
    fake.setRateLimit({ limit: 10, remaining: 1, resetAt });
    // Another client spends the last request of the shared quota, so this one learns of it by a 403.
    await listIssues(createGitHubClient({ baseUrl: fake.url, token: 'ghp_other' }));
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test' });

    const mark = fake.requests.length;
    const concurrent = await Promise.all([
      listIssues(client),
      client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...repo,
        issue_number: 1,
      }),
    ]);
    expect(concurrent[0]).toHaveLength(1);
    const sent = fake.requests.slice(mark);
    const refusals = sent.filter((r) => r.status === 403);
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    const lastRefusal = Math.max(...refusals.map((r) => r.receivedAt));
    const answered = sent.filter((r) => r.status === 200);
    expect(answered).toHaveLength(2);
    // Between the refusal and the reset nothing was sent.
    for (const request of sent.filter((r) => r.receivedAt > lastRefusal)) {
      expect(request.receivedAt).toBeGreaterThanOrEqual(resetAt.getTime());
    }
    expect(client.stats().rateLimited).toBe(refusals.length);
    expect(client.stats().quotaUsed).toBe(2);
  });

  it('gives up after maxRateLimitRetries refusals', async () => {
    const refusing = new FakeGitHub();
    refusing.route((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ message: 'You have exceeded a secondary rate limit' }));
      return true;
    });
    await refusing.start();
    try {
      const client = createGitHubClient({ baseUrl: refusing.url, token: 'ghp_test', maxRateLimitRetries: 2 });
      await expect(client.request('GET /rate_limited')).rejects.toMatchObject({ status: 429 });
      expect(refusing.requests).toHaveLength(3);
      expect(client.stats().rateLimited).toBe(3);
    } finally {
      await refusing.stop();
    }
  });

  it('an abort ends a rate-limit wait', async () => {
    const fake = await startFake();
    fake.addIssue();
    fake.setRateLimit({ limit: 1, remaining: 1, resetAt: new Date(Date.now() + 60 * 60_000) });
    const controller = new AbortController();
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test', signal: controller.signal });
    await listIssues(client);
    const waiting = client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...repo,
      issue_number: 1,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(fake.requests).toHaveLength(1);
  });

  it('mints, uses and refreshes GitHub App installation tokens; its login is <slug>[bot]', async () => {
    const fake = await startFake();
    fake.server.addApp({ appId: '42', installationId: '7', privateKey, slug: 'kelos-app' });
    fake.server.tokenLifetimeMs = TOKEN_REFRESH_MARGIN_MS + 2000;
    fake.addIssue();
    const client = createGitHubClient({
      baseUrl: fake.url,
      app: { appId: '42', installationId: '7', privateKey },
    });
    await listIssues(client);
    const [mint, list] = fake.requests;
    expect(mint).toMatchObject({ method: 'POST', route: '/app/installations/7/access_tokens', status: 201 });
    expect(list?.headers.authorization).toBe('token ghs_fake_installation_token_1');
    expect(list?.status).toBe(200);

    expect(await client.selfLogin()).toBe('kelos-app[bot]');
    const app = fake.requests.find((r) => r.route === '/app');
    expect(app?.headers.authorization).toMatch(/^bearer ey/);

    // Within five minutes of its expiry the token is minted again; the ETag cache outlives it.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await listIssues(client);
    const last = fake.requests.at(-1);
    expect(last?.headers.authorization).toBe('token ghs_fake_installation_token_2');
    expect(last?.status).toBe(304);
    expect(client.stats().tokensMinted).toBe(2);
  });

  it('mints a new installation token when GitHub rejects the cached one', async () => {
    const fake = await startFake();
    fake.server.addApp({ appId: '42', installationId: '7', privateKey });
    fake.addIssue();
    const client = createGitHubClient({
      baseUrl: fake.url,
      app: { appId: '42', installationId: '7', privateKey },
    });
    await listIssues(client);
    fake.server.issuedTokens.clear();
    await listIssues(client);
    expect(fake.requests.map((r) => `${r.method} ${r.route.split('?')[0]} ${r.status}`)).toEqual([
      'POST /app/installations/7/access_tokens 201',
      'GET /repos/acme/widgets/issues 200',
      'GET /repos/acme/widgets/issues 401',
      'POST /app/installations/7/access_tokens 201',
      'GET /repos/acme/widgets/issues 304',
    ]);
  });

  it('a PAT wins over App credentials', async () => {
    const fake = await startFake();
    fake.server.addApp({ appId: '42', installationId: '7', privateKey });
    fake.addIssue();
    const client = createGitHubClient({
      baseUrl: fake.url,
      token: 'ghp_test',
      app: { appId: '42', installationId: '7', privateKey },
    });
    await listIssues(client);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['token ghp_test']);
  });
});

describe('GitHubIssueComments', () => {
  it('creates, lists and updates comments as the token user, writes spaced apart', async () => {
    const fake = await startFake();
    const issue = fake.addIssue();
    fake.addComment(issue.number, 'alice', 'Please fix');
    const client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_test', minWriteIntervalMs: 200 });
    const comments = new GitHubIssueComments(client, 'acme', 'widgets');

    const created = await comments.createComment(issue.number, '🤖 **Kelos Task Status**\n\naccepted');
    expect(created).toMatchObject({ user: 'kelos-user', body: '🤖 **Kelos Task Status**\n\naccepted' });
    const updated = await comments.updateComment(created.id, '🤖 **Kelos Task Status**\n\nsucceeded');
    expect(updated).toMatchObject({ id: created.id, body: '🤖 **Kelos Task Status**\n\nsucceeded' });

    const listed = await comments.listComments(issue.number);
    expect(listed.map((c) => [c.user, c.body])).toEqual([
      ['alice', 'Please fix'],
      ['kelos-user', '🤖 **Kelos Task Status**\n\nsucceeded'],
    ]);
    expect(listed[1]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await comments.selfLogin()).toBe('kelos-user');

    const writes = fake.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect((writes[1]?.receivedAt ?? 0) - (writes[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(150);
  });
});
