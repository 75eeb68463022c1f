/**
 * Drills of the quarterly report submission: each a whole run (or several) of the deployed
 * definition against the simulator, asserting at most one `POST /reports/{id}/submit` per quarter
 * (exactly one where one is due), a report that only ever gains the quarter's batches, the quarter
 * record's state, and exactly one alert where one is due, in Mangrove's words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuarterSubmission } from '../../functions/shared/quarter-submission-record.js';
import { DEMO_LEDGERS, DEMO_REPORTS, DEMO_TOKEN, demoSeed, type RouteKey, type Simulator, type SimulatorSeed } from '../../local/simulator/index.js';
import type { LocalRunResult } from '../../local/runner/run-locally.js';
import { runWorkflow, workflowDefinition, type RunOptions } from '../support/harness.js';
import { lambdaKilled } from './fault-drills.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

const NCR = DEMO_LEDGERS.netCarbonRemoval;
const BIOCHAR = DEMO_LEDGERS.biocharProduced;
const Q1_REPORT = DEMO_REPORTS.q1of2025;
const PATTERN = 'Q{q} {yyyy} Carbon Report';
const SUBMIT: RouteKey = 'POST /reports/:id/submit';
const PATCH: RouteKey = 'PATCH /reports/:id';
/** A December 2024 batch of the demo seed: outside Q1 2025, so Mangrove refuses a Q1 report that holds it. */
const STRAY_BATCH = 'bat_hist2024m12x';

/** Generates January to March 2025, then submits Q1 (its last month is in the window). */
const GENERATE_AND_SUBMIT = { from: '2025-01', to: '2025-03', ledgers: ['Net Carbon Removal'], submitReports: true, report: PATTERN };
/** `submit-report --quarter 2025-Q1`: nothing generated, the quarter's months must be already. */
const ON_REQUEST = { quarter: '2025-Q1', report: PATTERN };
/** The reconciliation fire after Q1 ended, with submission on. */
const SCHEDULED = { source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z', ledgers: ['Net Carbon Removal'], submitReports: true, report: PATTERN };

let sim: Simulator;
/** Mangrove's own clock, held back by a drill to keep a task running while another run looks. */
let mangroveSkewMs = 0;
useRecordStore();
// Tasks settle within a few ms, before the first poll (waits are 15 ms): each poll loop polls once.
useSimulator(
  { taskTiming: { pendingMs: 0, perBatchMs: 1 }, now: () => Date.now() + mangroveSkewMs },
  { onStart: (started) => (sim = started), beforeReset: () => (mangroveSkewMs = 0) },
);

interface ReportView {
  id: string;
  name: string;
  status: string;
  inclusions: Array<{ batch_id: string }>;
}

const calls = (route: RouteKey): number => sim.callCounts()[route] ?? 0;
/** Calls to any `/reports` route. */
const reportCalls = (): number => Object.entries(sim.callCounts()).reduce((sum, [route, count]) => sum + (route.includes('/reports') ? (count ?? 0) : 0), 0);
const q1Report = (): ReportView | undefined => (sim.reports() as ReportView[]).find((report) => report.id === Q1_REPORT);
const batchIdsOf = (report: ReportView | undefined): string[] => (report?.inclusions ?? []).map((inclusion) => inclusion.batch_id).sort();
const quarterRecord = async (): Promise<QuarterSubmission | null> => (await currentRecords().quarters()).get('2025-Q1');
const alertsOf = (...results: LocalRunResult[]): string[] => results.flatMap((result) => result.alerts.map((alert) => alert.subject));
/** Submission tasks Mangrove really started (a POST lost before processing started none). */
const submissionTasks = (): unknown[] => (sim.tasks() as Array<{ type?: string }>).filter((task) => task.type === 'Reports::Submission');

/** A ledger's Q1 2025 batches as Mangrove lists them (Net Carbon Removal's: the quarter's, for the report). */
function q1Batches(ledgerId: string = NCR): string[] {
  return (sim.batches(ledgerId) as Array<{ id: string; start_time: string }>)
    .filter((batch) => batch.start_time >= '2025-01' && batch.start_time < '2025-04')
    .map((batch) => batch.id)
    .sort();
}

/** The Mangrove calls `act` makes, by route. */
async function callsDuring(act: () => Promise<unknown>): Promise<Partial<Record<RouteKey, number>>> {
  const before = sim.callCounts();
  await act();
  const made: Partial<Record<RouteKey, number>> = {};
  for (const [route, count] of Object.entries(sim.callCounts()) as Array<[RouteKey, number]>) {
    if (count > (before[route] ?? 0)) made[route] = count - (before[route] ?? 0);
  }
  return made;
}

/** Each quarter's outcome as the run left it (`$.submissions`), whether the run succeeded or failed. */
function quarterOutcomes(result: LocalRunResult): Array<Record<string, unknown>> {
  const exited = result.events.findLast((event) => event.type === 'StateExited' && event.state?.name === 'ForEachQuarter');
  return ((exited?.state?.output as { submissions?: Array<Record<string, unknown>> } | undefined)?.submissions ?? []);
}

/** Each poll of the submission is three hours later: the second is past the two-hour deadline. */
function pollsPastTheDeadline(beforePoll: () => void = () => undefined): RunOptions {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    wrapTask: async (state, _input, invoke) => {
      if (state === 'GetSubmissionStatus') {
        beforePoll();
        skew += 3 * 3_600_000;
      }
      return invoke();
    },
  };
}

