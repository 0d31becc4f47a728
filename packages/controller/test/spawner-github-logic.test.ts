import type { GitHubIssues, GitHubPullRequests } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { permissionAtLeast } from '../src/spawner/github/comment-authorizer.js';
import { commentPolicyOf, containsCommand } from '../src/spawner/github/comment-commands.js';
import {
  type CommentPolicyInput,
  commandAuthors,
  decideCommentPolicy,
  type PolicyComment,
} from '../src/spawner/github/comment-policy.js';
import { EtagCache } from '../src/spawner/github/etag-cache.js';
import { changedFilesMatch, issueMatches, pullRequestMatches } from '../src/spawner/github/filters.js';
import type { GitHubIssue, GitHubPullRequest } from '../src/spawner/github/github-types.js';
import { joinComments, joinReviewComments, MAX_COMMENT_BYTES } from '../src/spawner/github/join-comments.js';
import { nextPageUrl } from '../src/spawner/github/link.js';
import { mapLimit } from '../src/spawner/github/map-limit.js';
import { RateLimiter, rateLimitBackoffMs, rateLimitFigures } from '../src/spawner/github/rate-limit.js';
import { aggregateReviewState, reviewStateMatches } from '../src/spawner/github/review-state.js';

describe('containsCommand', () => {
  it('matches a whole trimmed line only', () => {
    expect(containsCommand('/kelos pick-up', '/kelos pick-up')).toBe(true);
    expect(containsCommand('Thanks!\r\n   /kelos pick-up  \r\nbye', '/kelos pick-up')).toBe(true);
    expect(containsCommand('please /kelos pick-up this', '/kelos pick-up')).toBe(false);
    expect(containsCommand('/kelos pick-up now', '/kelos pick-up')).toBe(false);
    expect(containsCommand('anything', '  ')).toBe(false);
  });
});

describe('commentPolicyOf', () => {
  it('takes commentPolicy, trimming commands', () => {
    const source: GitHubIssues = {
      commentPolicy: {
        triggerComment: ' /go ',
        excludeComments: ['/stop', ' '],
        allowedUsers: ['alice'],
        allowedTeams: ['acme/core'],
        minimumPermission: 'write',
      },
    };
    expect(commentPolicyOf(source)).toEqual({
      trigger: '/go',
      excludes: ['/stop'],
      allowedUsers: ['alice'],
      allowedTeams: ['acme/core'],
      minimumPermission: 'write',
    });
  });

  it('falls back to the deprecated top-level fields', () => {
    expect(commentPolicyOf({ triggerComment: '/go', excludeComments: ['/stop'] })).toEqual({
      trigger: '/go',
      excludes: ['/stop'],
      allowedUsers: [],
      allowedTeams: [],
    });
  });

  it('is undefined without any command, even with authorization settings', () => {
    expect(commentPolicyOf({})).toBeUndefined();
    expect(commentPolicyOf({ commentPolicy: { allowedUsers: ['alice'] } })).toBeUndefined();
  });
});

