import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeGitHub, type FakeGitHubOptions, json, type RecordedRequest } from './fake-github.js';

export interface FakeRepoOptions extends FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** Requests per rate-limit window; default 5000. */
  rateLimit?: number;
  /** Length of a rate-limit window; default one hour. */
  rateLimitWindowMs?: number;
}

export interface FakeItemInput {
  number?: number;
  title?: string;
  body?: string;
  user?: string;
  labels?: string[];
  assignees?: string[];
  state?: 'open' | 'closed';
  createdAt?: string;
}

export interface FakePullInput extends FakeItemInput {
  headRef?: string;
  headSha?: string;
  draft?: boolean;
  files?: string[];
}

export interface FakeComment {
  id: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeReview {
  id: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface FakeReviewComment {
  id: number;
  user: string;
  body: string;
  path: string;
  line?: number;
  commitId: string;
  createdAt: string;
}

export interface FakeItem {
  number: number;
  title: string;
  body: string;
  user: string;
  labels: string[];
  assignees: string[];
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  comments: FakeComment[];
  pull?: {
    headRef: string;
    headSha: string;
    draft: boolean;
    files: string[];
    reviews: FakeReview[];
    reviewComments: FakeReviewComment[];
  };
}

type Role = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

const LEGACY_PERMISSION: Record<Role, string> = {
  read: 'read',
  triage: 'read',
  write: 'write',
  maintain: 'write',
  admin: 'admin',
};

/**
 * An in-memory GitHub repository served over the REST paths the spawner uses, for tests in this
 * process or a spawner in another (it listens on 127.0.0.1). Like GitHub it answers conditional GETs
 * of unchanged resources with 304 without spending quota, keeps `x-ratelimit-*` headers over a
 * shrinking quota and refuses with 403 once it is spent, paginates with `Link` headers, and
 * authenticates personal access tokens and the installation tokens its App endpoint mints.
 */
export class FakeGitHubRepo {
  readonly server: FakeGitHub;
  readonly owner: string;
  readonly repo: string;
  readonly items = new Map<number, FakeItem>();
  /** Personal access token → login. */
  readonly tokens = new Map<string, string>();
  /** `org/slug` → member logins. */
  readonly teams = new Map<string, Set<string>>();
  /** login → repository role. */
  readonly permissions = new Map<string, Role>();
  readonly rateLimit: { limit: number; remaining: number; reset: number };
  private readonly windowMs: number;
  private readonly metered = new WeakSet<RecordedRequest>();
  private readonly failures: { route: RegExp; status: number; message: string }[] = [];
  private nextNumber = 1;
  private nextId = 1000;
  /** Moves forward with every change, so that `updated_at` orders changes even within one millisecond. */
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(options: FakeRepoOptions = {}) {
    this.server = new FakeGitHub(options);
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'widgets';
    this.windowMs = options.rateLimitWindowMs ?? 60 * 60_000;
    const limit = options.rateLimit ?? 5000;
    this.rateLimit = { limit, remaining: limit, reset: Math.ceil((Date.now() + this.windowMs) / 1000) };
    this.server.route((req, res) => this.handle(req, res));
  }

  /** The API base URL, GitHub Enterprise prefix included. */
  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  addToken(token: string, login: string): void {
    this.tokens.set(token, login);
  }

  /** Sets the quota; `resetAt` starts a new window ending then. */
  setRateLimit(limits: { remaining?: number; limit?: number; resetAt?: Date }): void {
    if (limits.limit !== undefined) this.rateLimit.limit = limits.limit;
    if (limits.remaining !== undefined) this.rateLimit.remaining = limits.remaining;
    if (limits.resetAt) this.rateLimit.reset = Math.ceil(limits.resetAt.getTime() / 1000);
  }

  /** Quota spent by the requests recorded from `index` on (304s, refusals and App endpoints spend none). */
  quotaSpentSince(index: number): number {
    return this.requests.slice(index).filter((r) => this.metered.has(r)).length;
  }

  addIssue(input: FakeItemInput = {}): FakeItem {
    const number = input.number ?? this.nextNumber;
    this.nextNumber = Math.max(this.nextNumber, number + 1);
    const createdAt = input.createdAt ?? this.tick();
    const item: FakeItem = {
      number,
      title: input.title ?? `Item ${number}`,
      body: input.body ?? '',
      user: input.user ?? 'octocat',
      labels: input.labels ?? [],
      assignees: input.assignees ?? [],
      state: input.state ?? 'open',
      createdAt,
      updatedAt: createdAt,
      comments: [],
    };
    this.items.set(number, item);
    return item;
  }

  addPullRequest(input: FakePullInput = {}): FakeItem {
    const item = this.addIssue(input);
    item.pull = {
      headRef: input.headRef ?? `feature-${item.number}`,
      headSha: input.headSha ?? sha(`head-${item.number}`),
      draft: input.draft ?? false,
      files: input.files ?? ['README.md'],
      reviews: [],
      reviewComments: [],
    };
    return item;
  }

  addComment(number: number, user: string, body: string, createdAt?: string): FakeComment {
    const item = this.item(number);
    const at = createdAt ?? this.tick();
    const comment = { id: this.nextId++, user, body, createdAt: at, updatedAt: at };
    item.comments.push(comment);
    item.updatedAt = this.tick();
    return comment;
  }

  addReview(
    number: number,
    review: {
      user: string;
      state: FakeReview['state'];
      body?: string;
      commitId?: string;
      submittedAt?: string;
    },
  ): FakeReview {
    const pull = this.pull(number);
    const added = {
      id: this.nextId++,
      user: review.user,
      state: review.state,
      body: review.body ?? '',
      commitId: review.commitId ?? pull.headSha,
      submittedAt: review.submittedAt ?? this.tick(),
    };
    pull.reviews.push(added);
    this.item(number).updatedAt = this.tick();
    return added;
  }

  addReviewComment(
    number: number,
    comment: {
      user: string;
      body: string;
      path: string;
      line?: number;
      commitId?: string;
      createdAt?: string;
    },
  ): FakeReviewComment {
    const pull = this.pull(number);
    const added = {
      id: this.nextId++,
      user: comment.user,
      body: comment.body,
      path: comment.path,
      ...(comment.line !== undefined && { line: comment.line }),
      commitId: comment.commitId ?? pull.headSha,
      createdAt: comment.createdAt ?? this.tick(),
    };
    pull.reviewComments.push(added);
    this.item(number).updatedAt = this.tick();
    return added;
  }

  /** Pushes a new head commit. */
  push(number: number, headSha: string): void {
    this.pull(number).headSha = headSha;
    this.item(number).updatedAt = this.tick();
  }

  /** Answers requests whose route matches with an error from now on, e.g. a 403 for a missing scope. */
  fail(route: RegExp, status: number, message: string): void {
    this.failures.push({ route, status, message });
  }

  setTeam(team: string, members: string[]): void {
    this.teams.set(team, new Set(members.map((m) => m.toLowerCase())));
  }

  setPermission(login: string, role: Role): void {
    this.permissions.set(login.toLowerCase(), role);
  }

  item(number: number): FakeItem {
    const item = this.items.get(number);
    if (!item) throw new Error(`no item #${number} in the fake repository`);
    return item;
  }

  private pull(number: number): NonNullable<FakeItem['pull']> {
    const pull = this.item(number).pull;
    if (!pull) throw new Error(`#${number} is not a pull request`);
    return pull;
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  private handle(req: RecordedRequest, res: ServerResponse): boolean {
    const url = new URL(req.route, 'http://fake.invalid');
    const login = this.authenticate(req.headers.authorization);
    if (login === undefined) return json(res, 401, { message: 'Bad credentials' });

    if (Date.now() >= this.rateLimit.reset * 1000) {
      this.rateLimit.remaining = this.rateLimit.limit;
      this.rateLimit.reset = Math.ceil((Date.now() + this.windowMs) / 1000);
    }
    if (this.rateLimit.remaining <= 0) {
      return json(
        res,
        403,
        {
          message: `API rate limit exceeded for ${login}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        this.rateLimitHeaders(),
      );
    }

    const failure = this.failures.find((f) => f.route.test(req.route));
    const answer = failure
      ? { status: failure.status, body: { message: failure.message } }
      : this.route(req, url, login);
    const body = JSON.stringify(answer.body);
    const headers: Record<string, string> = { ...answer.headers };
    if (req.method === 'GET' && answer.status === 200) {
      headers.etag = `W/"${sha(body)}"`;
      if (req.headers['if-none-match'] === headers.etag) {
        res.writeHead(304, { ...headers, ...this.rateLimitHeaders() });
        res.end();
        return true;
      }
    }
    this.rateLimit.remaining -= 1;
    this.metered.add(req);
    return json(res, answer.status, answer.body, { ...headers, ...this.rateLimitHeaders() });
  }

  private authenticate(authorization: string | undefined): string | undefined {
    const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    const login = this.tokens.get(token);
    if (login) return login;
    const issued = this.server.validInstallationToken(token);
    return issued ? `${this.server.slugOf(issued.appId)}[bot]` : undefined;
  }

  private rateLimitHeaders(): Record<string, string> {
    const { limit, remaining, reset } = this.rateLimit;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(remaining, 0)),
      'x-ratelimit-used': String(limit - Math.max(remaining, 0)),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
    };
  }

  private route(req: RecordedRequest, url: URL, login: string): Answer {
    const path = url.pathname;
    const get = req.method === 'GET';
    if (get && path === '/user') {
      return login.endsWith('[bot]')
        ? { status: 403, body: { message: 'Resource not accessible by integration' } }
        : { status: 200, body: { login } };
    }
    let m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path);
    if (get && m) {
      const members = this.teams.get(`${m[1]}/${m[2]}`);
      if (!members?.has(decodeURIComponent(m[3] ?? '').toLowerCase())) return notFound();
      return { status: 200, body: { state: 'active', role: 'member' } };
    }
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(`${repoPrefix}/`)) return notFound();
    const rest = path.slice(repoPrefix.length);

    m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (get && m) {
      const user = decodeURIComponent(m[1] ?? '');
      const role = this.permissions.get(user.toLowerCase());
      if (!role) return notFound();
      return {
        status: 200,
        body: { permission: LEGACY_PERMISSION[role], role_name: role, user: { login: user } },
      };
    }
    if (get && rest === '/issues')
      return this.page(
        req,
        url,
        this.listIssues(url.searchParams).map((i) => this.issueJson(i)),
      );
    if (get && rest === '/pulls')
      return this.page(
        req,
        url,
        this.listPulls(url.searchParams).map((i) => this.pullJson(i)),
      );

    m = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (m) {
      const item = this.items.get(Number(m[1]));
      if (!item) return notFound();
      if (get)
        return this.page(
          req,
          url,
          item.comments.map((c) => this.commentJson(c)),
        );
      if (req.method === 'POST') {
        const { body } = JSON.parse(req.body) as { body: string };
        return { status: 201, body: this.commentJson(this.addComment(item.number, login, body)) };
      }
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (m && req.method === 'PATCH') {
      for (const item of this.items.values()) {
        const comment = item.comments.find((c) => c.id === Number(m?.[1]));
        if (!comment) continue;
        comment.body = (JSON.parse(req.body) as { body: string }).body;
        comment.updatedAt = this.tick();
        item.updatedAt = comment.updatedAt;
        return { status: 200, body: this.commentJson(comment) };
      }
      return notFound();
    }
    m = /^\/pulls\/(\d+)\/(reviews|comments|files)$/.exec(rest);
    if (get && m) {
      const pull = this.items.get(Number(m[1]))?.pull;
      if (!pull) return notFound();
      if (m[2] === 'reviews')
        return this.page(
          req,
          url,
          pull.reviews.map((r) => this.reviewJson(r)),
        );
      if (m[2] === 'comments')
        return this.page(
          req,
          url,
          pull.reviewComments.map((c) => this.reviewCommentJson(c)),
        );
      return this.page(
        req,
        url,
        pull.files.map((filename) => ({ filename, status: 'modified' })),
      );
    }
    return notFound();
  }

  private listIssues(query: URLSearchParams): FakeItem[] {
    const state = query.get('state') ?? 'open';
    const labels = query.get('labels')?.split(',').filter(Boolean) ?? [];
    const assignee = query.get('assignee');
    const creator = query.get('creator');
    return [...this.items.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => {
        if (!assignee) return true;
        if (assignee === '*') return i.assignees.length > 0;
        if (assignee === 'none') return i.assignees.length === 0;
        return i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase());
      })
      .filter((i) => !creator || i.user.toLowerCase() === creator.toLowerCase())
      .sort((a, b) => b.number - a.number);
  }

  private listPulls(query: URLSearchParams): FakeItem[] {
    const state = query.get('state') ?? 'open';
    const pulls = [...this.items.values()].filter((i) => i.pull && (state === 'all' || i.state === state));
    if (query.get('sort') === 'updated') {
      const sign = query.get('direction') === 'asc' ? 1 : -1;
      return pulls.sort((a, b) => sign * a.updatedAt.localeCompare(b.updatedAt) || b.number - a.number);
    }
    return pulls.sort((a, b) => b.number - a.number);
  }

  /** One page of `all` per `per_page`/`page`, with GitHub's `Link` header. */
  private page(req: RecordedRequest, url: URL, all: unknown[]): Answer {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<http://${req.headers.host}${this.server.pathPrefix}${target.pathname}${target.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length ? { link: links.join(', ') } : {},
    };
  }

  private htmlUrl(item: FakeItem): string {
    return `https://github.com/${this.owner}/${this.repo}/${item.pull ? 'pull' : 'issues'}/${item.number}`;
  }

  private common(item: FakeItem) {
    return {
      id: item.number + 1_000_000,
      number: item.number,
      title: item.title,
      body: item.body,
      html_url: this.htmlUrl(item),
      state: item.state,
      labels: item.labels.map((name) => ({ name })),
      user: { login: item.user },
      assignees: item.assignees.map((login) => ({ login })),
      created_at: item.createdAt,
      updated_at: item.updatedAt,
    };
  }

  private issueJson(item: FakeItem) {
    return { ...this.common(item), ...(item.pull && { pull_request: { html_url: this.htmlUrl(item) } }) };
  }

  private pullJson(item: FakeItem) {
    return {
      ...this.common(item),
      draft: item.pull?.draft ?? false,
      head: { ref: item.pull?.headRef, sha: item.pull?.headSha },
      base: { ref: 'main' },
    };
  }

  private commentJson(c: FakeComment) {
    return {
      id: c.id,
      body: c.body,
      user: { login: c.user },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    };
  }

  private reviewJson(r: FakeReview) {
    return {
      id: r.id,
      body: r.body,
      state: r.state,
      commit_id: r.commitId,
      submitted_at: r.submittedAt,
      user: { login: r.user },
    };
  }

  private reviewCommentJson(c: FakeReviewComment) {
    return {
      id: c.id,
      body: c.body,
      path: c.path,
      line: c.line ?? null,
      commit_id: c.commitId,
      created_at: c.createdAt,
      user: { login: c.user },
    };
  }
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const notFound = (): Answer => ({ status: 404, body: { message: 'Not Found' } });

const sha = (text: string) => createHash('sha1').update(text).digest('hex');
