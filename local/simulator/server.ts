import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin.js';
import { handleApiRequest } from './api.js';
import { tokenFrom, type TokenScope } from './auth.js';
import { isoTimestamp } from './calendar.js';
import { DEMO_READONLY_TOKEN, DEMO_TOKEN, demoSeed } from './demo-seed.js';
import { FaultInjector, type Fault, type FaultController } from './faults.js';
import { FixedWindowRateLimiter } from './rate-limit.js';
import { messageError, notFound, type ApiResponse } from './responses.js';
import { matchRoute, type RouteKey } from './routes.js';
import { parseSeed, type SimulatorSeed } from './seed.js';
import { SimulatorState } from './state.js';
import type { RecordedRequest } from './recorded-request.js';
import type { TaskTiming } from './task-lifecycle.js';
import type { ReportEdit } from './admin.js';

const API_BASE_PATH = '/api/v1';
const ADMIN_BASE_PATH = '/__admin';

export interface SimulatorOptions {
  /** @default demoSeed() */
  seed?: SimulatorSeed;
  /** @default { [DEMO_TOKEN]: 'read-write', [DEMO_READONLY_TOKEN]: 'read-only' } */
  tokens?: Record<string, TokenScope>;
  /** Per token, in fixed 60 s windows. @default 1000 (Mangrove's documented limit) */
  rateLimitPerMinute?: number;
  /** @default { pendingMs: 1000, perBatchMs: 1000 } */
  taskTiming?: TaskTiming;
  /** Milliseconds since the epoch; drives task progress, timestamps and rate-limit windows. @default Date.now */
  now?: () => number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
}

export interface Simulator {
  /** The API base URL, `http://127.0.0.1:PORT/api/v1`. */
  url: string;
  origin: string;
  faults: FaultController;
  requests: RecordedRequest[];
  callCounts(): Partial<Record<RouteKey, number>>;
  /** The ledger's current batches in contract shape; throws for an unknown ledger. */
  batches(ledgerId: string): unknown[];
  /** Every async task so far, in contract shape. */
  tasks(): unknown[];
  /** Every report, in contract shape. */
  reports(): unknown[];
  /**
   * What a person does in Mangrove's app between runs: rename a report, move its status, or delete it
   * (`null`). Throws for an unknown report.
   */
  editReport(reportId: string, changes: ReportEdit | null): void;
  /** Back to `seed` (default: the start seed) with no faults, requests or rate-limit counts. */
  reset(seed?: SimulatorSeed): void;
  /** Also ends connections left hanging by a fault. */
  close(): Promise<void>;
}

function checkOptions(options: SimulatorOptions): void {
  const problems: string[] = [];
  const { rateLimitPerMinute, taskTiming, port } = options;
  if (rateLimitPerMinute !== undefined && !(Number.isInteger(rateLimitPerMinute) && rateLimitPerMinute > 0))
    problems.push(`rateLimitPerMinute must be a positive integer, got ${rateLimitPerMinute}`);
  if (taskTiming && !(Number.isFinite(taskTiming.pendingMs) && taskTiming.pendingMs >= 0))
    problems.push(`taskTiming.pendingMs must be a non-negative number, got ${taskTiming.pendingMs}`);
  if (taskTiming && !(Number.isFinite(taskTiming.perBatchMs) && taskTiming.perBatchMs > 0))
    problems.push(`taskTiming.perBatchMs must be a positive number, got ${taskTiming.perBatchMs}`);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    problems.push(`port must be an integer within 0–65535, got ${port}`);
  if (problems.length > 0) throw new RangeError(`Invalid simulator options:\n  ${problems.join('\n  ')}`);
}

/** One counter per token; requests without a token are counted per client address. */
function rateLimitKey(request: IncomingMessage): string {
  return tokenFrom(request.headers.authorization) ?? `address:${request.socket.remoteAddress ?? 'unknown'}`;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, { status, body, headers }: ApiResponse): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

function statusFaultResponse(fault: Extract<Fault, { kind: 'status' }>): ApiResponse {
  return {
    status: fault.status,
    body: fault.body ?? { message: STATUS_CODES[fault.status] ?? 'Error' },
    ...(fault.retryAfterSeconds !== undefined && { headers: { 'Retry-After': String(fault.retryAfterSeconds) } }),
  };
}

function withoutField(body: unknown, field: string): unknown {
  const strip = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const { [field]: _omitted, ...rest } = value as Record<string, unknown>;
    return rest;
  };
  const stripped = strip(body);
  if (typeof stripped === 'object' && stripped !== null && Array.isArray((stripped as { data?: unknown }).data)) {
    const withData = stripped as { data: unknown[] };
    return { ...withData, data: withData.data.map(strip) };
  }
  return stripped;
}

// A body cut off mid-object, as a dropped upstream connection leaves it.
const TRUNCATED_JSON = '{"data":[{"id":"lgr_';

