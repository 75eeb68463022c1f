/** SubmitReport sends its POST only for the run that prepared the report, never over another run's claim. */
import { describe, expect, it } from 'vitest';
import { resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import { invokeStep, type StepRuntime } from '../../functions/shared/step.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { submitReportStep } from '../../functions/submit-report/handler.js';
import { DEMO_REPORTS, DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

let sim: Simulator;
useRecordStore();
useSimulator({}, { onStart: (started) => (sim = started) });

const SUBMIT = 'POST /reports/:id/submit';

describe('SubmitReport retried after its own 429 freed the quarter', () => {
  const plan = resolveRunPlan(
    { quarter: '2025-Q1', report: 'Q{q} {yyyy} Carbon Report' },
    { ledgers: ['Net Carbon Removal'], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: true },
    Date.parse('2025-04-02T06:00:00Z'),
  );
  const quarter = plan.submission.quarters[0] as (typeof plan.submission.quarters)[number];
  const runtime = (): StepRuntime => ({
    tokens: new StaticTokenSource(DEMO_TOKEN),
    client: { baseUrl: sim.url },
    defaults: () => {
      throw new Error('not read by SubmitReport');
    },
    records: () => currentRecords(),
  });
  const submit = () => invokeStep(submitReportStep, { quarter, plan, executionName: 'run-a', report: { id: DEMO_REPORTS.q1of2025 } }, runtime()).then(
    (result) => result,
    (error: unknown) => error as Error,
  );

  it('does not POST a report another run has claimed since and left failed', async () => {
    const quarters = await currentRecords().quarters();
    await quarters.move('claim', '2025-Q1', 'run-a#2025-Q1', { reportId: DEMO_REPORTS.q1of2025, addedBatchIds: ['bat_a'] });
    await quarters.move('failed', '2025-Q1', 'run-a#2025-Q1', { error: 'RateLimitedError: rate limited' });
    await quarters.move('claim', '2025-Q1', 'run-b#2025-Q1', { reportId: DEMO_REPORTS.q1of2025, addedBatchIds: ['bat_b'] });
    await quarters.move('failed', '2025-Q1', 'run-b#2025-Q1', { error: 'MangroveResponseError: the updated report lacks 1 batch(es) it should hold; nothing was submitted' });

    const outcome = await submit();

    expect(sim.callCounts()[SUBMIT] ?? 0).toBe(0);
    expect(outcome).toMatchObject({ name: 'RecordConflictError', message: expect.stringContaining('another run has taken the quarter, so this run sent nothing') });
  });

  it('resumes its own freed claim and POSTs once, holding the quarter for its wait', async () => {
    const quarters = await currentRecords().quarters();
    await quarters.move('claim', '2025-Q1', 'run-a#2025-Q1', { reportId: DEMO_REPORTS.q1of2025, addedBatchIds: [] });
    await quarters.move('failed', '2025-Q1', 'run-a#2025-Q1', { error: 'RateLimitedError: rate limited' });
    const resumed: string[] = [];
    const records = currentRecords();
    const watching = new Proxy(records, {
      get: (target, property, receiver) =>
        property !== 'quarters'
          ? Reflect.get(target, property, receiver)
          : async () => {
              const inner = await target.quarters();
              const move = inner.move.bind(inner);
              inner.move = async (transition, ...rest) => {
                await move(transition, ...rest);
                if (transition === 'resume') resumed.push(JSON.stringify(await inner.get('2025-Q1')));
              };
              return inner;
            },
    });

    // The demo's draft holds no batch yet: Mangrove refuses the submit (422), after the one POST.
    const outcome = await invokeStep(submitReportStep, { quarter, plan, executionName: 'run-a', report: { id: DEMO_REPORTS.q1of2025 } }, { ...runtime(), records: () => watching }).catch(
      (error: unknown) => error as Error,
    );

    expect(sim.callCounts()[SUBMIT]).toBe(1);
    expect(outcome).toMatchObject({ name: 'ReportNotSubmittableError' });
    const held = JSON.parse(resumed[0] ?? '{}') as { state?: string; owner?: string; error?: string; holdUntil?: string };
    expect(held).toMatchObject({ state: 'submitting', owner: 'run-a#2025-Q1' });
    expect(held.error).toBeUndefined();
    expect(Date.parse(held.holdUntil ?? '') - Date.now()).toBeGreaterThan(plan.maxWaitSeconds * 1000);
    expect(await quarters.get('2025-Q1')).toMatchObject({ state: 'failed', owner: 'run-a#2025-Q1' });
  });
});
