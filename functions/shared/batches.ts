/** Reading a ledger's batches newest first and stopping as soon as the rest cannot matter. */
import type { Batch } from '../mangrove/schemas.js';
import type { Window } from './run-plan.js';

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

export interface BatchSummary {
  id: string;
  trackingId: string | null;
  startTime: string;
  endTime: string;
  value: number | null;
  unit: string | null;
}

export function summarizeBatch(batch: Batch): BatchSummary {
  return {
    id: batch.id,
    trackingId: batch.tracking_id,
    startTime: batch.start_time,
    endTime: batch.end_time,
    value: batch.primary_output?.value ?? null,
    unit: batch.primary_output?.unit ?? null,
  };
}
