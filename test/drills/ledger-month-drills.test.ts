/**
 * Drills of the ledger-month record: each a whole run (or several) of the deployed definition
 * against the simulator, asserting one POST per ledger-month, no month lost (a re-run generates it,
 * or the record says why not), and exactly one alert where one is due.
 */
import { describe, expect, it } from 'vitest';
import { RecordStoreUnavailableError } from '../../functions/shared/errors.js';
import type { LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';
import { DEMO_LEDGERS, demoSeed, type Simulator, type SimulatorSeed } from '../../local/simulator/index.js';
import type { LocalRunResult } from '../../local/runner/run-locally.js';
import { ledgerResults, runWorkflow, type RunOptions } from '../support/harness.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

const NCR = DEMO_LEDGERS.netCarbonRemoval;
const BIOCHAR = DEMO_LEDGERS.biocharProduced;
const POST = 'POST /ledgers/:id/batch_generations' as const;

let sim: Simulator;
useRecordStore();
useSimulator({ taskTiming: { pendingMs: 15, perBatchMs: 5 } }, { onStart: (started) => (sim = started) });

const posts = (): number => sim.callCounts()[POST] ?? 0;
const stateOf = async (ledgerId: string, month: string): Promise<string | undefined> => (await currentRecords().get({ ledgerId, month }))?.state;
const scheduled = (scheduledTime: string, options: RunOptions = {}): Promise<LocalRunResult> =>
  runWorkflow(sim, { source: 'schedule', scheduledTime, ledgers: ['Net Carbon Removal'] }, { executionName: `scheduled-${scheduledTime}`, ...options });
const alertsOf = (...results: LocalRunResult[]): string[] => results.flatMap((result) => result.alerts.map((alert) => alert.subject));

/** Net Carbon Removal's batches per month: more than one in a month is a double generation. */
function ncrBatchesPerMonth(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const batch of (sim.batches(NCR) ?? []) as Array<{ start_time: string }>) {
    const month = batch.start_time.slice(0, 7);
    counts[month] = (counts[month] ?? 0) + 1;
  }
  return counts;
}

/** The demo seed with April 2025 readings too: the month's data "arrives". */
function seedWithApril(): SimulatorSeed {
  const seed = demoSeed();
  const march = seed.dataPoints.filter((point) => point.timestamp.startsWith('2025-03') && Number(point.timestamp.slice(8, 10)) <= 28);
  const april = march.map((point, index) => ({ ...point, id: `in_april${String(index).padStart(6, '0')}`, timestamp: point.timestamp.replace('2025-03', '2025-04') }));
  return { ...seed, dataPoints: [...seed.dataPoints, ...april] };
}

/** Records whose `started` write always fails, as a throttled table would after the 202. */
function failingToRecordStarts(records: LedgerMonthRecords): LedgerMonthRecords {
  return new Proxy(records, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'moveAll' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (transition: string, ...rest: unknown[]) => {
        if (transition === 'started') throw new RecordStoreUnavailableError('ProvisionedThroughputExceededException (drill)');
        return (value as (...args: unknown[]) => Promise<void>).call(target, transition, ...rest);
      };
    },
  });
}

