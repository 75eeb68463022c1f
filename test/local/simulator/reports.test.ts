import { describe, expect, it } from 'vitest';
import { DEMO_READONLY_TOKEN, DEMO_REPORTS, DEMO_TOKEN, demoSeed, type Simulator, type SimulatorSeed } from '../../../local/simulator/index.js';
import { useSimulator } from '../../support/simulator.js';

const T0 = Date.parse('2025-04-01T12:00:00.000Z');
const Q1 = DEMO_REPORTS.q1of2025;
const Q4 = DEMO_REPORTS.q4of2024;
const DEC_2024 = 'bat_hist2024m12x';
const NOT_SUBMITTABLE = 'Report does not meet submission requirements';

let clock = T0;
let sim: Simulator;

useSimulator({ now: () => clock, taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 } }, { onStart: (started) => (sim = started), beforeReset: () => (clock = T0) });

// Response bodies are asserted field by field; typing each shape here would only restate the contract.
type Json = any;

async function call(method: string, path: string, body?: unknown, token = DEMO_TOKEN): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const patch = (id: string, report: unknown) => call('PATCH', `/reports/${id}`, { report });
const submit = (id: string) => call('POST', `/reports/${id}/submit`);
const statusOf = async (id: string) => (await call('GET', `/reports/${id}`)).body.status;
const validation = (...messages: string[]) => ({ status: 'error', statusCode: 422, errors: messages.map((message) => ({ message })) });

/** The demo seed with a draft Q4 2024 report that holds its quarter's batches: submittable. */
function draftQ4Seed(): SimulatorSeed {
  const seed = demoSeed();
  seed.reports![0]!.status = 'draft';
  return seed;
}

