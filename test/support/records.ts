/** The ledger-month records for a test file: dynalite on loopback, a fresh table before each test. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';
import { startLocalRecordStore, type LocalRecordStore } from '../../local/record-store/local-record-store.js';

let store: LocalRecordStore | undefined;

export function useRecordStore(options: { now?: () => number } = {}): void {
  beforeAll(async () => {
    store = await startLocalRecordStore(options);
  });
  afterAll(async () => {
    await store?.close();
    store = undefined;
  });
  beforeEach(async () => {
    await store?.clear();
  });
}

/** The file's records, as every run of a test shares the one table in AWS. */
export function currentRecords(): LedgerMonthRecords {
  if (!store) throw new Error('no record store: call useRecordStore() in this test file');
  return store.records;
}
