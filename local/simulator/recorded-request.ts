import type { Fault } from './faults.js';
import type { RouteKey } from './routes.js';

/** One request to the API (admin requests are not recorded). Never holds the token. */
export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/api/v1/ledgers/lgr_x/batches?page=2`. */
  path: string;
  route: RouteKey | null;
  /** null while no response was sent: a hang or a reset. */
  status: number | null;
  fault: Fault['kind'] | null;
  at: string;
}
