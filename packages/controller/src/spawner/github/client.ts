import { createHash } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import type { GitHubAppCredentials } from '../../github/app-credentials.js';
import { EtagCache, type EtagCacheLimits } from './etag-cache.js';
import { InstallationTokens } from './installation-tokens.js';
import { nextPageUrl } from './link.js';
import { RateLimiter, type RateLimitFigures, rateLimitBackoffMs } from './rate-limit.js';

/** §10.4: list endpoints are followed through `Link rel="next"` for at most this many pages. */
export const MAX_PAGES = 10;

export interface GitHubClientOptions {
  /** REST API root: `https://api.github.com` (default) or `https://<host>/api/v3` for GitHub Enterprise. */
  baseUrl?: string;
  /** A personal access token; wins over `app` (spec §10.1). */
  token?: string;
  /** GitHub App credentials; installation tokens are minted and refreshed in-process. */
  app?: GitHubAppCredentials;
  logger?: Logger;
  /** Aborts every request and rate-limit wait, e.g. on shutdown. */
  signal?: AbortSignal;
  cache?: EtagCacheLimits;
  /** Spacing between write requests; default 1000 ms as GitHub asks of integrations. */
  minWriteIntervalMs?: number;
  /** Rate-limit refusals of one request tolerated (each followed by a wait) before it fails; default 3. */
  maxRateLimitRetries?: number;
  /** Per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
}

export interface GitHubClientStats {
  /** HTTP requests sent to the API (token minting excluded). */
  requests: number;
  /** Requests answered `304 Not Modified`, served from the ETag cache; they cost no quota. */
  notModified: number;
  /** Requests that counted against the quota: all answered ones except 304s and rate-limit refusals. */
  quotaUsed: number;
  /** Responses refusing a request for a rate limit (403/429). */
  rateLimited: number;
  /** Total time spent holding requests back until a rate-limit reset. */
  rateLimitWaitMs: number;
  /** Installation tokens minted (App credentials only). */
  tokensMinted: number;
  cacheEntries: number;
  cacheBytes: number;
  /** The figures of the latest response carrying `x-ratelimit-*` headers. */
  rateLimit?: RateLimitFigures;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
}

export interface ListOptions extends RequestOptions {
  /** Pages followed at most; default MAX_PAGES. */
  maxPages?: number;
}

type Params = Record<string, string | number | boolean | undefined>;

/**
 * A GitHub REST client for the spawner, on Octokit: every GET is conditional (ETag) so an unchanged
 * resource costs no quota, rate limits are waited out instead of hammered, and the figures are kept
 * for metrics. Routes are Octokit routes such as `GET /repos/{owner}/{repo}/issues`.
 */
export interface GitHubClient {
  readonly baseUrl: string;
  /** The underlying Octokit; its requests go through the same cache, limiter and authentication. */
  readonly octokit: Octokit;
  request<T>(route: string, params?: Params, options?: RequestOptions): Promise<T>;
  /** Like request, but undefined for a 404 (a non-member, a non-collaborator). */
  find<T>(route: string, params?: Params, options?: RequestOptions): Promise<T | undefined>;
  /** All items of a list endpoint, following `Link rel="next"` up to `maxPages` pages. */
  list<T>(route: string, params?: Params, options?: ListOptions): Promise<T[]>;
  /** Login the credentials act as: the PAT's user, `<app-slug>[bot]` for an App, `''` anonymously. */
  selfLogin(options?: RequestOptions): Promise<string>;
  stats(): GitHubClientStats;
}

interface OctokitResponse {
  status: number;
  url: string;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

interface HttpError {
  status?: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

type HookOptions = {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  request?: { signal?: AbortSignal };
  [key: string]: unknown;
};

const RATE_LIMIT_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-used',
  'x-ratelimit-reset',
  'x-ratelimit-resource',
];

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const logger = options.logger;
  const cache = new EtagCache(options.cache);
  const limiter = new RateLimiter(options.minWriteIntervalMs ?? 1000, logger);
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const installation =
    !options.token && options.app ? new InstallationTokens(options.app, baseUrl) : undefined;
  const identity = callerIdentity(options);
  const counters = { requests: 0, notModified: 0, quotaUsed: 0, rateLimited: 0 };

  const octokit = new Octokit({
    baseUrl,
    userAgent: 'kelos-spawner',
    // Octokit's request log reports every non-2xx response as an error, each 304 answered from the ETag
    // cache included: over a thousand lines per unchanged cycle on a large repository. Failures reach the
    // caller, which reports them with context; the request log is for debugging.
    log: {
      debug: (message: string) => logger?.debug(message),
      info: (message: string) => logger?.debug(message),
      warn: (message: string) => logger?.warn(message),
      error: (message: string) => logger?.debug(message),
    },
  });

  const authorization = async (): Promise<string | undefined> => {
    if (options.token) return `token ${options.token}`;
    if (installation) return `token ${await installation.token()}`;
    return undefined;
  };

