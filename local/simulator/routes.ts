export const ROUTE_KEYS = [
  'GET /ledgers',
  'GET /ledgers/:id',
  'GET /ledgers/:id/required_inputs',
  'POST /ledgers/:id/generate_preview',
  'POST /ledgers/:id/batch_generations',
  'GET /async_tasks/:id',
  'GET /ledgers/:id/batches',
  'GET /reports',
  'GET /reports/:id',
  'PATCH /reports/:id',
  'POST /reports/:id/submit',
] as const;

export type RouteKey = (typeof ROUTE_KEYS)[number];

export interface RouteMatch {
  route: RouteKey;
  /** The `:id` segment, when the route has one. */
  id: string | null;
}

const patterns = ROUTE_KEYS.map((route) => {
  const [method, template] = route.split(' ') as [string, string];
  const source = template.replace(':id', '([^/]+)');
  return { route, method, regex: new RegExp(`^${source}/?$`) };
});

/** `path` is relative to the API base (`/ledgers/lgr_x`, not `/api/v1/ledgers/lgr_x`). */
export function matchRoute(method: string, path: string): RouteMatch | null {
  for (const pattern of patterns) {
    if (pattern.method !== method) continue;
    const match = pattern.regex.exec(path);
    if (match) return { route: pattern.route, id: match[1] === undefined ? null : decodeURIComponent(match[1]) };
  }
  return null;
}
