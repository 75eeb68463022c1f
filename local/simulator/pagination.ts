import { messageError, ok, type ApiResponse } from './responses.js';

const DEFAULT_PAGE_SIZE = 10;
// Mangrove documents no maximum; 100 is a common Rails (Pagy) ceiling, and a larger request is capped, not refused.
const MAX_PAGE_SIZE = 100;

export interface FilterEcho {
  field: string;
  operator: string;
  value: string;
}

function positiveInteger(query: URLSearchParams, name: string, fallback: number): number | string {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^[1-9]\d*$/.test(raw) ? Number(raw) : `${name} must be a positive integer`;
}

/** The list envelope `{data, info}`; a page past the end is empty rather than an error. */
export function paginate(items: readonly unknown[], query: URLSearchParams, sort: string[], filter: FilterEcho[]): ApiResponse {
  const page = positiveInteger(query, 'page', 1);
  if (typeof page === 'string') return messageError(400, page);
  const requestedSize = positiveInteger(query, 'page_size', DEFAULT_PAGE_SIZE);
  if (typeof requestedSize === 'string') return messageError(400, requestedSize);
  const pageSize = Math.min(requestedSize, MAX_PAGE_SIZE);

  const totalPages = Math.max(1, Math.ceil(items.length / pageSize));
  const data = items.slice((page - 1) * pageSize, page * pageSize);
  return ok({
    data,
    info: {
      items: data.length,
      page_size: pageSize,
      total_items: items.length,
      current_page: page,
      next_page: page < totalPages ? page + 1 : null,
      previous_page: page > 1 ? page - 1 : null,
      total_pages: totalPages,
      sort,
      filter,
    },
  });
}
