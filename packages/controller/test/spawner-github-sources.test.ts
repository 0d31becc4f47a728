import type { GitHubIssues, GitHubPullRequests, TaskSpawner } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createGitHubClient,
  createGitHubIntegration,
  type GitHubClient,
  GitHubIssueComments,
  GitHubIssuesSource,
  GitHubPullRequestsSource,
} from '../src/spawner/github/index.js';
import { FakeGitHubRepo } from './helpers/fake-github-repo.js';

let fake: FakeGitHubRepo;
let client: GitHubClient;

beforeEach(async () => {
  fake = new FakeGitHubRepo({ owner: 'acme', repo: 'widgets' });
  fake.addToken('ghp_spawner', 'kelos-bot');
  await fake.start();
  client = createGitHubClient({ baseUrl: fake.url, token: 'ghp_spawner' });
});
afterEach(() => fake.stop());

const issues = (settings: GitHubIssues) =>
  new GitHubIssuesSource({ client, owner: 'acme', repo: 'widgets', settings });
const pulls = (settings: GitHubPullRequests) =>
  new GitHubPullRequestsSource({ client, owner: 'acme', repo: 'widgets', settings });
const numbers = (items: { number: number }[]) => items.map((item) => item.number).sort((a, b) => a - b);
const listRequest = (path: string) =>
  fake.requests.find((r) => r.route.split('?')[0] === path && r.method === 'GET');

