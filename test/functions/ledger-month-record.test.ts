/** The ledger-month record's semantics, against a real DynamoDB implementation (dynalite on loopback). */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { transitionTable } from '../support/transition-table.js';
import { RecordConflictError, TRANSITIONS, type LedgerMonth, type LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';
import { startLocalRecordStore, type LocalRecordStore } from '../../local/record-store/local-record-store.js';

let store: LocalRecordStore;
let records: LedgerMonthRecords;
let clock = Date.parse('2025-04-02T06:00:00.000Z');

const NCR_MARCH: LedgerMonth = { ledgerId: 'lgr_ncr', month: '2025-03' };
const GROSS_MARCH: LedgerMonth = { ledgerId: 'lgr_gross', month: '2025-03' };
const NCR_FEB: LedgerMonth = { ledgerId: 'lgr_ncr', month: '2025-02' };

beforeAll(async () => {
  store = await startLocalRecordStore({ now: () => clock });
  records = store.records;
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  // A fresh table per test: the semantics, not leftovers, decide each outcome.
  await store.clear();
});

describe('claims', () => {
  it('claims every month for every ledger, or none: a conflict rolls back what was taken, as it was', async () => {
    await records.moveAll('noData', [NCR_FEB], 'run-a#0');
    await records.claimAll([GROSS_MARCH], 'run-b#0');

    const result = await records.claimAll([NCR_FEB, NCR_MARCH, GROSS_MARCH], 'run-a#0');

    expect(result).toMatchObject({ won: false, conflict: { ledgerId: 'lgr_gross', state: 'claimed', owner: 'run-b#0' } });
    // lgr_gross sorts first, so nothing of run-a's was taken; and the earlier waiting record is intact.
    expect(await records.get(NCR_FEB)).toMatchObject({ state: 'waiting-for-data' });
    expect(await records.get(NCR_MARCH)).toBeNull();
  });

  it('puts back the items it took before the conflict', async () => {
    await records.moveAll('noData', [NCR_FEB], 'scheduler');
    await records.claimAll([NCR_MARCH], 'run-b#0');

    const result = await records.claimAll([GROSS_MARCH, NCR_FEB, NCR_MARCH], 'run-a#0');

    expect(result.won).toBe(false);
    expect(await records.get(GROSS_MARCH)).toBeNull();
    expect(await records.get(NCR_FEB)).toMatchObject({ state: 'waiting-for-data' });
    expect((await records.get(NCR_FEB))?.owner).toBeUndefined();
    expect(await records.get(NCR_MARCH)).toMatchObject({ state: 'claimed', owner: 'run-b#0' });
  });

  it('lets exactly one of two overlapping claims made at once win, and the loser holds nothing', async () => {
    const outcomes = await Promise.all([
      records.claimAll([NCR_FEB, NCR_MARCH], 'window-feb-mar#0'),
      records.claimAll([NCR_MARCH, GROSS_MARCH], 'month-mar#0'),
    ]);

    expect(outcomes.filter((outcome) => outcome.won)).toHaveLength(1);
    const winner = outcomes[0]?.won ? 'window-feb-mar#0' : 'month-mar#0';
    expect(await records.get(NCR_MARCH)).toMatchObject({ state: 'claimed', owner: winner });
    for (const key of [NCR_FEB, GROSS_MARCH]) {
      const record = await records.get(key);
      if (record) expect(record.owner).toBe(winner);
    }
  });

  it('lets a retried step re-claim its own months, and no one else', async () => {
    await records.claimAll([NCR_MARCH], 'run-a#0');
    expect(await records.claimAll([NCR_MARCH], 'run-a#0')).toEqual({ won: true });
    expect((await records.claimAll([NCR_MARCH], 'run-a#1')).won).toBe(false);
  });

  it('never hands a generated month to a claim, only to an explicit, recorded force', async () => {
    await records.claimAll([NCR_MARCH], 'run-a#0');
    await records.moveAll('taskComplete', [NCR_MARCH], 'run-a#0', { taskId: 42 });

    expect(await records.claimAll([NCR_MARCH], 'run-b#0')).toMatchObject({ won: false, conflict: { state: 'generated', taskId: 42 } });
    expect(await records.claimAll([NCR_MARCH], 'run-c#0', { force: true })).toEqual({ won: true });
    expect(await records.get(NCR_MARCH)).toMatchObject({ state: 'claimed', owner: 'run-c#0', forced: true });
  });
});

describe('evidence moves a record, nothing lapses', () => {
  it('frees months whose POST provably sent nothing, for the next run', async () => {
    await records.claimAll([NCR_MARCH], 'run-a#0');
    await records.moveAll('nothingSent', [NCR_MARCH], 'run-a#0', { error: 'RateLimitedError' });

    expect(await records.get(NCR_MARCH)).toMatchObject({ state: 'failed', error: 'RateLimitedError' });
    expect(await records.claimAll([NCR_MARCH], 'run-b#0')).toEqual({ won: true });
    expect((await records.get(NCR_MARCH))?.error).toBeUndefined();
  });

  it('keeps an unknown outcome until the ledger shows the batches or an operator decides', async () => {
    await records.claimAll([NCR_MARCH], 'run-a#0');
    await records.moveAll('outcomeUnknown', [NCR_MARCH], 'run-a#0');
    clock += 90 * 86_400_000;

    expect((await records.claimAll([NCR_MARCH], 'run-b#0')).won).toBe(false);
    await records.moveAll('resolve', [NCR_MARCH], 'operator', { decision: 'not-generated', by: 'arn:aws:iam::123456789012:user/ops' });
    expect(await records.get(NCR_MARCH)).toMatchObject({ state: 'overridden', decision: 'not-generated', by: 'arn:aws:iam::123456789012:user/ops' });
    expect(await records.claimAll([NCR_MARCH], 'run-b#0')).toEqual({ won: true });
  });

  it('makes a completed task generated for good: another run cannot move it back', async () => {
    await records.claimAll([NCR_MARCH, GROSS_MARCH], 'run-a#0');
    await records.moveAll('started', [NCR_MARCH, GROSS_MARCH], 'run-a#0', { taskId: 7 });
    await records.moveAll('taskComplete', [NCR_MARCH, GROSS_MARCH], 'run-a#0', { taskId: 7 });

    await expect(records.moveAll('nothingSent', [GROSS_MARCH], 'run-a#0')).rejects.toBeInstanceOf(RecordConflictError);
    await expect(records.moveAll('noData', [GROSS_MARCH], 'run-b#0')).rejects.toThrow(/noData: lgr_gross 2025-03 is generated/);
    expect(await records.get(GROSS_MARCH)).toMatchObject({ state: 'generated', taskId: 7 });
  });

  it('refuses a transition from a state it does not start from, naming both', async () => {
    const error = await records.moveAll('started', [NCR_MARCH], 'run-a#0').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecordConflictError);
    expect((error as Error).message).toBe('started: lgr_ncr 2025-03 is not recorded, which started cannot start from');
  });

  it('lists every transition with the states it starts from and why', () => {
    for (const [name, transition] of Object.entries(TRANSITIONS)) {
      expect(transition.from.length, name).toBeGreaterThan(0);
      expect(transition.when.length, name).toBeGreaterThan(10);
    }
  });
});

describe('the README', () => {
  it('shows the transition table the records enforce', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(transitionTable(TRANSITIONS));
  });
});
