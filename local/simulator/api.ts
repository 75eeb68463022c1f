import { tokenFrom, type TokenScope } from './auth.js';
import { listBatches } from './batch-query.js';
import type { FaultInjector } from './faults.js';
import { parseGenerationBody } from './generation-request.js';
import { paginate } from './pagination.js';
import { reportRoute } from './report-routes.js';
import { messageError, notFound, ok, validationError, type ApiResponse } from './responses.js';
import type { RouteKey, RouteMatch } from './routes.js';
import type { SimulatorState } from './state.js';

export interface ApiContext {
  state: SimulatorState;
  faults: FaultInjector;
  tokens: Readonly<Record<string, TokenScope>>;
}

export interface ApiRequest {
  match: RouteMatch | null;
  query: URLSearchParams;
  rawBody: string;
  authorization: string | undefined;
  /** Whether the rate limiter let this request through. */
  withinRateLimit: boolean;
  nowMs: number;
}

// Preview creates nothing, so a read-only token may call it.
const WRITE_ROUTES = new Set<RouteKey>(['POST /ledgers/:id/batch_generations', 'PATCH /reports/:id', 'POST /reports/:id/submit']);

/** The rate-limit verdict, then authentication, then the route: what Mangrove itself answers. */
export function handleApiRequest(context: ApiContext, request: ApiRequest): ApiResponse {
  // Mangrove does not document Retry-After on 429, so the simulator does not send it.
  if (!request.withinRateLimit) return messageError(429, 'Rate limit exceeded');
  const token = tokenFrom(request.authorization);
  if (token === undefined) return messageError(401, 'Missing API token: send "Authorization: Bearer <token>".');
  const scope = context.tokens[token];
  if (scope === undefined) return messageError(401, 'Invalid API token.');
  const { match } = request;
  if (match === null) return notFound();
  if (WRITE_ROUTES.has(match.route) && scope !== 'read-write') {
    return messageError(403, 'This token lacks Production Accounting write permission.');
  }
  return route(context, request, match);
}

function route(context: ApiContext, request: ApiRequest, match: RouteMatch): ApiResponse {
  const { state } = context;
  if (match.route === 'GET /ledgers') {
    return paginate(state.ledgers().map((ledger) => state.ledgerView(ledger)), request.query, [], []);
  }
  switch (match.route) {
    case 'GET /reports':
    case 'GET /reports/:id':
    case 'PATCH /reports/:id':
    case 'POST /reports/:id/submit':
      return reportRoute(state, context.faults, match, request.query, request.rawBody, request.nowMs);
  }
  if (match.route === 'GET /async_tasks/:id') {
    const task = /^\d+$/.test(match.id ?? '') ? state.taskView(Number(match.id), request.nowMs) : undefined;
    return task ? ok(task) : notFound();
  }

  const ledger = state.ledger(match.id ?? '');
  if (!ledger) return notFound();
  switch (match.route) {
    case 'GET /ledgers/:id':
      return ok(state.ledgerView(ledger));
    case 'GET /ledgers/:id/required_inputs':
      return ok({ data: state.requiredInputs(ledger) });
    case 'GET /ledgers/:id/batches':
      return listBatches(state.batches(ledger.id) ?? [], request.query);
    case 'POST /ledgers/:id/generate_preview':
    case 'POST /ledgers/:id/batch_generations': {
      const model = state.modelOf(ledger);
      if (!model) return validationError([`Ledger "${ledger.name}" has no model linked; batches cannot be generated.`]);
      if (ledger.cadence !== 'monthly') return validationError([`The simulator generates monthly ledgers only; "${ledger.name}" has cadence "${ledger.cadence}".`]);
      const parsed = parseGenerationBody(request.rawBody, state);
      if (!parsed.ok) return parsed.response;
      if (match.route === 'POST /ledgers/:id/generate_preview') return ok({ data: state.preview(model, parsed.body) });
      return ok(state.startGeneration(ledger, model, parsed.body, context.faults.takeForcedOutcome(), request.nowMs), 202);
    }
  }
}