describe('reading reports', () => {
  it('lists them in the envelope, filtered by status and project, sorted', async () => {
    const all = await call('GET', '/reports');
    expect(all.body.data.map((report: Json) => [report.id, report.status])).toEqual([[Q4, 'complete'], [Q1, 'draft']]);
    expect(all.body.info).toMatchObject({ total_items: 2, next_page: null });
    expect((await call('GET', '/reports?filter[status][eq]=draft')).body.data.map((report: Json) => report.id)).toEqual([Q1]);
    expect((await call('GET', '/reports?filter[project_id][eq]=123')).body.data).toHaveLength(2);
    expect((await call('GET', '/reports?filter[project_id][eq]=7')).body.data).toEqual([]);
    expect((await call('GET', '/reports?sort=-created_at')).body.data.map((report: Json) => report.id)).toEqual([Q1, Q4]);
    expect((await call('GET', '/reports?filter[ledger_id][eq]=x')).status).toBe(400);
  });

  it('reads one, bare, with one inclusion per batch', async () => {
    const { status, body } = await call('GET', `/reports/${Q4}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      id: Q4,
      name: 'Q4 2024 Carbon Report',
      report_type: 'quarterly',
      status: 'complete',
      project_id: 123,
      created_at: '2024-10-01T09:00:00.000Z',
      updated_at: '2025-01-10T15:20:00.000Z',
      inclusions: expect.any(Array),
      allocation: null,
    });
    expect(body.inclusions[2]).toEqual({
      batch_id: DEC_2024,
      tracking_id: 'Dec-2024-001',
      start_time: '2024-12-01T00:00:00.000Z',
      end_time: '2024-12-31T23:59:59.000Z',
      amount: 53.862,
      unit: 't',
    });
  });
});

describe('PATCH /reports/:id', () => {
  it('replaces the batch set of a draft (duplicates once) and renames it', async () => {
    await patch(Q1, { batch_ids: ['bat_hist2024m10x', 'bat_hist2024m11x'] });
    const { status, body } = await patch(Q1, { name: 'Q1 2025 (final)', batch_ids: [DEC_2024, DEC_2024] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'Q1 2025 (final)', status: 'draft', updated_at: new Date(T0).toISOString() });
    expect(body.inclusions.map((inclusion: Json) => inclusion.batch_id)).toEqual([DEC_2024]);
  });

  it('refuses a report that is not draft with the validation body, changing nothing', async () => {
    const reply = await patch(Q4, { batch_ids: [] });
    expect(reply).toEqual({ status: 422, body: validation('Report is complete: only draft reports can be updated') });
    expect((await call('GET', `/reports/${Q4}`)).body.inclusions).toHaveLength(3);
  });

  it('validates the body: the report key, field types, batch ids', async () => {
    expect(await call('PATCH', `/reports/${Q1}`, { batch_ids: [] })).toMatchObject({ status: 400, body: { message: /report/ } });
    expect(await patch(Q1, { batch_ids: 'bat_x' })).toEqual({ status: 422, body: validation('report.batch_ids must be an array of batch ids') });
    expect(await patch(Q1, { batch_ids: ['bat_nope'] })).toEqual({ status: 422, body: validation('report.batch_ids contains unknown batches: bat_nope') });
  });

  it('needs a read-write token, as submit does', async () => {
    expect((await call('PATCH', `/reports/${Q1}`, { report: { batch_ids: [] } }, DEMO_READONLY_TOKEN)).status).toBe(403);
    expect((await call('POST', `/reports/${Q1}/submit`, undefined, DEMO_READONLY_TOKEN)).status).toBe(403);
  });
});

describe('POST /reports/:id/submit', () => {
  it('refuses a report without batches with the documented message first, then the reason', async () => {
    expect(await submit(Q1)).toEqual({ status: 422, body: validation(NOT_SUBMITTABLE, 'Report includes no batches') });
    expect(await statusOf(Q1)).toBe('draft');
    expect(sim.tasks()).toEqual([]);
  });

  it('refuses a batch outside the report\u2019s quarter, naming it', async () => {
    await patch(Q1, { batch_ids: [DEC_2024] });
    expect(await submit(Q1)).toEqual({ status: 422, body: validation(NOT_SUBMITTABLE, `Batch ${DEC_2024} (Dec-2024-001) lies outside Q1 2025`) });
  });

  it('refuses a report that is not draft', async () => {
    expect(await submit(Q4)).toEqual({ status: 422, body: validation(NOT_SUBMITTABLE, 'Report is complete: only a draft report can be submitted') });
  });

  it('answers 202, runs a Reports::Submission task, and the report ends complete', async () => {
    sim.reset(draftQ4Seed());
    const { status, body } = await submit(Q4);
    expect(status).toBe(202);
    expect(body).toEqual({ id: Q4, status: 'submitting', async_task_id: 1 });
    expect(await statusOf(Q4)).toBe('submitting');
    // A second submit while the first runs is refused, and PATCH too.
    expect((await submit(Q4)).status).toBe(422);
    expect((await patch(Q4, { batch_ids: [] })).status).toBe(422);

    clock = T0 + 1_000 + 3 * 1_000;
    const task = (await call('GET', '/async_tasks/1')).body;
    expect(task).toMatchObject({ type: 'Reports::Submission', state: 'complete', args: { project_id: 123, report_id: Q4 } });
    expect(await statusOf(Q4)).toBe('complete');
  });

  it('a failed task puts the report back to draft; a stalled one leaves it submitting', async () => {
    sim.reset(draftQ4Seed());
    sim.faults.failNextTask('Registry rejected the report');
    await submit(Q4);
    clock = T0 + 60_000;
    expect((await call('GET', '/async_tasks/1')).body).toMatchObject({ state: 'failed', error_message: 'Registry rejected the report' });
    expect(await statusOf(Q4)).toBe('draft');

    sim.faults.stallNextTask();
    await submit(Q4);
    clock = T0 + 3_600_000;
    expect(await statusOf(Q4)).toBe('submitting');
  });

  it('takes faults like every route', async () => {
    sim.reset(draftQ4Seed());
    sim.faults.inject('POST /reports/:id/submit', { kind: 'status', status: 503 });
    expect((await submit(Q4)).status).toBe(503);
    expect(await statusOf(Q4)).toBe('draft');
    expect(sim.callCounts()).toMatchObject({ 'POST /reports/:id/submit': 1, 'GET /reports/:id': 1 });
  });
});

describe('admin hooks and seeds', () => {
  it('renames, moves and deletes a report, in process and over HTTP', async () => {
    sim.editReport(Q1, { name: 'Q1 2025 renamed' });
    expect((await call('GET', `/reports/${Q1}`)).body.name).toBe('Q1 2025 renamed');
    const admin = (method: string, body?: unknown) =>
      fetch(`${sim.origin}/__admin/reports/${Q1}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await admin('PATCH', { status: 'submitting' })).status).toBe(204);
    expect(await statusOf(Q1)).toBe('submitting');
    expect((await admin('DELETE')).status).toBe(204);
    expect((await call('GET', `/reports/${Q1}`)).status).toBe(404);
    expect((await admin('DELETE')).status).toBe(404);
    expect(() => sim.editReport('rpt_nope', null)).toThrow(/rpt_nope/);
    expect(sim.reports()).toHaveLength(1);
  });

  it('refuses a seed report with an unknown batch or a bad quarter, naming the field', () => {
    const seed = demoSeed();
    seed.reports![1]!.batchIds = ['bat_nope'];
    seed.reports![0]!.quarter = '2024-Q5';
    expect(() => sim.reset(seed)).toThrow(/reports\[0\]\.quarter: must be a quarter such as "2025-Q1"\n\s*reports\[1\]\.batchIds\[0\]: unknown batch "bat_nope"/);
  });
});