  // before-after-hook hands every hook the options object it was first called with, so changes
  // must be made on that object, not on a copy.
  octokit.hook.wrap('request', async (send, hookOptions) => {
    const opts = hookOptions as unknown as HookOptions;
    const signal = combineSignals([options.signal, opts.request?.signal]);
    const write = opts.method !== 'GET' && opts.method !== 'HEAD';
    const url = octokit.request.endpoint.parse(hookOptions).url;
    const key = write ? undefined : `${identity} ${url}`;
    const callerAuthorization = opts.headers.authorization;
    let retriedUnauthorized = false;
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire(write, signal);
      const headers = opts.headers;
      // A caller-supplied authorization (the App JWT for GET /app) wins.
      const auth = callerAuthorization ?? (await authorization());
      if (auth) headers.authorization = auth;
      const cached = key ? cache.get(key) : undefined;
      if (cached) headers['if-none-match'] = cached.etag;
      else delete headers['if-none-match'];
      opts.request = { ...opts.request, signal: combineSignals([signal, AbortSignal.timeout(timeoutMs)]) };
      counters.requests += 1;
      try {
        const response = (await send(hookOptions)) as unknown as OctokitResponse;
        limiter.observe(response.headers);
        counters.quotaUsed += 1;
        const etag = response.headers.etag;
        if (key && typeof etag === 'string') {
          const bytes = JSON.stringify(response.data ?? null).length;
          cache.set(key, { etag, data: response.data, headers: { ...response.headers }, bytes });
        }
        return response as never;
      } catch (caught) {
        const error = caught as HttpError;
        const responseHeaders = error.response?.headers ?? {};
        limiter.observe(responseHeaders);
        if (error.status === 304 && cached) {
          counters.notModified += 1;
          return {
            status: 200,
            url,
            headers: freshRateLimit(cached.headers, responseHeaders),
            data: cached.data,
          } as never;
        }
        const backoffMs =
          error.status === undefined
            ? undefined
            : rateLimitBackoffMs(error.status, responseHeaders, error.message, Date.now());
        if (backoffMs !== undefined) {
          counters.rateLimited += 1;
          limiter.backOff(backoffMs);
          logger?.warn(
            { method: opts.method, url, status: error.status, backoffMs, attempt },
            'GitHub refused a request for a rate limit',
          );
          if (attempt < maxRetries) continue;
          throw caught;
        }
        if (error.status !== undefined) counters.quotaUsed += 1;
        // An installation token can be revoked or expire early; mint a new one once.
        if (error.status === 401 && installation && !retriedUnauthorized && !callerAuthorization) {
          retriedUnauthorized = true;
          installation.invalidate();
          continue;
        }
        throw caught;
      }
    }
  });

  const request = async <T>(route: string, params: Params = {}, opts: RequestOptions = {}): Promise<T> => {
    const response = await octokit.request(route, { ...params, request: { signal: opts.signal } });
    return response.data as T;
  };

  let selfLogin: Promise<string> | undefined;
  const resolveSelfLogin = async (opts: RequestOptions): Promise<string> => {
    if (options.token) {
      return (await request<{ login: string }>('GET /user', {}, opts)).login;
    }
    if (options.app) {
      const jwt = await createAppAuth({ appId: options.app.appId, privateKey: options.app.privateKey })({
        type: 'app',
      });
      const app = await octokit.request('GET /app', {
        headers: { authorization: `bearer ${jwt.token}` },
        request: { signal: opts.signal },
      });
      return `${app.data?.slug ?? ''}[bot]`;
    }
    return '';
  };

  return {
    baseUrl,
    octokit,
    request,
    async find<T>(route: string, params: Params = {}, opts: RequestOptions = {}): Promise<T | undefined> {
      try {
        return await request<T>(route, params, opts);
      } catch (error) {
        if ((error as HttpError).status === 404) return undefined;
        throw error;
      }
    },
    async list<T>(route: string, params: Params = {}, opts: ListOptions = {}): Promise<T[]> {
      const maxPages = opts.maxPages ?? MAX_PAGES;
      const items: T[] = [];
      let next: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const response = (next
          ? await octokit.request({ method: 'GET', url: next, request: { signal: opts.signal } })
          : await octokit.request(route, {
              ...params,
              request: { signal: opts.signal },
            })) as unknown as OctokitResponse;
        items.push(...(response.data as T[]));
        next = nextPageUrl(response.headers.link);
        if (!next) return items;
      }
      logger?.warn({ route, maxPages }, 'GitHub list truncated: more pages than the spawner reads');
      return items;
    },
    selfLogin(opts: RequestOptions = {}): Promise<string> {
      selfLogin ??= resolveSelfLogin(opts).catch((error: unknown) => {
        selfLogin = undefined;
        throw error;
      });
      return selfLogin;
    },
    stats(): GitHubClientStats {
      const rateLimit = limiter.last;
      return {
        ...counters,
        rateLimitWaitMs: limiter.waitedMs,
        tokensMinted: installation?.mints ?? 0,
        cacheEntries: cache.size,
        cacheBytes: cache.bytes,
        ...(rateLimit && { rateLimit }),
      };
    },
  };
}

/** Who the cache entries belong to: responses differ by caller, and a secret never becomes a key. */
function callerIdentity(options: GitHubClientOptions): string {
  if (options.token) return `token:${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}`;
  if (options.app) return `app:${options.app.appId}:${options.app.installationId}`;
  return 'anonymous';
}

function freshRateLimit(
  cached: Record<string, string | number | undefined>,
  fresh: Record<string, string | number | undefined>,
): Record<string, string | number | undefined> {
  const headers = { ...cached };
  for (const name of RATE_LIMIT_HEADERS) if (fresh[name] !== undefined) headers[name] = fresh[name];
  return headers;
}

function combineSignals(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