describe('decideCommentPolicy', () => {
  const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
  const comment = (body: string, minute: number, author = 'alice'): PolicyComment => ({
    body,
    author,
    createdAt: at(minute),
  });
  const decide = (input: Partial<CommentPolicyInput> & Pick<CommentPolicyInput, 'policy'>) =>
    decideCommentPolicy({ body: '', bodyAuthor: 'owner', comments: [], authorized: () => true, ...input });
  const triggerOnly = { trigger: '/go', excludes: [], allowedUsers: [], allowedTeams: [] };
  const excludeOnly = { excludes: ['/stop', '/hold'], allowedUsers: [], allowedTeams: [] };
  const both = { trigger: '/go', excludes: ['/stop'], allowedUsers: [], allowedTeams: [] };

  it('trigger only: needs a trigger, and the newest trigger comment is the trigger time', () => {
    expect(decide({ policy: triggerOnly, comments: [comment('hi', 1)] })).toEqual({ allowed: false });
    expect(
      decide({ policy: triggerOnly, comments: [comment('/go', 1), comment('x', 2), comment('/go', 3)] }),
    ).toEqual({
      allowed: true,
      triggerTime: new Date(at(3)),
    });
  });

  it('trigger only: a trigger in the body counts, without a time', () => {
    expect(decide({ policy: triggerOnly, body: 'Fix it\n/go\n' })).toEqual({ allowed: true });
  });

  it('exclude only: any exclude comment or body line excludes', () => {
    expect(decide({ policy: excludeOnly, comments: [comment('fine', 1)] })).toEqual({ allowed: true });
    expect(decide({ policy: excludeOnly, comments: [comment('/hold', 1)] })).toEqual({ allowed: false });
    expect(decide({ policy: excludeOnly, body: '/stop' })).toEqual({ allowed: false });
  });

  it('both: the most recent command wins', () => {
    expect(decide({ policy: both, comments: [comment('/go', 1), comment('/stop', 2)] })).toEqual({
      allowed: false,
    });
    expect(decide({ policy: both, comments: [comment('/stop', 1), comment('/go', 2)] })).toEqual({
      allowed: true,
      triggerTime: new Date(at(2)),
    });
  });

  it('both: times decide, not list order (review comments are appended after conversation comments)', () => {
    expect(decide({ policy: both, comments: [comment('/go', 5), comment('/stop', 2)] })).toEqual({
      allowed: true,
      triggerTime: new Date(at(5)),
    });
  });

  it('both: a comment command beats the body; without one the body decides, exclude first', () => {
    expect(decide({ policy: both, body: '/stop', comments: [comment('/go', 1)] })).toEqual({
      allowed: true,
      triggerTime: new Date(at(1)),
    });
    expect(decide({ policy: both, body: '/go', comments: [comment('/stop', 1)] })).toEqual({
      allowed: false,
    });
    expect(decide({ policy: both, body: '/go' })).toEqual({ allowed: true });
    expect(decide({ policy: both, body: '/go\n/stop' })).toEqual({ allowed: false });
    expect(decide({ policy: both })).toEqual({ allowed: false });
  });

  it('ignores commands of unauthorized users, in comments and in the body', () => {
    const authorized = (login: string) => login === 'alice';
    expect(decide({ policy: triggerOnly, authorized, comments: [comment('/go', 1, 'mallory')] })).toEqual({
      allowed: false,
    });
    expect(decide({ policy: triggerOnly, authorized, body: '/go', bodyAuthor: 'mallory' })).toEqual({
      allowed: false,
    });
    expect(
      decide({
        policy: both,
        authorized,
        comments: [comment('/go', 1, 'alice'), comment('/stop', 2, 'mallory')],
      }),
    ).toEqual({ allowed: true, triggerTime: new Date(at(1)) });
  });

  it('commandAuthors lists only the authors of text carrying a command', () => {
    const comments = [comment('/go', 1, 'alice'), comment('hello', 2, 'bob'), comment('/stop', 3, 'carol')];
    expect(commandAuthors(both, '/go', 'owner', comments).sort()).toEqual(['alice', 'carol', 'owner']);
    expect(commandAuthors(both, 'plain', 'owner', comments).sort()).toEqual(['alice', 'carol']);
  });
});

describe('permissionAtLeast', () => {
  it('ranks role names, falling back to the legacy permission field', () => {
    expect(permissionAtLeast({ role_name: 'triage', permission: 'read' }, 'triage')).toBe(true);
    expect(permissionAtLeast({ role_name: 'triage', permission: 'read' }, 'write')).toBe(false);
    expect(permissionAtLeast({ role_name: 'custom-role', permission: 'write' }, 'write')).toBe(true);
    expect(permissionAtLeast({ role_name: 'admin' }, 'maintain')).toBe(true);
    expect(permissionAtLeast({ permission: 'none' }, 'read')).toBe(false);
  });
});

describe('aggregateReviewState', () => {
  const head = 'abc';
  const review = (user: string, state: string, minute: number, commit = head) => ({
    user: { login: user },
    state,
    commit_id: commit,
    submitted_at: `2026-01-01T00:0${minute}:00Z`,
  });

  it('is none without approving or change-requesting reviews on the head commit', () => {
    expect(aggregateReviewState([], head)).toEqual({ state: 'none' });
    expect(
      aggregateReviewState([review('a', 'COMMENTED', 1), review('b', 'APPROVED', 2, 'old')], head),
    ).toEqual({
      state: 'none',
    });
  });

  it("takes each reviewer's latest verdict; a change request wins", () => {
    expect(aggregateReviewState([review('a', 'APPROVED', 1), review('b', 'APPROVED', 3)], head)).toEqual({
      state: 'approved',
      submittedAt: new Date('2026-01-01T00:03:00Z'),
    });
    expect(
      aggregateReviewState([review('a', 'CHANGES_REQUESTED', 1), review('b', 'APPROVED', 3)], head),
    ).toEqual({
      state: 'changes_requested',
      submittedAt: new Date('2026-01-01T00:01:00Z'),
    });
    expect(
      aggregateReviewState(
        [review('a', 'CHANGES_REQUESTED', 1), review('A', 'APPROVED', 2), review('a', 'COMMENTED', 3)],
        head,
      ),
    ).toEqual({ state: 'approved', submittedAt: new Date('2026-01-01T00:02:00Z') });
  });

  it('reviewStateMatches: any takes all', () => {
    expect(reviewStateMatches(undefined, 'none')).toBe(true);
    expect(reviewStateMatches('any', 'changes_requested')).toBe(true);
    expect(reviewStateMatches('approved', 'approved')).toBe(true);
    expect(reviewStateMatches('approved', 'none')).toBe(false);
  });
});

