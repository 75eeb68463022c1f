import { describe, expect, it } from 'vitest';
import type { MangroveClientOptions } from '../../../functions/mangrove/client.js';
import {
  GenerationOutcomeUnknownError,
  MangroveNotFoundError,
  MangroveResponseError,
  MangroveValidationError,
  ReportNotSubmittableError,
  type MangroveError,
} from '../../../functions/mangrove/errors.js';
import { DEMO_REPORTS, demoSeed, type RouteKey, type Simulator } from '../../../local/simulator/index.js';
import { clientHarness, rejection } from '../../support/mangrove-client.js';
import { useSimulator } from '../../support/simulator.js';

const TOKEN = 'tok_reports_SECRET_51c2';
const Q4_BATCHES = ['bat_hist2024m10x', 'bat_hist2024m11x', 'bat_hist2024m12x'];
const DOCUMENTED_422 = 'Report does not meet submission requirements';

let sim: Simulator;
let clock: number;

useSimulator(
  { tokens: { [TOKEN]: 'read-write' }, taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 }, now: () => clock },
  { onStart: (started) => (sim = started), beforeReset: () => (clock = Date.parse('2025-04-02T06:00:00.000Z')) },
);

const harness = (overrides: Partial<MangroveClientOptions> = {}) =>
  clientHarness(sim.url, TOKEN, { now: () => clock, advance: (ms) => (clock += ms) }, overrides);

async function expectError<E extends MangroveError>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await rejection(promise, type);
  expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
  return error;
}

const calls = (route: RouteKey) => sim.callCounts()[route] ?? 0;

/** The submitted Q4 2024 report, put back to draft: its three batches lie in its quarter, so it can be submitted. */
function submittableReport(): string {
  sim.editReport(DEMO_REPORTS.q4of2024, { status: 'draft' });
  return DEMO_REPORTS.q4of2024;
}

describe('reading reports', () => {
  it('lists every report, and filters by status and project', async () => {
    const { client } = harness();
    expect((await client.listReports()).map((report) => report.id)).toEqual([DEMO_REPORTS.q4of2024, DEMO_REPORTS.q1of2025]);
    const drafts = await client.listReports({ status: 'draft' });
    expect(drafts).toMatchObject([{ id: DEMO_REPORTS.q1of2025, name: 'Q1 2025 Carbon Report', report_type: 'quarterly', project_id: 123, inclusions: [] }]);
    expect(await client.listReports({ projectId: 999 })).toEqual([]);
    expect(sim.requests.at(-1)?.path).toContain('filter%5Bproject_id%5D%5Beq%5D=999');
  });

  it('pages through every report until next_page is null', async () => {
    const seed = demoSeed();
    seed.reports = Array.from({ length: 205 }, (_, index) => ({
      id: `rpt_paged${String(index).padStart(3, '0')}`,
      name: `Report ${index}`,
      created_at: '2025-01-02T09:00:00.000Z',
      updated_at: '2025-01-02T09:00:00.000Z',
      quarter: '2025-Q1',
    }));
    sim.reset(seed);
    const { client } = harness();
    const reports = await client.listReports();
    expect(reports).toHaveLength(205);
    expect(new Set(reports.map((report) => report.id)).size).toBe(205);
    expect(calls('GET /reports')).toBe(3);
  });

  it('reads one report, bare; an unknown one is MangroveNotFoundError', async () => {
    const { client } = harness();
    const report = await client.getReport(DEMO_REPORTS.q4of2024);
    expect(report).toMatchObject({ id: DEMO_REPORTS.q4of2024, status: 'complete', allocation: null });
    expect(report.inclusions).toHaveLength(3);
    await expectError(client.getReport('rpt_doesnotexist'), MangroveNotFoundError);
  });

  it('is tolerant of a status it has never seen and of a missing allocation, not of missing inclusions', async () => {
    const { client } = harness();
    sim.editReport(DEMO_REPORTS.q1of2025, { status: 'in_review' });
    sim.faults.inject('GET /reports/:id', { kind: 'omit-field', field: 'allocation' });
    await expect(client.getReport(DEMO_REPORTS.q1of2025)).resolves.toMatchObject({ status: 'in_review' });
    sim.faults.inject('GET /reports/:id', { kind: 'omit-field', field: 'inclusions' });
    const error = await expectError(client.getReport(DEMO_REPORTS.q1of2025), MangroveResponseError);
    expect(error.field).toBe('inclusions');
  });
});

