/** The quarter's submission record, against a real DynamoDB implementation (dynalite on loopback). */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { transitionTable } from '../support/transition-table.js';
import { SUBMISSION_TRANSITIONS, SubmissionConflictError, type QuarterSubmissions } from '../../functions/shared/quarter-submission-record.js';
import { startLocalRecordStore, type LocalRecordStore } from '../../local/record-store/local-record-store.js';

let store: LocalRecordStore;
let quarters: QuarterSubmissions;
const clock = Date.parse('2025-04-03T06:00:00.000Z');
const Q1 = '2025-Q1';

beforeAll(async () => {
  store = await startLocalRecordStore({ now: () => clock });
  quarters = await store.records.quarters();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await store.clear();
});

async function refusal(promise: Promise<unknown>): Promise<SubmissionConflictError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SubmissionConflictError);
  return error as SubmissionConflictError;
}

describe('the quarter record', () => {
  it('is claimed by one run: a second run is refused and sees the holder; the holder may claim again (a retried step)', async () => {
    await quarters.move('claim', Q1, 'run-a#2025-Q1', { reportId: 'rpt_a', reportName: 'Q1 2025 Carbon Report' });
    const conflict = await refusal(quarters.move('claim', Q1, 'run-b#2025-Q1'));
    expect(conflict.record).toMatchObject({ quarter: Q1, state: 'submitting', owner: 'run-a#2025-Q1', reportId: 'rpt_a' });
    await quarters.move('claim', Q1, 'run-a#2025-Q1');
    expect(await quarters.get(Q1)).toMatchObject({ state: 'submitting', owner: 'run-a#2025-Q1', reportName: 'Q1 2025 Carbon Report' });
  });

  it('records the task, then submitted with when and why; a submitted quarter is never claimed again', async () => {
    await quarters.move('claim', Q1, 'run-a#2025-Q1');
    await quarters.move('started', Q1, 'run-a#2025-Q1', { taskId: 7 });
    await quarters.move('submitted', Q1, 'run-a#2025-Q1', { submittedAt: '2025-04-03T06:01:00.000Z', evidence: 'task 7 complete' });
    const record = await quarters.get(Q1);
    expect(record).toEqual({ quarter: Q1, state: 'submitted', taskId: 7, submittedAt: '2025-04-03T06:01:00.000Z', evidence: 'task 7 complete', updatedAt: '2025-04-03T06:00:00.000Z' });
    for (const transition of ['claim', 'claimInDoubt'] as const) await refusal(quarters.move(transition, Q1, 'run-b#2025-Q1'));
  });

  it('frees a quarter that sent nothing, with the error; the next claim clears it', async () => {
    await quarters.move('claim', Q1, 'run-a#2025-Q1');
    await quarters.move('failed', Q1, 'run-a#2025-Q1', { error: 'ReportNotSubmittableError: Report includes no batches' });
    expect(await quarters.get(Q1)).toMatchObject({ state: 'failed', error: 'ReportNotSubmittableError: Report includes no batches' });
    await quarters.move('claim', Q1, 'run-b#2025-Q1');
    const record = await quarters.get(Q1);
    expect(record).toMatchObject({ state: 'submitting', owner: 'run-b#2025-Q1' });
    expect(record?.error).toBeUndefined();
  });

  it('keeps a doubt from every claim but an operator\u2019s; evidence of submission settles it for anyone', async () => {
    await quarters.move('claim', Q1, 'run-a#2025-Q1');
    await quarters.move('outcomeUnknown', Q1, 'run-a#2025-Q1');
    await refusal(quarters.move('claim', Q1, 'run-b#2025-Q1'));
    await quarters.move('claimInDoubt', Q1, 'operator#2025-Q1');
    expect(await quarters.get(Q1)).toMatchObject({ state: 'submitting', owner: 'operator#2025-Q1' });
    // The report found past draft shows it submitted, whoever holds the quarter.
    await quarters.move('submitted', Q1, 'run-c#2025-Q1', { evidence: 'report found complete' });
    expect(await quarters.get(Q1)).toMatchObject({ state: 'submitted', evidence: 'report found complete' });
  });

  it('moves only from where the table says: a run cannot fail or doubt a quarter another run holds', async () => {
    await quarters.move('claim', Q1, 'run-a#2025-Q1');
    for (const transition of ['failed', 'outcomeUnknown', 'started'] as const) await refusal(quarters.move(transition, Q1, 'run-b#2025-Q1'));
    expect(await quarters.get(Q1)).toMatchObject({ state: 'submitting', owner: 'run-a#2025-Q1' });
  });
});

describe('the README', () => {
  it('shows the quarter transition table the records enforce', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(transitionTable(SUBMISSION_TRANSITIONS));
  });
});