describe('joinComments', () => {
  it('joins with ---', () => {
    expect(joinComments(['a', 'b', 'c'])).toBe('a\n---\nb\n---\nc');
    expect(joinComments([])).toBe('');
  });

  it('keeps the newest comments within the cap, separators and multi-byte characters counted', () => {
    expect(joinComments(['old', 'mid', 'new'], 'mid\n---\nnew'.length)).toBe('mid\n---\nnew');
    expect(joinComments(['old', 'mid', 'new'], 'mid\n---\nnew'.length - 1)).toBe('new');
    expect(joinComments(['old', 'ééé'], 6)).toBe('ééé');
    expect(joinComments(['old', 'ééé'], 5)).toBe('');
  });

  it('caps at 64 KiB', () => {
    const big = 'x'.repeat(40 * 1024);
    const joined = joinComments(['first', big, big]);
    expect(joined).toBe(big);
    expect(Buffer.byteLength(joinComments(Array(100).fill('y'.repeat(1000))))).toBeLessThanOrEqual(
      MAX_COMMENT_BYTES,
    );
  });

  it('prefixes inline review comments with path:line and skips empty ones', () => {
    expect(
      joinReviewComments([
        { body: ' Rename this ', path: 'src/a.ts', line: 12 },
        { body: '  ', path: 'src/b.ts', line: 1 },
        { body: 'File-level note', path: 'README.md', line: null },
      ]),
    ).toBe('src/a.ts:12\nRename this\n---\nREADME.md\nFile-level note');
  });
});

describe('filters', () => {
  const issue = (over: Partial<GitHubIssue> = {}): GitHubIssue => ({
    number: 1,
    title: 't',
    html_url: 'u',
    labels: [{ name: 'bug' }],
    user: { login: 'alice' },
    ...over,
  });

  it('issues: types default to issues only; pulls from the issues endpoint on request', () => {
    const pr = issue({ pull_request: {} });
    expect(issueMatches(issue(), {})).toBe(true);
    expect(issueMatches(pr, {})).toBe(false);
    expect(issueMatches(pr, { types: ['pulls'] })).toBe(true);
    expect(issueMatches(issue(), { types: ['pulls'] })).toBe(false);
    expect(issueMatches(pr, { types: ['issues', 'pulls'] })).toBe(true);
  });

  it('issues: excludeAuthors (case-insensitive logins) and excludeLabels', () => {
    expect(issueMatches(issue(), { excludeAuthors: ['ALICE'] })).toBe(false);
    expect(issueMatches(issue(), { excludeAuthors: ['bob'] })).toBe(true);
    expect(issueMatches(issue(), { excludeLabels: ['bug'] })).toBe(false);
    expect(issueMatches(issue({ labels: ['wontfix'] }), { excludeLabels: ['bug'] })).toBe(true);
  });

  const pull = (over: Partial<GitHubPullRequest> = {}): GitHubPullRequest => ({
    number: 2,
    title: 't',
    html_url: 'u',
    labels: [{ name: 'ready' }, { name: 'backend' }],
    user: { login: 'alice' },
    draft: false,
    head: { ref: 'b', sha: 's' },
    ...over,
  });

  it('pulls: all labels required, excludeLabels, author, excludeAuthors, draft', () => {
    const settings = (s: GitHubPullRequests) => s;
    expect(pullRequestMatches(pull(), settings({ labels: ['ready', 'backend'] }))).toBe(true);
    expect(pullRequestMatches(pull(), settings({ labels: ['ready', 'frontend'] }))).toBe(false);
    expect(pullRequestMatches(pull(), settings({ excludeLabels: ['backend'] }))).toBe(false);
    expect(pullRequestMatches(pull(), settings({ author: 'Alice' }))).toBe(true);
    expect(pullRequestMatches(pull(), settings({ author: 'bob' }))).toBe(false);
    expect(pullRequestMatches(pull(), settings({ excludeAuthors: ['alice'] }))).toBe(false);
    expect(pullRequestMatches(pull({ draft: true }), settings({ draft: false }))).toBe(false);
    expect(pullRequestMatches(pull({ draft: true }), settings({ draft: true }))).toBe(true);
    expect(pullRequestMatches(pull({ draft: true }), settings({}))).toBe(true);
    expect(pullRequestMatches(pull(), settings({ draft: true }))).toBe(false);
  });

  it('filePatterns: exclude removes files first, then one remaining file must match include', () => {
    const files = ['docs/guide.md', 'src/app/main.go', '.github/workflows/ci.yml'];
    expect(changedFilesMatch(files, { include: ['**/*.go'] })).toBe(true);
    expect(changedFilesMatch(files, { include: ['*.go'] })).toBe(false);
    expect(changedFilesMatch(files, { include: ['src/**'], exclude: ['src/app/*.go'] })).toBe(false);
    expect(changedFilesMatch(files, { include: ['**/*.yml'] })).toBe(true);
    expect(changedFilesMatch(files, { exclude: ['docs/**', '**/*.go', '.github/**'] })).toBe(false);
    expect(changedFilesMatch(files, { exclude: ['docs/**'] })).toBe(true);
    expect(changedFilesMatch([], { exclude: ['docs/**'] })).toBe(false);
    expect(changedFilesMatch(['src/a.ts', 'src/b.tsx'], { include: ['src/*.{ts,tsx}'] })).toBe(true);
  });
});