export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const startSeed = options.seed ?? demoSeed();
  const tokens = options.tokens ?? { [DEMO_TOKEN]: 'read-write', [DEMO_READONLY_TOKEN]: 'read-only' };
  const timing = options.taskTiming ?? { pendingMs: 1000, perBatchMs: 1000 };
  const faults = new FaultInjector();
  const rateLimiter = new FixedWindowRateLimiter(options.rateLimitPerMinute ?? 1000);
  const requests: RecordedRequest[] = [];
  let state = new SimulatorState(parseSeed(startSeed), timing);

  const reset = (seed: SimulatorSeed = startSeed) => {
    state = new SimulatorState(parseSeed(seed), timing);
    faults.clear();
    rateLimiter.reset();
    // Cleared in place: callers may hold the `requests` array.
    requests.length = 0;
  };

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const rawBody = await readBody(request);
    const nowMs = now();
    state.advance(nowMs);
    const method = request.method ?? 'GET';
    const apiPath = url.pathname.startsWith(`${API_BASE_PATH}/`) ? url.pathname.slice(API_BASE_PATH.length) : null;
    const match = apiPath === null ? null : matchRoute(method, apiPath);
    // Counted before faults: Mangrove's edge sees every request, and even a gateway error carries the headers.
    const limit = apiPath === null ? null : rateLimiter.hit(rateLimitKey(request), nowMs);
    const fault = match ? faults.takeFault(match.route) : undefined;
    const record: RecordedRequest = {
      method,
      path: url.pathname + url.search,
      route: match?.route ?? null,
      status: null,
      fault: fault?.kind ?? null,
      at: isoTimestamp(nowMs),
    };
    requests.push(record);
    const reply = (result: ApiResponse) => {
      record.status = result.status;
      send(response, { ...result, headers: { ...result.headers, ...limit?.headers } });
    };

    if (limit === null) return reply(notFound());
    switch (fault?.kind) {
      case 'status':
        return reply(statusFaultResponse(fault));
      case 'malformed-json':
        record.status = 200;
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...limit.headers }).end(TRUNCATED_JSON);
        return;
      case 'hang':
        if (!fault.afterProcessing) return;
        break;
      case 'reset':
        if (!fault.afterProcessing) return void request.socket.destroy();
        break;
    }

    const result = handleApiRequest(
      { state, faults, tokens },
      { match, query: url.searchParams, rawBody, authorization: request.headers.authorization, withinRateLimit: limit.allowed, nowMs },
    );
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') return void request.socket.destroy();
    if (fault?.kind === 'omit-field') result.body = withoutField(result.body, fault.field);
    reply(result);
  }

  const editReport = (reportId: string, changes: ReportEdit | null): boolean => {
    // A submission that settled before the edit must not overwrite it afterwards.
    state.advance(now());
    const report = state.reports.get(reportId);
    if (!report) return false;
    if (changes === null) return state.reports.remove(reportId);
    state.reports.change(report, changes, now());
    return true;
  };

  async function handleAdmin(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const rawBody = await readBody(request);
    // The admin API has no auth: it must not be reachable from another machine even on a public bind.
    if (!LOOPBACK_ADDRESSES.has(request.socket.remoteAddress ?? '')) {
      return send(response, messageError(403, 'The admin API only answers loopback clients.'));
    }
    const path = url.pathname.slice(ADMIN_BASE_PATH.length);
    send(response, handleAdminRequest({ faults, requests, reset: () => reset(), editReport }, request.method ?? 'GET', path, rawBody));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const handler = url.pathname.startsWith(`${ADMIN_BASE_PATH}/`) ? handleAdmin : handleApi;
    handler(request, response, url).catch((error: unknown) => {
      // A simulator bug must surface as a response, never as a hang the client would blame on Mangrove.
      if (!response.headersSent) send(response, messageError(500, `Simulator error: ${(error as Error).message}`));
      else response.destroy();
    });
  });

  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url: `${origin}${API_BASE_PATH}`,
        origin,
        faults,
        requests,
        callCounts() {
          const counts: Partial<Record<RouteKey, number>> = {};
          for (const { route } of requests) if (route) counts[route] = (counts[route] ?? 0) + 1;
          return counts;
        },
        batches(ledgerId) {
          state.advance(now());
          const batches = state.batches(ledgerId);
          if (!batches) throw new Error(`Unknown ledger ${ledgerId}`);
          return structuredClone(batches);
        },
        tasks() {
          const nowMs = now();
          state.advance(nowMs);
          return state.taskIds().map((id) => state.taskView(id, nowMs));
        },
        reports() {
          state.advance(now());
          return state.reports.all().map((report) => state.reports.view(report));
        },
        editReport(reportId, changes) {
          if (!editReport(reportId, changes)) throw new Error(`Unknown report ${reportId}`);
        },
        reset,
        close() {
          return new Promise<void>((resolveClose, rejectClose) => {
            server.close((error) => (error ? rejectClose(error) : resolveClose()));
            server.closeAllConnections();
          });
        },
      });
    });
  });
}
