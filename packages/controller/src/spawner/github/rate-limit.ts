import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** The rate-limit figures GitHub reported on its latest response. */
export interface RateLimitFigures {
  limit: number;
  remaining: number;
  used?: number;
  /** When the window resets and `remaining` goes back to `limit`. */
  reset: Date;
  /** `core`, `search`, … */
  resource?: string;
}

type Headers = Record<string, string | number | undefined>;

/** GitHub's clock and ours differ; a request sent exactly at the reset second may still be refused. */
export const RESET_MARGIN_MS = 1000;
/** GitHub asks to wait at least a minute after a secondary rate limit that names no time. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;

const numberHeader = (headers: Headers, name: string): number | undefined => {
  const value = headers[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/** The figures in a response's `x-ratelimit-*` headers, or undefined when it has none. */
export function rateLimitFigures(headers: Headers): RateLimitFigures | undefined {
  const limit = numberHeader(headers, 'x-ratelimit-limit');
  const remaining = numberHeader(headers, 'x-ratelimit-remaining');
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  const used = numberHeader(headers, 'x-ratelimit-used');
  const resource = headers['x-ratelimit-resource'];
  return {
    limit,
    remaining,
    reset: new Date(reset * 1000),
    ...(used !== undefined && { used }),
    ...(resource !== undefined && { resource: String(resource) }),
  };
}

/**
 * How long to hold back after a failed response, or undefined when it is not a rate-limit refusal
 * (a 403 for missing permissions must fail at once). `retry-after` wins; an exhausted primary quota
 * waits for its reset; a secondary limit without either waits a minute.
 */
export function rateLimitBackoffMs(
  status: number,
  headers: Headers,
  message: string,
  nowMs: number,
): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = numberHeader(headers, 'retry-after');
  if (retryAfter !== undefined) return Math.max(retryAfter * 1000, 0);
  const figures = rateLimitFigures(headers);
  if (figures?.remaining === 0) return Math.max(figures.reset.getTime() - nowMs, 0) + RESET_MARGIN_MS;
  if (status === 429 || /rate limit/i.test(message)) return SECONDARY_LIMIT_WAIT_MS;
  return undefined;
}

/**
 * Holds requests back while GitHub's quota is known to be spent or a rate-limit refusal asked us to
 * wait, so that no request is sent until the reset; and spaces writes a second apart, as GitHub asks
 * of integrations to avoid secondary limits.
 */
export class RateLimiter {
  private figures: RateLimitFigures | undefined;
  private blockedUntilMs = 0;
  private nextWriteAtMs = 0;
  waitedMs = 0;

  constructor(
    private readonly minWriteIntervalMs: number,
    private readonly logger?: Logger,
  ) {}

  get last(): RateLimitFigures | undefined {
    return this.figures;
  }

  /** Records a response's figures. Responses can arrive out of order; within one window the lowest count is the truest. */
  observe(headers: Headers): void {
    const figures = rateLimitFigures(headers);
    if (!figures) return;
    const current = this.figures;
    const sameWindow = current && current.reset.getTime() === figures.reset.getTime();
    if (sameWindow && current.remaining < figures.remaining) return;
    this.figures = figures;
  }

  backOff(ms: number, nowMs = Date.now()): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, nowMs + ms);
  }

  /** The time before which no request may be sent, or 0. */
  heldUntilMs(nowMs = Date.now()): number {
    const exhausted =
      this.figures?.remaining === 0 && this.figures.reset.getTime() + RESET_MARGIN_MS > nowMs
        ? this.figures.reset.getTime() + RESET_MARGIN_MS
        : 0;
    const until = Math.max(this.blockedUntilMs, exhausted);
    return until > nowMs ? until : 0;
  }

  /** Resolves when a request may be sent; rejects when `signal` aborts the wait. */
  async acquire(write: boolean, signal?: AbortSignal): Promise<void> {
    for (let until = this.heldUntilMs(); until > 0; until = this.heldUntilMs()) {
      const waitMs = until - Date.now();
      this.logger?.warn(
        { waitMs, resumeAt: new Date(until).toISOString(), rateLimit: this.figures },
        'GitHub rate limit reached; waiting for the reset before sending more requests',
      );
      await sleep(waitMs, undefined, { signal });
      this.waitedMs += waitMs;
    }
    if (!write) return;
    const now = Date.now();
    const at = Math.max(now, this.nextWriteAtMs);
    this.nextWriteAtMs = at + this.minWriteIntervalMs;
    if (at > now) await sleep(at - now, undefined, { signal });
  }
}