describe('nextPageUrl', () => {
  it('finds rel="next" among the links', () => {
    const link =
      '<https://api.github.com/repositories/1/issues?page=3>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last"';
    expect(nextPageUrl(link)).toBe('https://api.github.com/repositories/1/issues?page=3');
    expect(nextPageUrl('<https://x/?page=1>; rel="prev", <https://x/?page=1>; rel="first"')).toBeUndefined();
    expect(nextPageUrl(undefined)).toBeUndefined();
  });
});

describe('EtagCache', () => {
  const entry = (bytes: number) => ({ etag: 'e', data: [], headers: {}, bytes });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new EtagCache({ maxEntries: 2 });
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    cache.get('a');
    cache.set('c', entry(1));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('keeps within maxBytes and refuses an entry larger than the whole budget', () => {
    const cache = new EtagCache({ maxBytes: 100 });
    cache.set('a', entry(60));
    cache.set('b', entry(30));
    cache.set('c', entry(30));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(60);
    cache.set('huge', entry(101));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBe(60);
    cache.set('b', entry(10));
    expect(cache.bytes).toBe(40);
  });
});

describe('rate limits', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const reset = String(now / 1000 + 120);

  it('reads the x-ratelimit headers', () => {
    expect(
      rateLimitFigures({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4990',
        'x-ratelimit-used': '10',
        'x-ratelimit-reset': reset,
        'x-ratelimit-resource': 'core',
      }),
    ).toEqual({ limit: 5000, remaining: 4990, used: 10, reset: new Date(now + 120_000), resource: 'core' });
    expect(rateLimitFigures({})).toBeUndefined();
  });

  it('backs off until the reset, for retry-after, or a minute for a bare secondary limit', () => {
    const exhausted = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
    expect(rateLimitBackoffMs(403, exhausted, 'API rate limit exceeded', now)).toBe(121_000);
    expect(rateLimitBackoffMs(429, { 'retry-after': '30' }, '', now)).toBe(30_000);
    expect(rateLimitBackoffMs(403, {}, 'You have exceeded a secondary rate limit', now)).toBe(60_000);
    expect(
      rateLimitBackoffMs(
        403,
        { 'x-ratelimit-remaining': '10' },
        'Resource not accessible by integration',
        now,
      ),
    ).toBe(undefined);
    expect(rateLimitBackoffMs(404, exhausted, 'Not Found', now)).toBeUndefined();
  });

  it('holds requests while the quota is known to be spent', () => {
    const limiter = new RateLimiter(0);
    const resetSoon = String(Math.ceil(Date.now() / 1000) + 60);
    limiter.observe({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': resetSoon,
    });
    expect(limiter.heldUntilMs()).toBe(0);
    limiter.observe({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': resetSoon,
    });
    expect(limiter.heldUntilMs()).toBe(Number(resetSoon) * 1000 + 1000);
    // A slower response of the same window reporting more quota does not undo that.
    limiter.observe({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '5',
      'x-ratelimit-reset': resetSoon,
    });
    expect(limiter.last?.remaining).toBe(0);
  });

  it('an aborted wait rejects', async () => {
    const limiter = new RateLimiter(0);
    limiter.backOff(60_000);
    const controller = new AbortController();
    const waiting = limiter.acquire(false, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });

  it('spaces writes apart', async () => {
    const limiter = new RateLimiter(150);
    const started = Date.now();
    await limiter.acquire(true);
    await limiter.acquire(true);
    await limiter.acquire(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const readStart = Date.now();
    await limiter.acquire(false);
    expect(Date.now() - readStart).toBeLessThan(100);
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n * 5));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
