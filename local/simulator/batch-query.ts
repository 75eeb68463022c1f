import { listItems, type ListFields } from './list-query.js';
import type { ApiResponse } from './responses.js';
import type { Batch } from './state.js';

type BatchField = 'id' | 'start_time' | 'end_time' | 'created_at' | 'updated_at' | 'tracking_id';

// The sort and filter fields Mangrove documents for batches; `friendly_id` is the `bat_…` id.
const BATCH_FIELDS: ListFields<Batch> = {
  sort: ['id', 'start_time', 'end_time', 'created_at', 'updated_at', 'tracking_id', 'friendly_id'],
  filter: ['id', 'state', 'tracking_id', 'friendly_id'],
  value: (batch, field) => (field === 'friendly_id' ? batch.id : batch[field as BatchField | 'state']),
};

/** `GET /ledgers/{id}/batches`. */
export function listBatches(batches: readonly Batch[], query: URLSearchParams): ApiResponse {
  return listItems(batches, query, BATCH_FIELDS);
}