describe('ledger-month drills', () => {
  it('1. co-written ledgers in one run, batch list lagging after complete: one POST, no alert', async () => {
    const result = await runWorkflow(sim, { ledgers: ['Net Carbon Removal', 'Biochar Produced'], month: '2025-03' }, {
      wrapTask: async (state, _input, invoke) => {
        const output = await invoke();
        // From here on the ledgers' batch lists answer empty, as a lagging index would.
        if (state === 'VerifyBatches') sim.faults.inject('GET /ledgers/:id/batches', { kind: 'status', status: 200, body: { data: [] } }, 20);
        return output;
      },
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(posts()).toBe(1);
    expect(ledgerResults(result).map((outcome) => outcome.outcome)).toEqual(['generated', 'already-generated']);
    expect(await stateOf(BIOCHAR, '2025-03')).toBe('generated');
    expect(result.alerts).toEqual([]);
  });

  it('2a. the same month in UTC and in Europe/Berlin at once: they meet on one record, one POST', async () => {
    const runs = await Promise.all([
      runWorkflow(sim, { month: '2025-03' }, { executionName: 'utc' }),
      runWorkflow(sim, { month: '2025-03', timeZone: 'Europe/Berlin' }, { executionName: 'berlin' }),
    ]);

    // Whichever wins POSTs (the simulator's UTC project may then refuse a Berlin window's stray hour:
    // a zone mismatch, reported as the task's failure); the other meets its claim.
    expect(runs.flatMap((run) => ledgerResults(run).map((outcome) => outcome.outcome))).toContain('generating-elsewhere');
    expect(posts()).toBe(1);
  });

  it('2b. a month and a range over it at once, then the reconciliation: every month once, none lost', async () => {
    const runs = await Promise.all([
      runWorkflow(sim, { month: '2025-03' }, { executionName: 'month' }),
      runWorkflow(sim, { from: '2025-02', to: '2025-03' }, { executionName: 'range' }),
    ]);
    const reconcile = await scheduled('2025-04-02T06:00:00Z');

    expect([...runs, reconcile].map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(ncrBatchesPerMonth()).toMatchObject({ '2025-01': 1, '2025-02': 1, '2025-03': 1 });
    for (const month of ['2025-01', '2025-02', '2025-03']) expect(await stateOf(NCR, month)).toBe('generated');
  });

  it('3. a 429 on every POST: one alert, the months freed, the re-run generates them', async () => {
    sim.faults.inject(POST, { kind: 'status', status: 429, body: { message: 'Too Many Requests' } }, 1_000);
    const first = await runWorkflow(sim, { month: '2025-03' }, { executionName: 'throttled' });
    sim.faults.clear();
    const postsBefore = posts();
    const rerun = await runWorkflow(sim, { month: '2025-03' }, { executionName: 'rerun' });

    expect(first.status).toBe('FAILED');
    expect(alertsOf(first)).toEqual([expect.stringContaining('RateLimitedError')]);
    expect(rerun.status).toBe('SUCCEEDED');
    expect(posts() - postsBefore).toBe(1);
    expect(await stateOf(NCR, '2025-03')).toBe('generated');
  });

  it('4. data missing on day 1, arriving on day 2: waiting-for-data, then generated on the next fire, never skipped', async () => {
    const day1 = await scheduled('2025-05-01T06:00:00Z');
    expect(await stateOf(NCR, '2025-04')).toBe('waiting-for-data');
    expect(posts()).toBe(2);

    sim.reset(seedWithApril());
    const day2 = await scheduled('2025-05-02T06:00:00Z');
    const day3 = await scheduled('2025-05-03T06:00:00Z');

    expect([day1.status, day2.status, day3.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await stateOf(NCR, '2025-04')).toBe('generated');
    // Feb and March on day 1, April on day 2, nothing on day 3.
    expect(posts()).toBe(1);
    expect(alertsOf(day1, day2, day3)).toEqual([]);
  });

  it('4b. still no data past generateByDay: exactly one overdue alert per ledger-month, not one per fire', async () => {
    const day10 = await scheduled('2025-05-10T06:00:00Z');
    const day11 = await scheduled('2025-05-11T06:00:00Z');

    expect(day10.status).toBe('FAILED');
    expect(alertsOf(day10)).toEqual([expect.stringContaining('MonthOverdueError')]);
    expect(day10.alerts[0]?.message).toMatch(/Month: 2025-04\n[\s\S]*previews 0 batches for 2025-04 past its generate-by day; the ledger's model needs 6 required input\(s\), manual-select "Biochar Carbon Content" \(6\)/);
    expect(day11.status).toBe('SUCCEEDED');
    expect(alertsOf(day11)).toEqual([]);
    expect(await currentRecords().get({ ledgerId: NCR, month: '2025-04' })).toMatchObject({ state: 'waiting-for-data', overdueAlertedAt: expect.any(String) });
  });

  it('5. a second run while the first task still runs, however long after: generating elsewhere, no POST', async () => {
    let slowSkew = 0;
    let polling!: () => void;
    const polled = new Promise<void>((resolve) => (polling = resolve));
    const slow = runWorkflow(sim, { month: '2025-03' }, {
      executionName: 'slow',
      now: () => Date.now() + slowSkew,
      wrapTask: async (state, _input, invoke) => {
        if (state === 'GetGenerationStatus') polling();
        return invoke();
      },
    });
    sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 200, body: { id: 1, state: 'processing', progress: 10 } }, 10_000);
    await polled;
    const later = await runWorkflow(sim, { month: '2025-03' }, { executionName: 'later', now: () => Date.now() + 30 * 86_400_000 });
    // Let the slow run reach its deadline, so it ends within the drill.
    slowSkew = 3 * 3_600_000;
    const slowResult = await slow;

    expect(ledgerResults(later)[0]).toMatchObject({ outcome: 'generating-elsewhere', generation: { heldBy: 'slow#lgr_netremoval01@2025-03' } });
    expect(posts()).toBe(1);
    expect(alertsOf(slowResult)).toEqual([expect.stringContaining('GenerationDeadlineExceededError')]);
    expect(await stateOf(NCR, '2025-03')).toBe('outcome-unknown');
  });

  it('6. recording the task fails after the 202: the task is still watched and the month recorded generated', async () => {
    const result = await runWorkflow(sim, { month: '2025-03' }, { records: failingToRecordStarts(currentRecords()) });

    expect(result.status).toBe('SUCCEEDED');
    expect(posts()).toBe(1);
    expect(await stateOf(NCR, '2025-03')).toBe('generated');
  });

  it('7. outcome unknown, then an operator resolve: alert, no second POST until the decision, then generated once', async () => {
    sim.faults.inject(POST, { kind: 'hang' });
    let skew = 0;
    const lost = await runWorkflow(sim, { month: '2025-03' }, {
      executionName: 'lost',
      now: () => Date.now() + skew,
      wrapTask: async (state, _input, invoke) => {
        if (state === 'FindGeneratedBatches') skew += 3 * 3_600_000;
        return invoke();
      },
    });
    const doubted = await runWorkflow(sim, { month: '2025-03' }, { executionName: 'doubted' });
    // The POST was for the model's co-written ledgers too: the operator decides for each.
    for (const ledgerId of [NCR, BIOCHAR]) {
      await currentRecords().move('resolve', { ledgerId, month: '2025-03' }, 'operator', { decision: 'not-generated', by: 'drill-operator' });
    }
    const resolved = await runWorkflow(sim, { month: '2025-03' }, { executionName: 'resolved' });

    expect(alertsOf(lost)).toEqual([expect.stringContaining('GenerationOutcomeUnknownError')]);
    expect(alertsOf(doubted)).toEqual([expect.stringContaining('MonthInDoubtError')]);
    expect(resolved.status).toBe('SUCCEEDED');
    // The hung POST never reached the simulator's generation: the resolved run's is the only one.
    expect(sim.tasks()).toHaveLength(1);
    expect(await stateOf(NCR, '2025-03')).toBe('generated');
  });

  it('8. two reconciliations at once, and a stack that was off for two months: every month once', async () => {
    const [a, b] = await Promise.all([scheduled('2025-04-02T06:00:00Z'), scheduled('2025-04-02T07:00:00Z')]);

    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(ncrBatchesPerMonth()).toMatchObject({ '2025-01': 1, '2025-02': 1, '2025-03': 1 });
    expect(posts()).toBe(3);
  });

  it('9. a co-written ledger named by id in one run and by name in another: one POST', async () => {
    const byName = await runWorkflow(sim, { ledgers: ['Net Carbon Removal'], month: '2025-03' }, { executionName: 'by-name' });
    const byId = await runWorkflow(sim, { ledgers: [BIOCHAR], month: '2025-03' }, { executionName: 'by-id' });

    expect(ledgerResults(byName)[0]?.outcome).toBe('generated');
    expect(ledgerResults(byId)[0]?.outcome).toBe('already-generated');
    expect(posts()).toBe(1);
  });
});