describe('GitHubIssuesSource', () => {
  it('builds work items with joined comments', async () => {
    const issue = fake.addIssue({ title: 'Crash on start', body: 'Steps…', labels: ['bug', 'p1'] });
    fake.addComment(issue.number, 'alice', 'Seen it too');
    fake.addComment(issue.number, 'bob', 'Stack trace attached');
    const [item] = await issues({}).discover();
    expect(item).toEqual({
      id: String(issue.number),
      number: issue.number,
      title: 'Crash on start',
      body: 'Steps…',
      url: `https://github.com/acme/widgets/issues/${issue.number}`,
      labels: ['bug', 'p1'],
      comments: 'Seen it too\n---\nStack trace attached',
      kind: 'Issue',
    });
  });

  it('sends state, labels, assignee and creator to GitHub as §10.4 says', async () => {
    fake.addIssue({ labels: ['bug', 'ready'], assignees: ['carol'], user: 'alice' });
    fake.addIssue({ labels: ['bug'], assignees: ['carol'], user: 'alice' });
    fake.addIssue({ labels: ['bug', 'ready'], user: 'alice' });
    fake.addIssue({ labels: ['bug', 'ready'], assignees: ['carol'], user: 'bob', state: 'closed' });
    const items = await issues({
      labels: ['bug', 'ready'],
      assignee: 'carol',
      author: 'alice',
      state: 'all',
    }).discover();
    expect(numbers(items)).toEqual([1]);
    const query = new URL(listRequest('/repos/acme/widgets/issues')?.path ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      per_page: '100',
      state: 'all',
      labels: 'bug,ready',
      assignee: 'carol',
      creator: 'alice',
    });
  });

  it('defaults to open issues, and assignee none/* filter unassigned/assigned', async () => {
    fake.addIssue({ assignees: ['carol'] });
    fake.addIssue();
    fake.addIssue({ state: 'closed' });
    expect(numbers(await issues({}).discover())).toEqual([1, 2]);
    expect(numbers(await issues({ assignee: 'none' }).discover())).toEqual([2]);
    expect(numbers(await issues({ assignee: '*' }).discover())).toEqual([1]);
    expect(numbers(await issues({ state: 'closed' }).discover())).toEqual([3]);
  });

  it('filters types, excludeAuthors and excludeLabels client-side', async () => {
    fake.addIssue({ user: 'alice' });
    fake.addPullRequest({ user: 'alice' });
    fake.addIssue({ user: 'dependabot[bot]' });
    fake.addIssue({ labels: ['wontfix'] });
    expect(
      numbers(await issues({ excludeAuthors: ['dependabot[bot]'], excludeLabels: ['wontfix'] }).discover()),
    ).toEqual([1]);
    const both = await issues({ types: ['issues', 'pulls'], excludeLabels: ['wontfix'] }).discover();
    expect(both.map((i) => [i.number, i.kind]).sort()).toEqual([
      [1, 'Issue'],
      [2, 'PR'],
      [3, 'Issue'],
    ]);
    expect(numbers(await issues({ types: ['pulls'] }).discover())).toEqual([2]);
  });

  it('says which repository and server a failed listing was for', async () => {
    const wrongToken = createGitHubClient({ baseUrl: fake.url, token: 'ghp_revoked' });
    const source = new GitHubIssuesSource({
      client: wrongToken,
      owner: 'acme',
      repo: 'widgets',
      settings: {},
    });
    await expect(source.discover()).rejects.toThrow(
      `listing the issues of acme/widgets at ${fake.url}: Bad credentials`,
    );
  });

  it('reads more than 100 issues through pagination', async () => {
    for (let i = 0; i < 250; i++) fake.addIssue();
    const items = await issues({}).discover();
    expect(items).toHaveLength(250);
    expect(fake.requests.filter((r) => r.route.startsWith('/repos/acme/widgets/issues?'))).toHaveLength(3);
  });

  it('a second discovery of an unchanged repository costs no quota', async () => {
    for (let i = 0; i < 120; i++) fake.addIssue({ labels: ['bug'] });
    fake.addComment(5, 'alice', '/kelos pick-up');
    fake.setPermission('alice', 'write');
    const source = issues({
      commentPolicy: { triggerComment: '/kelos pick-up', minimumPermission: 'write' },
    });
    const first = await source.discover();
    expect(numbers(first)).toEqual([5]);

    const mark = fake.requests.length;
    const remaining = fake.rateLimit.remaining;
    const second = await source.discover();
    expect(second).toEqual(first);
    const sent = fake.requests.slice(mark);
    // Two list pages, 120 comment lists and alice's permission, all answered 304.
    expect(sent).toHaveLength(123);
    expect(sent.every((r) => r.status === 304)).toBe(true);
    expect(fake.quotaSpentSince(mark)).toBe(0);
    expect(fake.rateLimit.remaining).toBe(remaining);
    expect(client.stats().rateLimit?.remaining).toBe(remaining);

    // One new comment changes the comment list of one issue and the list (its updated_at): two requests.
    fake.addComment(7, 'bob', 'Any news?');
    const mark2 = fake.requests.length;
    await source.discover();
    expect(fake.quotaSpentSince(mark2)).toBe(2);
  });

  describe('comment policy', () => {
    const at = (minute: number) => `2026-02-01T10:${String(minute).padStart(2, '0')}:00Z`;

    it('trigger only: picks items with an authorized trigger line; TriggerTime is the newest trigger', async () => {
      fake.addIssue();
      fake.addComment(1, 'alice', 'Could someone look?\n /kelos pick-up \nthanks', at(1));
      fake.addComment(1, 'alice', '/kelos pick-up', at(5));
      fake.addIssue();
      fake.addComment(2, 'alice', 'please /kelos pick-up', at(2));
      fake.addIssue({ body: 'Details\n/kelos pick-up' });
      const items = await issues({ commentPolicy: { triggerComment: '/kelos pick-up' } }).discover();
      expect(numbers(items)).toEqual([1, 3]);
      expect(items.find((i) => i.number === 1)?.triggerTime).toEqual(new Date(at(5)));
      expect(items.find((i) => i.number === 3)?.triggerTime).toBeUndefined();
    });

    it('the deprecated top-level triggerComment/excludeComments work the same', async () => {
      fake.addIssue();
      fake.addComment(1, 'alice', '/go', at(1));
      fake.addIssue();
      fake.addComment(2, 'alice', '/go', at(1));
      fake.addComment(2, 'alice', '/stop', at(2));
      const items = await issues({ triggerComment: '/go', excludeComments: ['/stop'] }).discover();
      expect(numbers(items)).toEqual([1]);
    });

    it('exclude only: any exclude excludes; both: the most recent command wins', async () => {
      fake.addIssue();
      fake.addIssue();
      fake.addComment(2, 'alice', '/kelos hold', at(1));
      fake.addIssue();
      fake.addComment(3, 'alice', '/kelos hold', at(1));
      fake.addComment(3, 'alice', '/kelos pick-up', at(2));
      expect(
        numbers(await issues({ commentPolicy: { excludeComments: ['/kelos hold'] } }).discover()),
      ).toEqual([1]);
      const both = await issues({
        commentPolicy: { triggerComment: '/kelos pick-up', excludeComments: ['/kelos hold'] },
      }).discover();
      expect(numbers(both)).toEqual([3]);
      expect(both[0]?.triggerTime).toEqual(new Date(at(2)));
    });

    it('counts allowedUsers, members of allowedTeams and collaborators with minimumPermission', async () => {
      for (const user of ['alice', 'bob', 'carol', 'mallory', 'trish']) {
        const issue = fake.addIssue({ title: user });
        fake.addComment(issue.number, user, '/go');
      }
      fake.setTeam('acme/maintainers', ['bob']);
      fake.setPermission('carol', 'maintain');
      fake.setPermission('trish', 'triage');
      fake.setPermission('mallory', 'read');
      const items = await issues({
        commentPolicy: {
          triggerComment: '/go',
          allowedUsers: ['Alice'],
          allowedTeams: ['acme/maintainers'],
          minimumPermission: 'write',
        },
      }).discover();
      expect(items.map((i) => i.title).sort()).toEqual(['alice', 'bob', 'carol']);
      // Each login is looked up at most once per discovery; allowedUsers need no lookup.
      const lookups = fake.requests
        .filter((r) => /collaborators|memberships/.test(r.route))
        .map((r) => r.route);
      expect(lookups.some((route) => route.includes('alice'))).toBe(false);
      expect(lookups.filter((route) => route.includes('/collaborators/mallory/'))).toHaveLength(1);

      const triage = await issues({
        commentPolicy: { triggerComment: '/go', minimumPermission: 'triage' },
      }).discover();
      expect(triage.map((i) => i.title).sort()).toEqual(['carol', 'trish']);
    });

    it('an unauthorized exclude does not block, and an unauthorized body trigger does not pick', async () => {
      fake.addIssue({ user: 'mallory', body: '/go' });
      fake.addIssue({ user: 'alice' });
      fake.addComment(2, 'alice', '/go', at(1));
      fake.addComment(2, 'mallory', '/stop', at(2));
      const items = await issues({
        commentPolicy: { triggerComment: '/go', excludeComments: ['/stop'], allowedUsers: ['alice'] },
      }).discover();
      expect(numbers(items)).toEqual([2]);
    });

    it('ignores the spawner’s own comments: status reports neither trigger nor fill Comments', async () => {
      fake.addIssue({ title: 'mine' });
      fake.addComment(1, 'kelos-bot', '/go');
      fake.addIssue({ title: 'theirs' });
      fake.addComment(2, 'alice', 'Please look');
      fake.addComment(2, 'kelos-bot', '🤖 **Kelos Task Status**\n\nTask accepted');
      fake.addComment(2, 'alice', '/go');
      const items = await issues({ commentPolicy: { triggerComment: '/go' } }).discover();
      expect(items.map((i) => [i.title, i.comments])).toEqual([['theirs', 'Please look\n---\n/go']]);

      const withOwn = new GitHubIssuesSource({
        client,
        owner: 'acme',
        repo: 'widgets',
        settings: { commentPolicy: { triggerComment: '/go' } },
        ignoreOwnComments: false,
      });
      expect(numbers(await withOwn.discover())).toEqual([1, 2]);
    });

    it('fails the discovery with context when an authorization lookup fails', async () => {
      fake.addIssue();
      fake.addComment(1, 'bob', '/go');
      fake.fail(/\/memberships\//, 403, 'Resource not accessible by personal access token');
      const source = issues({ commentPolicy: { triggerComment: '/go', allowedTeams: ['acme/core'] } });
      await expect(source.discover()).rejects.toThrow(
        /evaluating the comment policy of issue #1: checking the membership of bob in team acme\/core: Resource not accessible/,
      );
    });
  });
});

