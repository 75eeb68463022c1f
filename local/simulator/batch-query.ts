import { paginate, type FilterEcho } from './pagination.js';
import { messageError, type ApiResponse } from './responses.js';
import type { Batch } from './state.js';

// The sort and filter fields Mangrove documents for batches; `friendly_id` is the `bat_…` id.
const SORT_FIELDS = ['id', 'start_time', 'end_time', 'created_at', 'updated_at', 'tracking_id', 'friendly_id'] as const;
const FILTER_FIELDS = ['id', 'state', 'tracking_id', 'friendly_id'] as const;

type SortField = (typeof SORT_FIELDS)[number];
type FilterField = (typeof FILTER_FIELDS)[number];

const fieldValue = (batch: Batch, field: SortField | FilterField): string => (field === 'friendly_id' ? batch.id : batch[field]);

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/** `GET /ledgers/{id}/batches`: filter, sort (default `created_at` then `id`, ascending), paginate. */
export function listBatches(batches: readonly Batch[], query: URLSearchParams): ApiResponse {
  const filters: { field: FilterField; value: string }[] = [];
  const filterEcho: FilterEcho[] = [];
  for (const [key, value] of query) {
    if (!key.startsWith('filter')) continue;
    const [, field = '', operator = ''] = /^filter\[([^\]]*)\]\[([^\]]*)\]$/.exec(key) ?? [];
    if (!isOneOf(FILTER_FIELDS, field)) return messageError(400, `Unknown filter "${key}": filter on ${FILTER_FIELDS.join(', ')}`);
    if (operator !== 'eq') return messageError(400, `Unknown filter operator "${operator}" in "${key}": only eq is supported`);
    filters.push({ field, value });
    filterEcho.push({ field, operator, value });
  }

  const sortTerms = (query.get('sort') ?? '').split(',').filter((term) => term !== '');
  const sortKeys: { field: SortField; direction: 1 | -1 }[] = [];
  for (const term of sortTerms) {
    const field = term.replace(/^-/, '');
    if (!isOneOf(SORT_FIELDS, field)) return messageError(400, `Unknown sort field "${field}": sort by ${SORT_FIELDS.join(', ')}`);
    sortKeys.push({ field, direction: term.startsWith('-') ? -1 : 1 });
  }
  // The default order also breaks ties of any requested one, so pages never overlap.
  sortKeys.push({ field: 'created_at', direction: 1 }, { field: 'id', direction: 1 });

  const selected = batches
    .filter((batch) => filters.every(({ field, value }) => fieldValue(batch, field) === value))
    .sort((a, b) => {
      for (const { field, direction } of sortKeys) {
        const order = compareStrings(fieldValue(a, field), fieldValue(b, field));
        if (order !== 0) return order * direction;
      }
      return 0;
    });
  return paginate(selected, query, sortTerms, filterEcho);
}
