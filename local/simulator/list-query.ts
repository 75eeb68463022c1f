import { paginate, type FilterEcho } from './pagination.js';
import { messageError, type ApiResponse } from './responses.js';

/** The sort and filter fields Mangrove documents for one list, and how to read a field of an item. */
export interface ListFields<Item> {
  sort: readonly string[];
  filter: readonly string[];
  value(item: Item, field: string): string;
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A list endpoint: filter (`filter[field][eq]`), sort (default `created_at` then `id`, ascending), paginate. */
export function listItems<Item>(items: readonly Item[], query: URLSearchParams, fields: ListFields<Item>): ApiResponse {
  const filters: { field: string; value: string }[] = [];
  const filterEcho: FilterEcho[] = [];
  for (const [key, value] of query) {
    if (!key.startsWith('filter')) continue;
    const [, field = '', operator = ''] = /^filter\[([^\]]*)\]\[([^\]]*)\]$/.exec(key) ?? [];
    if (!fields.filter.includes(field)) return messageError(400, `Unknown filter "${key}": filter on ${fields.filter.join(', ')}`);
    if (operator !== 'eq') return messageError(400, `Unknown filter operator "${operator}" in "${key}": only eq is supported`);
    filters.push({ field, value });
    filterEcho.push({ field, operator, value });
  }

  const sortTerms = (query.get('sort') ?? '').split(',').filter((term) => term !== '');
  const sortKeys: { field: string; direction: 1 | -1 }[] = [];
  for (const term of sortTerms) {
    const field = term.replace(/^-/, '');
    if (!fields.sort.includes(field)) return messageError(400, `Unknown sort field "${field}": sort by ${fields.sort.join(', ')}`);
    sortKeys.push({ field, direction: term.startsWith('-') ? -1 : 1 });
  }
  // The default order also breaks ties of any requested one, so pages never overlap.
  sortKeys.push({ field: 'created_at', direction: 1 }, { field: 'id', direction: 1 });

  const selected = items
    .filter((item) => filters.every(({ field, value }) => fields.value(item, field) === value))
    .sort((a, b) => {
      for (const { field, direction } of sortKeys) {
        const order = compareStrings(fields.value(a, field), fields.value(b, field));
        if (order !== 0) return order * direction;
      }
      return 0;
    });
  return paginate(selected, query, sortTerms, filterEcho);
}