describe('GitHubPullRequestsSource', () => {
  it('lists by most recently updated and builds PR work items', async () => {
    const pr = fake.addPullRequest({
      title: 'Add cache',
      body: 'Adds a cache',
      headRef: 'feature/cache',
      headSha: 'abc123',
      labels: ['ready'],
    });
    fake.addComment(pr.number, 'alice', 'LGTM overall');
    fake.addReviewComment(pr.number, { user: 'bob', body: 'Rename this', path: 'src/cache.ts', line: 3 });
    fake.addReviewComment(pr.number, {
      user: 'bob',
      body: 'Old remark',
      path: 'src/old.ts',
      commitId: 'old',
    });
    fake.addReview(pr.number, { user: 'bob', state: 'APPROVED' });
    const [item] = await pulls({}).discover();
    expect(item).toEqual({
      id: String(pr.number),
      number: pr.number,
      title: 'Add cache',
      body: 'Adds a cache',
      url: `https://github.com/acme/widgets/pull/${pr.number}`,
      labels: ['ready'],
      comments: 'LGTM overall',
      kind: 'PR',
      branch: 'feature/cache',
      headSHA: 'abc123',
      reviewState: 'approved',
      reviewComments: 'src/cache.ts:3\nRename this',
    });
    const query = new URL(listRequest('/repos/acme/widgets/pulls')?.path ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      per_page: '100',
      state: 'open',
      sort: 'updated',
      direction: 'desc',
    });
  });

  it('filters labels (all), excludeLabels, author, excludeAuthors and draft client-side', async () => {
    fake.addPullRequest({ labels: ['ready', 'backend'], user: 'alice' });
    fake.addPullRequest({ labels: ['ready'], user: 'alice' });
    fake.addPullRequest({ labels: ['ready', 'backend', 'hold'], user: 'alice' });
    fake.addPullRequest({ labels: ['ready', 'backend'], user: 'bob' });
    fake.addPullRequest({ labels: ['ready', 'backend'], user: 'alice', draft: true });
    fake.addIssue({ labels: ['ready', 'backend'], user: 'alice' });
    const settings = { labels: ['ready', 'backend'], excludeLabels: ['hold'] };
    expect(numbers(await pulls({ ...settings, author: 'alice' }).discover())).toEqual([1, 5]);
    expect(numbers(await pulls({ ...settings, excludeAuthors: ['bob'], draft: false }).discover())).toEqual([
      1,
    ]);
    expect(numbers(await pulls({ ...settings, draft: true }).discover())).toEqual([5]);
    expect(fake.requests.every((r) => !r.route.includes('labels='))).toBe(true);
  });

  it('filters by changed files, fetching them only when filePatterns is set', async () => {
    fake.addPullRequest({ files: ['docs/intro.md'] });
    fake.addPullRequest({ files: ['docs/intro.md', 'src/server/main.go'] });
    fake.addPullRequest({ files: ['src/server/main_test.go'] });
    await pulls({}).discover();
    expect(fake.requests.some((r) => r.route.includes('/files'))).toBe(false);
    expect(numbers(await pulls({ filePatterns: { include: ['src/**/*.go'] } }).discover())).toEqual([2, 3]);
    expect(
      numbers(await pulls({ filePatterns: { include: ['**/*.go'], exclude: ['**/*_test.go'] } }).discover()),
    ).toEqual([2]);
    expect(numbers(await pulls({ filePatterns: { exclude: ['docs/**'] } }).discover())).toEqual([2, 3]);
  });

  it('aggregates reviews on the head commit and filters by reviewState, with the review as trigger time', async () => {
    fake.addPullRequest({ title: 'approved' });
    fake.addReview(1, { user: 'bob', state: 'APPROVED', submittedAt: '2026-03-01T10:00:00Z' });
    fake.addPullRequest({ title: 'changes' });
    fake.addReview(2, { user: 'bob', state: 'APPROVED', submittedAt: '2026-03-01T10:00:00Z' });
    fake.addReview(2, { user: 'carol', state: 'CHANGES_REQUESTED', submittedAt: '2026-03-01T11:00:00Z' });
    fake.addPullRequest({ title: 'stale approval' });
    fake.addReview(3, { user: 'bob', state: 'APPROVED', submittedAt: '2026-03-01T10:00:00Z' });
    fake.push(3, 'new-head');
    fake.addPullRequest({ title: 'commented' });
    fake.addReview(4, { user: 'bob', state: 'COMMENTED' });

    const all = await pulls({}).discover();
    expect(Object.fromEntries(all.map((i) => [i.title, i.reviewState]))).toEqual({
      approved: 'approved',
      changes: 'changes_requested',
      'stale approval': 'none',
      commented: 'none',
    });
    expect(all.every((i) => i.triggerTime === undefined)).toBe(true);

    const approved = await pulls({ reviewState: 'approved' }).discover();
    expect(approved.map((i) => [i.title, i.triggerTime])).toEqual([
      ['approved', new Date('2026-03-01T10:00:00Z')],
    ]);
    const changes = await pulls({ reviewState: 'changes_requested' }).discover();
    expect(changes.map((i) => [i.title, i.triggerTime])).toEqual([
      ['changes', new Date('2026-03-01T11:00:00Z')],
    ]);
  });

  it('applies the comment policy to conversation comments, inline review comments and review bodies', async () => {
    fake.addPullRequest({ title: 'conversation' });
    fake.addComment(1, 'alice', '/kelos fix', '2026-03-02T10:00:00Z');
    fake.addPullRequest({ title: 'inline' });
    fake.addReviewComment(2, {
      user: 'alice',
      body: '/kelos fix',
      path: 'a.go',
      createdAt: '2026-03-02T11:00:00Z',
    });
    fake.addPullRequest({ title: 'review body' });
    fake.addReview(3, {
      user: 'alice',
      state: 'COMMENTED',
      body: '/kelos fix',
      submittedAt: '2026-03-02T12:00:00Z',
    });
    fake.addPullRequest({ title: 'nothing' });
    fake.addPullRequest({ title: 'stopped' });
    fake.addReviewComment(5, {
      user: 'alice',
      body: '/kelos fix',
      path: 'a.go',
      createdAt: '2026-03-02T10:00:00Z',
    });
    fake.addComment(5, 'alice', '/kelos stop', '2026-03-02T10:30:00Z');
    const items = await pulls({
      commentPolicy: { triggerComment: '/kelos fix', excludeComments: ['/kelos stop'] },
    }).discover();
    expect(Object.fromEntries(items.map((i) => [i.title, i.triggerTime?.toISOString()]))).toEqual({
      conversation: '2026-03-02T10:00:00.000Z',
      inline: '2026-03-02T11:00:00.000Z',
      'review body': '2026-03-02T12:00:00.000Z',
    });
  });

  it('the trigger time is the newer of the trigger comment and the deciding review', async () => {
    fake.addPullRequest();
    fake.addReview(1, { user: 'bob', state: 'CHANGES_REQUESTED', submittedAt: '2026-03-03T09:00:00Z' });
    fake.addComment(1, 'alice', '/kelos fix', '2026-03-03T08:00:00Z');
    const settings: GitHubPullRequests = {
      reviewState: 'changes_requested',
      commentPolicy: { triggerComment: '/kelos fix' },
    };
    expect((await pulls(settings).discover())[0]?.triggerTime).toEqual(new Date('2026-03-03T09:00:00Z'));
    fake.addComment(1, 'alice', '/kelos fix', '2026-03-03T10:00:00Z');
    expect((await pulls(settings).discover())[0]?.triggerTime).toEqual(new Date('2026-03-03T10:00:00Z'));
  });

  it('a second discovery of unchanged pull requests costs no quota', async () => {
    for (let i = 0; i < 5; i++) {
      const pr = fake.addPullRequest({ files: ['src/a.go'] });
      fake.addReview(pr.number, { user: 'bob', state: 'APPROVED' });
      fake.addComment(pr.number, 'alice', 'ok');
    }
    const source = pulls({ reviewState: 'approved', filePatterns: { include: ['**/*.go'] } });
    const first = await source.discover();
    expect(first).toHaveLength(5);
    const mark = fake.requests.length;
    expect(await source.discover()).toEqual(first);
    // The list, then files, reviews, comments and review comments of each pull request.
    expect(fake.requests.length - mark).toBe(1 + 5 * 4);
    expect(fake.quotaSpentSince(mark)).toBe(0);
  });
});

