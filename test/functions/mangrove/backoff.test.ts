import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, fullJitterDelay, rateLimitWaitMs } from '../../../functions/mangrove/backoff.js';

describe('fullJitterDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling per failed attempt and caps it', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => fullJitterDelay(policy, attempt, () => 0.999_999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads delays over [0, ceiling]', () => {
    expect(fullJitterDelay(policy, 3, () => 0)).toBe(0);
    expect(fullJitterDelay(policy, 3, () => 0.5)).toBe(200);
  });
});

describe('rateLimitWaitMs', () => {
  const now = Date.parse('2025-04-02T06:00:00.000Z');

  it('prefers Retry-After in seconds', () => {
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '3', 'ratelimit-reset': String(now / 1000 + 50) }), now)).toBe(3_000);
  });

  it('reads Retry-After as an HTTP date', () => {
    expect(rateLimitWaitMs(new Headers({ 'retry-after': new Date(now + 7_000).toUTCString() }), now)).toBe(7_000);
  });

  it('falls back to RateLimit-Reset as Unix seconds (the contract)', () => {
    expect(rateLimitWaitMs(new Headers({ 'ratelimit-reset': String(now / 1000 + 42) }), now)).toBe(42_000);
  });

  it('reads a small RateLimit-Reset as delta seconds (the IETF draft)', () => {
    expect(rateLimitWaitMs(new Headers({ 'ratelimit-reset': '12' }), now)).toBe(12_000);
  });

  it('never waits a negative time and says nothing without hints', () => {
    expect(rateLimitWaitMs(new Headers({ 'ratelimit-reset': String(now / 1000 - 5) }), now)).toBe(0);
    expect(rateLimitWaitMs(new Headers(), now)).toBeNull();
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
  });
});
