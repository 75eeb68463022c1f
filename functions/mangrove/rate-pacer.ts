/**
 * Pacing from the rate-limit headers every Mangrove response carries. The limit (1,000 requests a
 * minute) is per token, and the token may be shared with people and other tools: once a window's
 * remaining requests fall to the reserve, the next request waits for the window to reset instead of
 * spending what others need or meeting a 429.
 */
import { rateLimitWaitMs } from './backoff.js';

/** The share of each window left to other users of the token. */
export const RATE_LIMIT_RESERVE = 0.25;

interface Window {
  limit: number;
  remaining: number;
  resetAtMs: number;
}

export class RateLimitPacer {
  #window: Window | null = null;

  constructor(private readonly reserve = RATE_LIMIT_RESERVE) {}

  /** How long to wait before the next request, in ms: 0 while the window has requests to spare. */
  waitMs(nowMs: number): number {
    const window = this.#window;
    if (!window || nowMs >= window.resetAtMs) return 0;
    return window.remaining > Math.floor(window.limit * this.reserve) ? 0 : window.resetAtMs - nowMs;
  }

  /** A request is about to go out: it counts against the window before its answer says so. */
  sent(): void {
    if (this.#window) this.#window.remaining -= 1;
  }

  /** Reads RateLimit-Limit/-Remaining/-Reset; a response without them leaves what is known. */
  observe(headers: Headers, nowMs: number): void {
    const limit = Number(headers.get('ratelimit-limit'));
    const remaining = Number(headers.get('ratelimit-remaining'));
    const resetInMs = headers.has('ratelimit-reset') ? rateLimitWaitMs(new Headers({ 'ratelimit-reset': headers.get('ratelimit-reset') ?? '' }), nowMs) : null;
    if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(remaining) || headers.get('ratelimit-remaining') === null || resetInMs === null) return;
    this.#window = { limit, remaining, resetAtMs: nowMs + resetInMs };
  }
}

const PACERS = new Map<string, RateLimitPacer>();

/**
 * One pacer per API base URL for the whole process: every client a warm Lambda or the local runner
 * creates shares what the last response said. (The token is never a key: it must not be kept.)
 */
export function sharedPacer(baseUrl: string): RateLimitPacer {
  let pacer = PACERS.get(baseUrl);
  if (!pacer) PACERS.set(baseUrl, (pacer = new RateLimitPacer()));
  return pacer;
}