describe('reporting through GitHubIssueComments and discovery together', () => {
  it('status comments posted by the spawner do not change what the issues source sees', async () => {
    fake.addIssue();
    fake.addComment(1, 'alice', 'Broken since Monday');
    const source = issues({});
    const before = await source.discover();
    const reporter = new GitHubIssueComments(client, 'acme', 'widgets');
    await reporter.createComment(1, '🤖 **Kelos Task Status**\n\nTask `spawner-1` has been **accepted**');
    const after = await source.discover();
    expect(after).toEqual(before);
    expect((await reporter.listComments(1)).map((c) => c.user)).toEqual(['alice', 'kelos-bot']);
  });
});

describe('createGitHubIntegration', () => {
  const spawner = (when: TaskSpawner['spec']['when']) =>
    ({ metadata: { name: 'bot', namespace: 'team' }, spec: { when } }) as TaskSpawner;

  it('builds the source of the TaskSpawner’s kind on one long-lived client', async () => {
    fake.addIssue({ title: 'an issue' });
    fake.addPullRequest({ title: 'a pull request' });
    const github = createGitHubIntegration({
      owner: 'acme',
      repo: 'widgets',
      apiBaseUrl: fake.url,
      token: 'ghp_spawner',
    });
    const fromIssues = await github.source(spawner({ githubIssues: {} })).discover();
    expect(fromIssues.map((i) => i.title)).toEqual(['an issue']);
    const fromPulls = await github.source(spawner({ githubPullRequests: {} })).discover();
    expect(fromPulls.map((i) => i.title)).toEqual(['a pull request']);
    // The next cycle builds a new source on the same client: its ETags make the rediscovery free.
    const mark = fake.requests.length;
    await github.source(spawner({ githubIssues: {} })).discover();
    expect(fake.quotaSpentSince(mark)).toBe(0);
    expect(github.client.stats().notModified).toBeGreaterThan(0);
    expect(() => github.source(spawner({ cron: { schedule: '* * * * *' } }))).toThrow(/has no GitHub source/);
    await github.issueComments(spawner({ githubIssues: {} }))?.createComment(1, 'status');
    expect(fake.item(1).comments.map((c) => [c.user, c.body])).toEqual([['kelos-bot', 'status']]);
  });

  it('needs the repository', () => {
    const github = createGitHubIntegration({ apiBaseUrl: fake.url, token: 'ghp_spawner' });
    expect(() => github.source(spawner({ githubIssues: {} }))).toThrow(/--github-owner and --github-repo/);
    expect(github.issueComments(spawner({ githubIssues: {} }))).toBeUndefined();
  });

  it('reads through --gh-proxy-url and writes to the API', async () => {
    const proxy = new FakeGitHubRepo({ owner: 'acme', repo: 'widgets' });
    proxy.addToken('ghp_spawner', 'kelos-bot');
    proxy.addIssue({ title: 'seen through the proxy' });
    await proxy.start();
    try {
      fake.addIssue({ title: 'the API' });
      const github = createGitHubIntegration({
        owner: 'acme',
        repo: 'widgets',
        apiBaseUrl: fake.url,
        proxyUrl: proxy.url,
        token: 'ghp_spawner',
      });
      const items = await github.source(spawner({ githubIssues: {} })).discover();
      expect(items.map((i) => i.title)).toEqual(['seen through the proxy']);
      await github.issueComments(spawner({ githubIssues: {} }))?.createComment(1, 'status');
      expect(fake.requests.map((r) => r.method)).toEqual(['POST']);
    } finally {
      await proxy.stop();
    }
  });
});