describe('updating a draft report', () => {
  it('sends the whole set of batch ids, which the report then holds', async () => {
    const { client } = harness();
    await client.updateReportBatches(DEMO_REPORTS.q1of2025, Q4_BATCHES);
    const report = await client.updateReportBatches(DEMO_REPORTS.q1of2025, [Q4_BATCHES[0]!]);
    expect(report.inclusions).toEqual([expect.objectContaining({ batch_id: Q4_BATCHES[0] })]);
  });

  it('is retried on a 503, as setting the same set twice changes nothing', async () => {
    const { client, sleeps } = harness();
    sim.faults.inject('PATCH /reports/:id', { kind: 'status', status: 503 });
    await expect(client.updateReportBatches(DEMO_REPORTS.q1of2025, Q4_BATCHES)).resolves.toMatchObject({ status: 'draft' });
    expect(calls('PATCH /reports/:id')).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  it('a report that is not draft is refused (4xx) with Mangrove\u2019s words, once', async () => {
    const { client } = harness();
    const error = await expectError(client.updateReportBatches(DEMO_REPORTS.q4of2024, []), MangroveValidationError);
    expect(error.status).toBe(422);
    expect(error.messages).toEqual(['Report is complete: only draft reports can be updated']);
    expect(calls('PATCH /reports/:id')).toBe(1);
  });
});

describe('submitting a report', () => {
  it('answers 202 with the task, which completes the report', async () => {
    const { client } = harness();
    const id = submittableReport();
    const submission = await client.submitReport(id);
    expect(submission).toEqual({ id, status: 'submitting', async_task_id: expect.any(Number) });
    expect((await client.getReport(id)).status).toBe('submitting');
    clock += 10_000;
    await expect(client.getAsyncTask(submission.async_task_id)).resolves.toMatchObject({ state: 'complete', type: 'Reports::Submission' });
    expect((await client.getReport(id)).status).toBe('complete');
  });

  it('a 422 is ReportNotSubmittableError carrying every message, and the report is left as it was', async () => {
    const { client } = harness();
    const error = await expectError(client.submitReport(DEMO_REPORTS.q1of2025), ReportNotSubmittableError);
    expect(error).not.toBeInstanceOf(MangroveValidationError);
    expect(error).toMatchObject({ status: 422, retryable: false, name: 'ReportNotSubmittableError' });
    expect(error.messages).toEqual([DOCUMENTED_422, 'Report includes no batches']);
    expect(error.toJSON()).toMatchObject({ messages: error.messages });
    expect(calls('POST /reports/:id/submit')).toBe(1);
    expect((await client.getReport(DEMO_REPORTS.q1of2025)).status).toBe('draft');
  });

  it('reads the documented 422 body exactly', async () => {
    const { client } = harness();
    const body = { status: 'error', statusCode: 422, errors: [{ message: DOCUMENTED_422 }] };
    sim.faults.inject('POST /reports/:id/submit', { kind: 'status', status: 422, body });
    const error = await expectError(client.submitReport(submittableReport()), ReportNotSubmittableError);
    expect(error.messages).toEqual([DOCUMENTED_422]);
  });

  it.each([
    ['a connection reset after sending', { kind: 'reset', afterProcessing: true }, {}],
    ['a timeout after the server took it', { kind: 'hang', afterProcessing: true }, { timeoutMs: 150 }],
  ] as const)('%s → GenerationOutcomeUnknownError, one POST, and the submission did happen', async (_case, fault, options) => {
    const { client, sleeps } = harness(options);
    const id = submittableReport();
    sim.faults.inject('POST /reports/:id/submit', fault);
    const error = await expectError(client.submitReport(id), GenerationOutcomeUnknownError);
    expect(error).toMatchObject({ status: null, retryable: false });
    expect(error.message).toMatch(/may have been processed/);
    expect(calls('POST /reports/:id/submit')).toBe(1);
    expect(sleeps).toEqual([]);
    expect((await client.getReport(id)).status).toBe('submitting');
  });

  it.each([500, 503])('HTTP %i → outcome unknown, never repeated', async (status) => {
    const { client, sleeps } = harness();
    sim.faults.inject('POST /reports/:id/submit', { kind: 'status', status });
    await expectError(client.submitReport(submittableReport()), GenerationOutcomeUnknownError);
    expect(calls('POST /reports/:id/submit')).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('an unreadable 202 → outcome unknown', async () => {
    const { client } = harness();
    sim.faults.inject('POST /reports/:id/submit', { kind: 'malformed-json' });
    const error = await expectError(client.submitReport(submittableReport()), GenerationOutcomeUnknownError);
    expect(error.message).toMatch(/accepted, but/);
  });

  it('a 429 is a refusal, so it is retried and submits once', async () => {
    const { client, sleeps } = harness();
    const id = submittableReport();
    sim.faults.inject('POST /reports/:id/submit', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    await expect(client.submitReport(id)).resolves.toMatchObject({ status: 'submitting' });
    expect(sleeps).toEqual([1_000]);
    expect(calls('POST /reports/:id/submit')).toBe(2);
    expect(sim.tasks()).toHaveLength(1);
  });
});
