/**
 * Ledger-month records in every state, written the way runs write them (claims, then evidence),
 * into a real state directory (dynalite on disk) with a fixed clock, for `status` and `resolve`.
 */
import type { LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';
import { openStateRecords } from '../../cli/state-dir.js';
import { DEMO_LEDGERS } from '../../local/simulator/index.js';

/** The operator commands' clock: 23 Nov 2026, past October's generate-by day (10). */
export const NOW = Date.parse('2026-11-23T10:00:00.000Z');
export const WRITTEN = Date.parse('2026-11-02T06:00:00.000Z');
export const NET = DEMO_LEDGERS.netCarbonRemoval;
export const BIOCHAR = DEMO_LEDGERS.biocharProduced;

/** Opens `dir`'s folder for `url`, lets `write` fill it, closes it again. */
export async function withStateRecords(dir: string, url: string, write: (records: LedgerMonthRecords) => Promise<void>): Promise<void> {
  const opened = await openStateRecords(dir, url, { flag: '--state-dir', command: 'test', fallback: false, now: () => WRITTEN });
  try {
    await write(opened.records);
  } finally {
    await opened.close();
  }
}

/** May to October 2026 of Net Carbon Removal, and three months of Biochar Produced, one state each. */
export async function everyState(records: LedgerMonthRecords): Promise<void> {
  const net = (month: string) => ({ ledgerId: NET, month });
  await records.move('batchesFound', net('2026-05'), 'run-1', { batchIds: ['bat_may'], total: { value: 61.12, unit: 't' } });
  await records.move('resolve', net('2026-06'), 'operator:alice', { decision: 'generated', by: 'arn:aws:sts::123456789012:assumed-role/Ops/alice' });
  await records.claimAll([net('2026-07')], 'run-2');
  await records.move('taskFailed', net('2026-07'), 'run-2', { taskId: 4, error: 'Missing Transport Distance for Jul 2026' });
  await records.claimAll([net('2026-08')], 'run-3');
  await records.move('outcomeUnknown', net('2026-08'), 'run-3', { taskId: 5 });
  // Older than the previous month and still no data: overdue, alerted or not.
  await records.move('noData', net('2026-09'), 'run-4');
  await records.move('overdue', net('2026-10'), 'run-5');
  const biochar = (month: string) => ({ ledgerId: BIOCHAR, month });
  await records.claimAll([biochar('2026-09')], 'manual-x#0');
  await records.claimAll([biochar('2026-10')], 'scheduled-y#1');
  await records.move('started', biochar('2026-10'), 'scheduled-y#1', { taskId: 6 });
  await records.move('noData', biochar('2026-08'), 'run-6');
}
