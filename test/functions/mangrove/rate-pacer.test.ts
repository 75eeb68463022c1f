import { describe, expect, it } from 'vitest';
import { MangroveClient } from '../../../functions/mangrove/client.js';
import { RateLimitPacer } from '../../../functions/mangrove/rate-pacer.js';
import { DEMO_LEDGERS, startSimulator } from '../../../local/simulator/index.js';

const TOKEN = 'pacer-test-token';
const NCR = DEMO_LEDGERS.netCarbonRemoval;

describe('RateLimitPacer against the simulator’s per-token limit', () => {
  it('leaves the reserve of each window to other users of the token, across clients sharing the pacer', async () => {
    let clock = Date.parse('2025-04-01T06:00:30Z');
    const sim = await startSimulator({ tokens: { [TOKEN]: 'read-write' }, rateLimitPerMinute: 8, now: () => clock });
    try {
      const pacer = new RateLimitPacer(0.25);
      const sleeps: number[] = [];
      const client = () =>
        new MangroveClient({ baseUrl: sim.url, token: TOKEN, now: () => clock, pacer, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)) });
      const first = client();
      for (let i = 0; i < 6; i += 1) await first.getLedger(NCR);
      expect(sleeps).toEqual([]);
      // 2 of 8 left is the reserve: a second client (another step, same process) waits for the reset.
      await client().getLedger(NCR);
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThan(0);
      expect(sleeps[0]).toBeLessThanOrEqual(60_000);
      expect(sim.requests.filter((request) => request.status === 429)).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it('does not wait on a response without rate-limit headers, nor after the window reset', () => {
    const pacer = new RateLimitPacer(0.25);
    const now = 1_000_000;
    pacer.observe(new Headers(), now);
    expect(pacer.waitMs(now)).toBe(0);
    pacer.observe(new Headers({ 'ratelimit-limit': '1000', 'ratelimit-remaining': '100', 'ratelimit-reset': '20' }), now);
    expect(pacer.waitMs(now)).toBe(20_000);
    expect(pacer.waitMs(now + 20_000)).toBe(0);
    pacer.observe(new Headers({ 'ratelimit-limit': '1000', 'ratelimit-remaining': '251', 'ratelimit-reset': '20' }), now);
    expect(pacer.waitMs(now)).toBe(0);
    pacer.sent();
    expect(pacer.waitMs(now)).toBe(20_000);
  });
});
