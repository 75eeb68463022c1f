/** Only batches that exist make a month "already generated": a voided or failed one does not. */
import { describe, expect, it } from 'vitest';
import { DEMO_LEDGERS, demoSeed, type Simulator, type SimulatorSeed } from '../../../local/simulator/index.js';
import { runWorkflow } from '../../support/harness.js';
import { useRecordStore } from '../../support/records.js';
import { useSimulator } from '../../support/simulator.js';

function seedWithJanuaryBatch(state: string): SimulatorSeed {
  const seed = demoSeed();
  return {
    ...seed,
    batches: [
      ...(seed.batches ?? []),
      {
        id: 'bat_jan2025earlier',
        ledgerId: DEMO_LEDGERS.netCarbonRemoval,
        start_time: '2025-01-01T00:00:00.000Z',
        end_time: '2025-01-31T23:59:59.000Z',
        state,
        value: 10,
        created_at: '2025-02-03T08:00:00.000Z',
      },
    ],
  };
}

let sim: Simulator;
useRecordStore();
useSimulator({ taskTiming: { pendingMs: 20, perBatchMs: 10 } }, { onStart: (started) => (sim = started) });

const posts = () => sim.requests.filter((request) => request.route === 'POST /ledgers/:id/batch_generations').length;

describe('batch states', () => {
  it.each(['voided', 'failed', 'Cancelled'])('a %s batch in the month does not count as generated: the month is generated', async (state) => {
    sim.reset(seedWithJanuaryBatch(state));
    const result = await runWorkflow(sim, { month: '2025-01' });
    expect(result.status).toBe('SUCCEEDED');
    expect(posts()).toBe(1);
  });

  it.each(['complete', 'processing', 'some-new-state'])('a %s batch does count: nothing is sent', async (state) => {
    sim.reset(seedWithJanuaryBatch(state));
    const result = await runWorkflow(sim, { month: '2025-01' });
    expect(posts()).toBe(0);
    // Only one of the model's two ledgers has it: counted, so the run stops rather than generate over it.
    expect(result.status === 'FAILED' ? result.error : 'SUCCEEDED').toBe('PartiallyGeneratedError');
  });
});
