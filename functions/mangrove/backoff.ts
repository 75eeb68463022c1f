/** Retry timing: exponential backoff with full jitter, and reading the server's rate-limit hints. */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt. */
  baseDelayMs: number;
  /** Ceiling of any single backoff. */
  maxDelayMs: number;
  /**
   * Time budget for one call, retries and waits included. Kept well under a step Lambda's timeout so
   * the client gives up with a typed error Step Functions can retry, instead of being killed mid-wait.
   */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxElapsedMs: 30_000,
};

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, ceiling]. */
export function fullJitterDelay(policy: RetryPolicy, failedAttempts: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * ceiling);
}

/**
 * How long a 429 asks us to wait, in ms, or null when it does not say. `Retry-After` (seconds or an
 * HTTP date) wins; else `RateLimit-Reset`, which Mangrove documents as Unix seconds. The IETF draft
 * defines the same header as delta-seconds, so a small value is read as a delta.
 */
export function rateLimitWaitMs(headers: Headers, nowMs: number): number | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    const ONE_YEAR_IN_SECONDS = 31_536_000;
    if (value < ONE_YEAR_IN_SECONDS) return Math.ceil(value * 1000);
    return Math.max(0, Math.ceil(value * 1000 - nowMs));
  }
  return null;
}
