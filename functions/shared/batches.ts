/** Reading a ledger's batches newest first and stopping as soon as the rest cannot matter. */
import type { MangroveClient } from '../mangrove/client.js';
import type { Batch } from '../mangrove/schemas.js';
import type { Window } from './run-plan.js';
import type { BatchSummary } from './state-contract.js';

/** Mangrove's clock and the Lambda's may differ: a batch created this long before our reference still counts. */
export const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

/**
 * Batch states that mean the batch is gone or never came to be. The contract names `complete` and
 * `processing` and says others exist: an unknown state counts as existing, so a month is never
 * generated twice on a guess; only these let it be generated again.
 */
const NOT_EXISTING_STATES = new Set(['voided', 'void', 'failed', 'cancelled', 'canceled', 'deleted', 'rejected', 'error']);

export function batchExists(batch: Batch): boolean {
  return !NOT_EXISTING_STATES.has((batch.state ?? '').toLowerCase());
}

export function overlapsWindow(batch: Batch, window: Window): boolean {
  return Date.parse(batch.start_time) < Date.parse(window.endTime) && Date.parse(batch.end_time) > Date.parse(window.startTime);
}

export function insideWindow(batch: Batch, window: Window): boolean {
  return Date.parse(batch.start_time) >= Date.parse(window.startTime) && Date.parse(batch.end_time) <= Date.parse(window.endTime);
}

/** Keeps the batches `keep` accepts until `stop` says the (sorted) rest are all out of reach. */
export async function collectBatches(
  batches: AsyncIterable<Batch>,
  keep: (batch: Batch) => boolean,
  stop: (batch: Batch) => boolean,
): Promise<Batch[]> {
  const kept: Batch[] = [];
  for await (const batch of batches) {
    if (stop(batch)) break;
    if (keep(batch)) kept.push(batch);
  }
  return kept;
}

/** Batches inside the window created at or after `sinceMs`, paging newest first only as far as needed. */
export function newBatchesInWindow(client: MangroveClient, ledgerId: string, window: Window, sinceMs: number): Promise<Batch[]> {
  return collectBatches(
    client.listLedgerBatches(ledgerId, { sort: '-created_at' }),
    (batch) => insideWindow(batch, window) && batchExists(batch),
    (batch) => Date.parse(batch.created_at) < sinceMs,
  );
}

export function summarizeBatch(batch: Batch): BatchSummary {
  return {
    id: batch.id,
    trackingId: batch.tracking_id ?? null,
    startTime: batch.start_time,
    endTime: batch.end_time,
    value: batch.primary_output?.value ?? null,
    unit: batch.primary_output?.unit ?? null,
  };
}
