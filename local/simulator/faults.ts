import * as z from 'zod';
import { ROUTE_KEYS, type RouteKey } from './routes.js';
import type { TaskOutcome } from './task-lifecycle.js';

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.int().min(200).max(599),
    retryAfterSeconds: z.int().nonnegative().optional(),
    body: z.unknown().optional(),
  }),
  z.object({ kind: z.literal('hang'), afterProcessing: z.boolean().optional() }),
  z.object({ kind: z.literal('reset'), afterProcessing: z.boolean().optional() }),
  z.object({ kind: z.literal('malformed-json') }),
  z.object({ kind: z.literal('omit-field'), field: z.string().min(1) }),
]);

/**
 * A failure of the path to Mangrove or of Mangrove itself. Faults act before authentication and
 * rate limiting, as a gateway in front of the API would.
 * - `status`: that status (e.g. 429/500/502/503/504), body `{"message": <reason phrase>}` unless given;
 *   a 2xx with a `body` stands in for the real answer (a Mangrove that contradicts itself).
 * - `hang`: never respond (until the simulator closes); `afterProcessing` runs the real handler first
 *   (a POST really creates its task), then withholds the response.
 * - `reset`: destroy the socket without a response; `afterProcessing` as for `hang`.
 * - `malformed-json`: 200, JSON content type, a truncated body; the real handler does not run.
 * - `omit-field`: the real response with `field` deleted at top level and from each item of `data`.
 */
export type Fault = z.infer<typeof faultSchema>;

export const routeKeySchema = z.enum(ROUTE_KEYS);

export interface FaultController {
  /** The next `times` (default 1) requests to `route` get `fault`, after any already queued for it. */
  inject(route: RouteKey, fault: Fault, times?: number): void;
  /**
   * The next created task (generation or report submission) ends `failed` with this `error_message`:
   * a generation creates no batches, a submitted report goes back to `draft`.
   */
  failNextTask(errorMessage: string): void;
  /** The next created task stays `running` for ever at this progress (default 50); a report stays `submitting`. */
  stallNextTask(atProgress?: number): void;
  /** Drops every queued fault and task outcome. */
  clear(): void;
}

type ForcedOutcome = Exclude<TaskOutcome, { kind: 'complete' }>;

export class FaultInjector implements FaultController {
  private readonly queues = new Map<RouteKey, { fault: Fault; remaining: number }[]>();
  // One queue for both kinds: each call shapes exactly one future task, in call order.
  private readonly forcedOutcomes: ForcedOutcome[] = [];

  inject(route: RouteKey, fault: Fault, times = 1): void {
    routeKeySchema.parse(route);
    faultSchema.parse(fault);
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const queue = this.queues.get(route) ?? [];
    queue.push({ fault, remaining: times });
    this.queues.set(route, queue);
  }

  failNextTask(errorMessage: string): void {
    this.forcedOutcomes.push({ kind: 'failed', message: errorMessage });
  }

  stallNextTask(atProgress = 50): void {
    if (!(atProgress >= 0 && atProgress <= 100)) throw new RangeError(`atProgress must be within 0–100, got ${atProgress}`);
    this.forcedOutcomes.push({ kind: 'stalled', atProgress });
  }

  clear(): void {
    this.queues.clear();
    this.forcedOutcomes.length = 0;
  }

  /** The fault for this request to `route`, if one is queued; consumes one use of it. */
  takeFault(route: RouteKey): Fault | undefined {
    const head = this.queues.get(route)?.[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queues.get(route)!.shift();
    return head.fault;
  }

  takeForcedOutcome(): ForcedOutcome | undefined {
    return this.forcedOutcomes.shift();
  }
}
