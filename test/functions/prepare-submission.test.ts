/** PrepareSubmission's outcome stays small whatever the portfolio: the run's state holds five of them. */
import { describe, expect, it } from 'vitest';
import { prepareSubmissionStep } from '../../functions/prepare-submission/handler.js';
import { resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import { MAX_MISSING_LISTED } from '../../functions/shared/limits.js';
import { invokeStep, type StepRuntime } from '../../functions/shared/step.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

let sim: Simulator;
useRecordStore();
useSimulator({}, { onStart: (started) => (sim = started) });

describe('a quarter not yet complete', () => {
  it('lists its first missing ledger-months and counts the rest, so four quarters of 200 ledgers stay a few KB', async () => {
    const ledgers = Array.from({ length: 200 }, (_, index) => `lgr_${String(index).padStart(20, '0')}`);
    const plan = resolveRunPlan(
      { from: '2024-01', to: '2024-12', submitReports: true, report: 'Q{q} {yyyy} Carbon Report' },
      { ledgers, timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: true },
      Date.parse('2025-04-02T06:00:00Z'),
    );
    const runtime: StepRuntime = {
      tokens: new StaticTokenSource(DEMO_TOKEN),
      client: { baseUrl: sim.url },
      defaults: () => {
        throw new Error('not read by PrepareSubmission');
      },
      records: () => currentRecords(),
    };
    const outcomes = [];
    for (const quarter of plan.submission.quarters) outcomes.push(await invokeStep(prepareSubmissionStep, { quarter, plan, executionName: 'portfolio' }, runtime));

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['quarter-incomplete', 'quarter-incomplete', 'quarter-incomplete', 'quarter-incomplete']);
    for (const outcome of outcomes) {
      expect(outcome.missing).toHaveLength(MAX_MISSING_LISTED + 1);
      expect(outcome.missing?.at(-1)).toBe(`… and ${600 - MAX_MISSING_LISTED} more ledger-month(s): batch-autopilot status`);
    }
    // Ledger ids cost no Mangrove call: the records are kept by id.
    expect(sim.callCounts()['GET /ledgers'] ?? 0).toBe(0);
    expect(Buffer.byteLength(JSON.stringify(outcomes))).toBeLessThan(12_000);
  });
});
