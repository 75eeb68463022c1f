/** Calendar months only: a ledger whose cadence says otherwise is refused before anything is sent. */
import { describe, expect, it } from 'vitest';
import { DEMO_LEDGERS, demoSeed, type Simulator } from '../../../local/simulator/index.js';
import { runWorkflow } from '../../support/harness.js';
import { useRecordStore } from '../../support/records.js';
import { useSimulator } from '../../support/simulator.js';

let sim: Simulator;
useRecordStore();
useSimulator({ taskTiming: { pendingMs: 20, perBatchMs: 10 } }, { onStart: (started) => (sim = started) });

function withCadence(cadence: string) {
  const seed = demoSeed();
  return { ...seed, ledgers: seed.ledgers.map((ledger) => (ledger.id === DEMO_LEDGERS.netCarbonRemoval ? { ...ledger, cadence } : ledger)) };
}

describe('ledger cadence', () => {
  it('refuses a quarterly ledger with a clear alert, sending nothing to generate', async () => {
    sim.reset(withCadence('quarterly'));
    const result = await runWorkflow(sim, { month: '2025-01' });
    expect(result.status).toBe('FAILED');
    if (result.status !== 'FAILED') return;
    expect(result.error).toBe('UnsupportedCadenceError');
    expect(result.alerts[0]?.message).toContain('has cadence "quarterly"');
    expect(result.alerts[0]?.message).toContain('calendar months only');
    expect(sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });

  it('takes a missing cadence as monthly (the contract documents it nullable)', async () => {
    // The simulator's seed requires a cadence for a modelled ledger, so the answer loses it on the way out.
    sim.faults.inject('GET /ledgers', { kind: 'omit-field', field: 'cadence' });
    const result = await runWorkflow(sim, { month: '2025-01' });
    expect(result.status).toBe('SUCCEEDED');
  });
});