const run = (input: Record<string, unknown>, executionName: string, options: RunOptions = {}): Promise<LocalRunResult> =>
  runWorkflow(sim, input, { executionName, ...options });

/** Q1's months generated, nothing submitted: what a quarter-only run starts from. */
async function generateQ1(): Promise<void> {
  const generated = await run({ from: '2025-01', to: '2025-03', ledgers: ['Net Carbon Removal'] }, 'generate');
  expect(generated.status).toBe('SUCCEEDED');
  expect(q1Batches()).toHaveLength(3);
}

/** The demo seed with the Q1 report already holding a December 2024 batch, as a person might have added it. */
function seedWithStrayBatch(): SimulatorSeed {
  const seed = demoSeed();
  return { ...seed, reports: (seed.reports ?? []).map((report) => (report.id === Q1_REPORT ? { ...report, batchIds: [STRAY_BATCH] } : report)) };
}

/** A person's change through Mangrove's API (its app does the same): the report's batches replaced. */
async function setReportBatches(reportId: string, batchIds: string[]): Promise<void> {
  const response = await fetch(`${sim.url}/reports/${reportId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ report: { batch_ids: batchIds } }),
  });
  expect(response.status).toBe(200);
}

describe('report submission drills', () => {
  // The synthesis (about a second) before the first drill, not inside it.
  beforeAll(() => void workflowDefinition());

  it('1. a 422 (the report holds a batch outside the quarter): one POST, an alert in Mangrove\'s words, the report as it was, the quarter free for a later run', async () => {
    sim.reset(seedWithStrayBatch());
    const refused = await run(GENERATE_AND_SUBMIT, 'refused');

    expect(refused.status).toBe('FAILED');
    expect(quarterOutcomes(refused)).toMatchObject([{ outcome: 'failed', failed: true, step: 'SubmitReport', error: 'ReportNotSubmittableError' }]);
    expect(calls(SUBMIT)).toBe(1);
    expect(alertsOf(refused)).toEqual([expect.stringContaining('ReportNotSubmittableError')]);
    expect(refused.alerts[0]?.message).toContain('Quarter: 2025-Q1');
    expect(refused.alerts[0]?.message).toContain('Report does not meet submission requirements');
    expect(refused.alerts[0]?.message).toContain(`Batch ${STRAY_BATCH} (Dec-2024-001) lies outside Q1 2025`);
    expect(refused.alerts[0]?.message).toContain('taken out again, so the report is as it was');
    // The union PATCH added the quarter's batches; the refusal took them out again.
    expect(calls(PATCH)).toBe(2);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(batchIdsOf(q1Report())).toEqual([STRAY_BATCH]);
    expect(await quarterRecord()).toMatchObject({ state: 'failed', error: expect.stringContaining('lies outside Q1 2025') });

    // The operator takes the stray batch out in Mangrove; the next run submits, once.
    await setReportBatches(Q1_REPORT, []);
    const retried = await run(ON_REQUEST, 'retried');

    expect(retried.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(retried)).toMatchObject([{ outcome: 'submitted' }]);
    expect(calls(SUBMIT)).toBe(2);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
    expect(alertsOf(retried)).toEqual([]);
  });

  it('2. a report not in draft: an unexpected status alerts naming it, complete is recorded already-submitted; never a PATCH or POST', async () => {
    await generateQ1();
    sim.editReport(Q1_REPORT, { status: 'rejected' });
    const rejected = await run(ON_REQUEST, 'found-rejected');

    expect(rejected.status).toBe('FAILED');
    expect(alertsOf(rejected)).toEqual([expect.stringContaining('ReportNotDraftError')]);
    expect(rejected.alerts[0]?.message).toContain('is in status "rejected"');
    expect(await quarterRecord()).toBeNull();

    sim.editReport(Q1_REPORT, { status: 'complete' });
    const complete = await run(SCHEDULED, 'found-complete');

    expect(complete.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(complete)).toMatchObject([{ outcome: 'already-submitted', failed: false, report: { id: Q1_REPORT, status: 'complete' } }]);
    expect(await quarterRecord()).toMatchObject({ state: 'submitted', reportId: Q1_REPORT, evidence: 'report found complete' });
    expect(complete.alerts).toEqual([]);
    expect(calls(PATCH)).toBe(0);
    expect(calls(SUBMIT)).toBe(0);
    expect(q1Report()).toMatchObject({ status: 'complete', inclusions: [] });
  });

  it('3. the report renamed, then deleted, between runs: ReportNotFoundError each time, nothing sent', async () => {
    await generateQ1();
    sim.editReport(Q1_REPORT, { name: 'Q1 2025 Carbon Report (old)' });
    const renamed = await run(ON_REQUEST, 'renamed');
    sim.editReport(Q1_REPORT, null);
    const deletedByName = await run(SCHEDULED, 'deleted-by-name');
    const deletedById = await run({ quarter: '2025-Q1', report: Q1_REPORT }, 'deleted-by-id');

    expect([renamed, deletedByName, deletedById].map((result) => result.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(alertsOf(renamed)).toEqual([expect.stringContaining('ReportNotFoundError')]);
    expect(renamed.alerts[0]?.message).toContain('no report is named "Q1 2025 Carbon Report" (renamed or deleted?)');
    expect(renamed.alerts[0]?.message).toContain(`"Q1 2025 Carbon Report (old)" (${Q1_REPORT}, draft)`);
    expect(alertsOf(deletedByName)).toEqual([expect.stringContaining('ReportNotFoundError')]);
    expect(alertsOf(deletedById)).toEqual([expect.stringContaining('ReportNotFoundError')]);
    expect(deletedById.alerts[0]?.message).toContain(`no report has id "${Q1_REPORT}"`);
    expect(calls(PATCH)).toBe(0);
    expect(calls(SUBMIT)).toBe(0);
    expect(await quarterRecord()).toBeNull();
  });

  it('4a. the submit POST applied but its answer lost: never sent again, the report\'s status shows it submitted', async () => {
    sim.faults.inject(SUBMIT, { kind: 'reset', afterProcessing: true });
    const result = await run(GENERATE_AND_SUBMIT, 'answer-lost');

    expect(result.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(result)).toMatchObject([{ outcome: 'submitted', taskId: null }]);
    expect(calls(SUBMIT)).toBe(1);
    expect(submissionTasks()).toHaveLength(1);
    // No task id to read: the poll watched the report (the one task read was the generation's).
    expect(calls('GET /reports/:id')).toBeGreaterThanOrEqual(1);
    expect(calls('GET /async_tasks/:id')).toBe(1);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'submitted', evidence: 'report found complete' });
    expect(result.alerts).toEqual([]);
  });

  it('4c. the SubmitReport Lambda killed after its POST: not run again, the report watched from the first poll', async () => {
    const result = await run(GENERATE_AND_SUBMIT, 'killed-after-post', {
      wrapTask: async (state, _input, invoke) => {
        const output = await invoke();
        if (state === 'SubmitReport') throw lambdaKilled();
        return output;
      },
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(result)).toMatchObject([{ outcome: 'submitted', taskId: null }]);
    expect(calls(SUBMIT)).toBe(1);
    expect(submissionTasks()).toHaveLength(1);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(await quarterRecord()).toMatchObject({ state: 'submitted', evidence: 'report found complete' });
    expect(result.alerts).toEqual([]);
  });

  it('4b. the submit POST lost before Mangrove acted: outcome unknown, a scheduled run does not submit, an operator\'s run submits once', async () => {
    sim.faults.inject(SUBMIT, { kind: 'reset' });
    const lost = await run(GENERATE_AND_SUBMIT, 'lost', pollsPastTheDeadline());

    expect(lost.status).toBe('FAILED');
    expect(alertsOf(lost)).toEqual([expect.stringContaining('SubmissionOutcomeUnknownError')]);
    expect(lost.alerts[0]?.message).toContain('the submission was still draft at the deadline');
    expect(calls(SUBMIT)).toBe(1);
    expect(submissionTasks()).toHaveLength(0);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'outcome-unknown' });

    const scheduled = await run(SCHEDULED, 'scheduled');

    // The lost run's alert was the one message for this incident: the next run says "in doubt", quietly.
    expect(alertsOf(scheduled)).toEqual([]);
    expect(quarterOutcomes(scheduled)).toMatchObject([{ outcome: 'in-doubt', failed: false }]);
    expect(calls(SUBMIT)).toBe(1);
    expect(await quarterRecord()).toMatchObject({ state: 'outcome-unknown' });

    const operator = await run(ON_REQUEST, 'operator');

    expect(operator.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(operator)).toMatchObject([{ outcome: 'submitted' }]);
    expect(calls(SUBMIT)).toBe(2);
    expect(submissionTasks()).toHaveLength(1);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
    expect(operator.alerts).toEqual([]);
  });

  it('5. the submission task fails: SubmissionFailedError with the task\'s message, the quarter free, a later run submits once', async () => {
    const message = 'Registry rejected the issuance: methodology version not accepted';
    const failed = await run(GENERATE_AND_SUBMIT, 'task-failed', {
      wrapTask: async (state, _input, invoke) => {
        // After the generation's task: this one shapes the submission's.
        if (state === 'SubmitReport') sim.faults.failNextTask(message);
        return invoke();
      },
    });

    expect(failed.status).toBe('FAILED');
    expect(alertsOf(failed)).toEqual([expect.stringContaining('SubmissionFailedError')]);
    expect(failed.alerts[0]?.message).toContain(message);
    expect(calls(SUBMIT)).toBe(1);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'failed', error: message });

    const later = await run(SCHEDULED, 'later');

    expect(later.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(later)).toMatchObject([{ outcome: 'submitted', batches: { added: 0, held: 3 } }]);
    expect(calls(SUBMIT)).toBe(2);
    // The batches stayed in the report: the later run had nothing to add.
    expect(calls(PATCH)).toBe(1);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
    expect(later.alerts).toEqual([]);
  });

  it('6a. the same run twice: one POST; the second reads the quarter record and calls no /reports route', async () => {
    const first = await run(GENERATE_AND_SUBMIT, 'first');
    const reportCallsBefore = reportCalls();
    const second = await run(GENERATE_AND_SUBMIT, 'second');

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(quarterOutcomes(first)).toMatchObject([{ outcome: 'submitted' }]);
    expect(quarterOutcomes(second)).toMatchObject([{ outcome: 'already-submitted', report: { id: Q1_REPORT } }]);
    expect(reportCalls()).toBe(reportCallsBefore);
    expect(calls(SUBMIT)).toBe(1);
    expect(alertsOf(first, second)).toEqual([]);
  });

  it('6b. two operator runs for the quarter at once: one POST in total, the other settles without one', async () => {
    await generateQ1();
    const runs = await Promise.all([run(ON_REQUEST, 'operator-a'), run(ON_REQUEST, 'operator-b')]);

    expect(runs.map((result) => result.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const outcomes = runs.flatMap((result) => quarterOutcomes(result).map((outcome) => outcome.outcome)).sort();
    expect(outcomes).toHaveLength(2);
    expect(outcomes).toContain('submitted');
    expect(['already-submitted', 'submitting-elsewhere']).toContain(outcomes.find((outcome) => outcome !== 'submitted'));
    expect(calls(SUBMIT)).toBe(1);
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
    expect(alertsOf(...runs)).toEqual([]);
  });

  it('6c. two generating runs at once, then the reconciliation: one POST in total', async () => {
    const runs = await Promise.all([run(GENERATE_AND_SUBMIT, 'range-a'), run(GENERATE_AND_SUBMIT, 'range-b')]);
    const reconcile = await run(SCHEDULED, 'reconcile');

    expect([...runs, reconcile].map((result) => result.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(calls(SUBMIT)).toBe(1);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(batchIdsOf(q1Report())).toEqual(q1Batches());
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
  });

  it('6d. a run that reads the report while another run\'s submission task still runs, which then fails: not recorded submitted, the operator\'s run submits once', async () => {
    await generateQ1();
    const message = 'Registry unavailable: try again later';
    sim.faults.failNextTask(message);
    let meanwhile: LocalRunResult | undefined;
    const failed = await run(ON_REQUEST, 'operator-a', {
      wrapTask: async (state, _input, invoke) => {
        if (state === 'GetSubmissionStatus' && !meanwhile) {
          // Mangrove's clock held back a minute: the task is still running, the report `submitting`.
          mangroveSkewMs = -60_000;
          meanwhile = await run(SCHEDULED, 'scheduled-meanwhile');
          mangroveSkewMs = 0;
        }
        return invoke();
      },
    });

    expect(quarterOutcomes(meanwhile as LocalRunResult)).toMatchObject([{ outcome: 'submitting-elsewhere', failed: false, report: { status: 'submitting' } }]);
    expect(alertsOf(failed)).toEqual([expect.stringContaining('SubmissionFailedError')]);
    expect(failed.alerts[0]?.message).toContain(message);
    expect(calls(SUBMIT)).toBe(1);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(await quarterRecord()).toMatchObject({ state: 'failed', error: message });

    const retried = await run(ON_REQUEST, 'operator-b');

    expect(quarterOutcomes(retried)).toMatchObject([{ outcome: 'submitted' }]);
    expect(calls(SUBMIT)).toBe(2);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
    expect(alertsOf(meanwhile as LocalRunResult, retried)).toEqual([]);
  });

  it('7. a dry run, then the real one: the dry run names what the real run adds to the report (a union); one submission\'s Mangrove calls by route', async () => {
    await generateQ1();
    // A person already put one of the quarter's Biochar Produced batches in the report: kept, never removed.
    const held = q1Batches(BIOCHAR).at(-1) as string;
    await setReportBatches(Q1_REPORT, [held]);
    const patchesBefore = calls(PATCH);
    const dryRun = await run({ ...ON_REQUEST, dryRun: true }, 'dry-run');

    expect(dryRun.status).toBe('SUCCEEDED');
    expect(quarterOutcomes(dryRun)).toMatchObject([
      { outcome: 'dry-run', failed: false, report: { id: Q1_REPORT, status: 'draft' }, batches: { inQuarter: 3, held: 1, added: 3, heldIds: [held] } },
    ]);
    const wouldAdd = (quarterOutcomes(dryRun)[0]?.batches as { addedIds: string[] }).addedIds;
    expect([...wouldAdd].sort()).toEqual(q1Batches());
    expect(calls(PATCH)).toBe(patchesBefore);
    expect(calls(SUBMIT)).toBe(0);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(batchIdsOf(q1Report())).toEqual([held]);
    expect(await quarterRecord()).toBeNull();
    expect(dryRun.alerts).toEqual([]);

    let real: LocalRunResult | undefined;
    const made = await callsDuring(async () => (real = await run(ON_REQUEST, 'real')));

    expect(quarterOutcomes(real as LocalRunResult)).toMatchObject([{ outcome: 'submitted', batches: { held: 1, added: 3, addedIds: wouldAdd } }]);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(batchIdsOf(q1Report())).toEqual([...q1Batches(), held].sort());
    // The minimum is four: find the report, PATCH, POST, one task read. The fifth resolves the
    // report's ledgers by name (GET /ledgers) to read their months' records.
    // The report is read again once the quarter is claimed: the union is of what it holds then.
    expect(made).toEqual({ 'GET /ledgers': 1, 'GET /reports': 1, 'GET /reports/:id': 1, 'PATCH /reports/:id': 1, 'POST /reports/:id/submit': 1, 'GET /async_tasks/:id': 1 });
  });
});

/** Retry-After 5 s is past the harness client's 2 s budget: one 429 is a RateLimitedError out of the step (nothing processed). */
const TOO_MANY = { kind: 'status', status: 429, retryAfterSeconds: 5 } as const;
const RATE_LIMITED_OUT = 1;

describe('report submission drills found by review (each failed before its fix)', () => {
  beforeAll(() => void workflowDefinition());

  it('8. submission on, a window that ends no quarter: the stage is not entered, the run succeeds', async () => {
    const result = await run({ month: '2025-01', ledgers: ['Net Carbon Removal'], submitReports: true, report: PATTERN }, 'january');
    expect(result.status).toBe('SUCCEEDED');
    expect(reportCalls()).toBe(0);
  });

  it('9. a person adds a batch to the draft report while the run prepares it: the union is of the report as it is once the quarter is claimed', async () => {
    await generateQ1();
    const personal = q1Batches(BIOCHAR).at(-1) as string;
    const records = currentRecords();
    // The claim is the DynamoDB write between the report's GET and the PATCH: the person edits then.
    const racing = new Proxy(records, {
      get(target, property, receiver) {
        if (property !== 'quarters') return Reflect.get(target, property, receiver);
        return async () => {
          const quarters = await target.quarters();
          const move = quarters.move.bind(quarters);
          quarters.move = async (transition, ...rest) => {
            if (transition === 'claim') await setReportBatches(Q1_REPORT, [personal]);
            return move(transition, ...rest);
          };
          return quarters;
        };
      },
    });
    const result = await run(ON_REQUEST, 'operator', { records: racing });
    expect(batchIdsOf(q1Report())).toContain(personal);
  });

  it('10. SubmitReport freed the quarter on a 429 and another run submitted before the retry: the retry claims again, finds it taken and sends nothing', async () => {
    await generateQ1();
    sim.faults.inject(SUBMIT, TOO_MANY, RATE_LIMITED_OUT);
    let meanwhile: LocalRunResult | undefined;
    const first = await run(ON_REQUEST, 'operator-a', {
      wrapTask: async (state, _input, invoke) => {
        try {
          return await invoke();
        } catch (error) {
          if (state === 'SubmitReport' && !meanwhile) {
            // Between the failed attempt and Step Functions' retry (30 s in AWS): the record says `failed`.
            expect(await quarterRecord()).toMatchObject({ state: 'failed' });
            meanwhile = await run(SCHEDULED, 'scheduled-meanwhile');
          }
          throw error;
        }
      },
    });
    expect(quarterOutcomes(meanwhile as LocalRunResult)).toMatchObject([{ outcome: 'submitted' }]);
    // One POST refused with 429 (nothing processed), then one POST per run that reached Mangrove.
    const processedPosts = calls(SUBMIT) - RATE_LIMITED_OUT;
    expect(processedPosts).toBe(1);
    // The retried step claimed again and found the quarter submitted: it sent nothing and says so.
    expect(alertsOf(first)).toEqual([expect.stringContaining('RecordConflictError')]);
    expect(first.alerts[0]?.message).toContain('another run has submitted the quarter, so this run sent nothing');
    expect(await quarterRecord()).toMatchObject({ state: 'submitted' });
  });

  it('11. the retried POST (after a 429) gets no answer: the quarter is in doubt, and a scheduled run does not POST again', async () => {
    sim.faults.inject(SUBMIT, TOO_MANY, RATE_LIMITED_OUT);
    sim.faults.inject(SUBMIT, { kind: 'reset' });
    const lost = await run(GENERATE_AND_SUBMIT, 'lost', pollsPastTheDeadline());
    expect(alertsOf(lost)).toEqual([expect.stringContaining('SubmissionOutcomeUnknownError')]);
    const record = await quarterRecord();
    const postsBefore = calls(SUBMIT);
    const scheduled = await run(SCHEDULED, 'scheduled');
    // What drill 4b promises for a POST in doubt:
    expect(record).toMatchObject({ state: 'outcome-unknown' });
    expect(quarterOutcomes(scheduled)).toMatchObject([{ outcome: 'in-doubt' }]);
    expect(calls(SUBMIT)).toBe(postsBefore);
  });

  it('14. the poll fails for good after the task failed: the claim lapses only past any run\u2019s wait; then a scheduled run reports it in doubt, the operator\u2019s run submits once', async () => {
    await generateQ1();
    const first = await run(ON_REQUEST, 'operator-a', {
      wrapTask: async (state, _input, invoke) => {
        if (state === 'SubmitReport') {
          sim.faults.failNextTask('Registry unavailable');
          sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 503 }, 1000);
          sim.faults.inject('GET /reports/:id', { kind: 'status', status: 503 }, 1000);
        }
        return invoke();
      },
    });
    sim.faults.clear();
    expect(first.status).toBe('FAILED');
    expect(alertsOf(first)).toHaveLength(1);
    expect(q1Report()).toMatchObject({ status: 'draft' });
    expect(await quarterRecord()).toMatchObject({ state: 'submitting', owner: 'operator-a#2025-Q1' });

    // Within any run's wait the holder may be alive: another run leaves it alone.
    const soon = await run(ON_REQUEST, 'operator-b');
    expect(quarterOutcomes(soon)).toMatchObject([{ outcome: 'submitting-elsewhere' }]);
    // Past it (2 h wait + 1 h): a scheduled run says so without an alert; the operator's run takes it over.
    const later = { now: () => Date.now() + 4 * 3_600_000 };
    const scheduled = await run(SCHEDULED, 'scheduled', later);
    expect(quarterOutcomes(scheduled)).toMatchObject([{ outcome: 'in-doubt', failed: false }]);
    expect(alertsOf(scheduled)).toEqual([]);
    const operator = await run(ON_REQUEST, 'operator-c', later);
    expect(quarterOutcomes(operator)).toMatchObject([{ outcome: 'submitted' }]);
    expect(q1Report()).toMatchObject({ status: 'complete' });
    expect(calls(SUBMIT)).toBe(2);
  });

  it('12. PrepareSubmission killed after its PATCH and retried, then a 422: the batches of both attempts are taken out again', async () => {
    sim.reset(seedWithStrayBatch());
    let killed = false;
    const refused = await run(GENERATE_AND_SUBMIT, 'refused', {
      wrapTask: async (state, _input, invoke) => {
        const output = await invoke();
        if (state === 'PrepareSubmission' && !killed) {
          killed = true;
          throw lambdaKilled();
        }
        return output;
      },
    });
    expect(refused.status).toBe('FAILED');
    expect(refused.alerts[0]?.message).toContain('taken out again, so the report is as it was');
    expect(batchIdsOf(q1Report())).toEqual([STRAY_BATCH]);
  });

  it('13. the POST lost, then the report shows a status that is not a submission: never recorded submitted; the deadline alerts, naming it', async () => {
    sim.faults.inject(SUBMIT, { kind: 'reset' });
    const result = await run(GENERATE_AND_SUBMIT, 'lost-then-rejected', pollsPastTheDeadline(() => sim.editReport(Q1_REPORT, { status: 'rejected' })));
    expect(result.status).toBe('FAILED');
    expect(alertsOf(result)).toEqual([expect.stringContaining('SubmissionOutcomeUnknownError')]);
    expect(result.alerts[0]?.message).toContain('the submission was still rejected at the deadline');
    expect(await quarterRecord()).toMatchObject({ state: 'outcome-unknown' });
  });
});
