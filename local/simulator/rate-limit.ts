const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** Mangrove sends these on every response, errors included. */
  headers: { 'RateLimit-Limit': string; 'RateLimit-Remaining': string; 'RateLimit-Reset': string };
}

/**
 * Fixed 60 s windows aligned to the clock (as Rack::Attack counts), one counter per token.
 * `RateLimit-Reset` is the Unix time in seconds at which the current window ends.
 */
export class FixedWindowRateLimiter {
  private readonly counters = new Map<string, { window: number; count: number }>();

  constructor(private readonly limit: number) {}

  hit(key: string, nowMs: number): RateLimitDecision {
    const window = Math.floor(nowMs / WINDOW_MS);
    const counter = this.counters.get(key);
    const count = counter?.window === window ? counter.count + 1 : 1;
    this.counters.set(key, { window, count });
    return {
      allowed: count <= this.limit,
      headers: {
        'RateLimit-Limit': String(this.limit),
        'RateLimit-Remaining': String(Math.max(0, this.limit - count)),
        'RateLimit-Reset': String(((window + 1) * WINDOW_MS) / 1000),
      },
    };
  }

  reset(): void {
    this.counters.clear();
  }
}
