import { describe, expect, it } from 'vitest';
import { cookbookRun } from '../../../local/bench/cookbook-baseline.js';
import { DEMO_TOKEN, startSimulator } from '../../../local/simulator/index.js';

describe('the bench’s cookbook baseline', () => {
  it('makes the cookbook’s calls and nothing else, and ends with the generated batches', async () => {
    const sim = await startSimulator({ taskTiming: { pendingMs: 5, perBatchMs: 5 } });
    try {
      const outcome = await cookbookRun(sim.url, DEMO_TOKEN, 'Net Carbon Removal', { start_time: '2025-01-01T00:00:00Z', end_time: '2025-01-31T23:59:59Z' }, 20);
      const routes = [...new Set(sim.requests.map((request) => request.route))];
      expect(routes).toEqual([
        'GET /ledgers',
        'GET /ledgers/:id/required_inputs',
        'POST /ledgers/:id/generate_preview',
        'POST /ledgers/:id/batch_generations',
        'GET /async_tasks/:id',
        'GET /ledgers/:id/batches',
      ]);
      expect(outcome.calls).toBe(sim.requests.length);
      // The 12 batches of 2024 and January's new one, first page of 10.
      expect(outcome.batches).toBeGreaterThan(0);
      expect(sim.requests.every((request) => request.status !== null && request.status < 300)).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
