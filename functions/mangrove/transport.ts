/**
 * One HTTP exchange with Mangrove, with timeouts, retries and error typing. Knows nothing of the
 * endpoints beyond what each request tells it (its endpoint name, schema, and whether it may repeat).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type * as z from 'zod/mini';
import { DEFAULT_RETRY_POLICY, fullJitterDelay, rateLimitWaitMs, type RetryPolicy } from './backoff.js';
import {
  GenerationOutcomeUnknownError,
  MangroveAuthError,
  MangroveNotFoundError,
  MangroveResponseError,
  MangroveValidationError,
  RateLimitedError,
  UpstreamUnavailableError,
  type MangroveError,
  type MangroveErrorDetails,
  type RequestContext,
} from './errors.js';
import { formatFieldPath } from '../shared/zod-issues.js';
import { errorBodySchema } from './schemas.js';
import { API_URL_EXPECTATION, isAllowedApiUrl } from './api-url.js';
import { sharedPacer, type RateLimitPacer } from './rate-pacer.js';
import { USER_AGENT } from './version.js';

export type AuthScheme = 'bearer' | 'raw';

export interface TransportOptions {
  /** e.g. `https://app.gomangrove.com/api/v1` */
  baseUrl: string;
  token: string;
  /** `bearer` sends `Authorization: Bearer <token>` (the cookbook); `raw` sends the token alone (the reference). */
  authScheme?: AuthScheme;
  /** Per attempt, body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); injectable so backoff tests are deterministic. */
  random?: () => number;
  /** @default one pacer per base URL, shared by the process (rate-pacer.ts) */
  pacer?: RateLimitPacer;
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  endpoint: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ApiRequest<T> extends RequestContext {
  method: 'GET' | 'POST' | 'PATCH';
  query?: URLSearchParams;
  body?: unknown;
  schema: z.ZodMiniType<T>;
  /**
   * False for requests that start work and have no idempotency key (batch_generations, report
   * submit): a failure after the request may have been sent becomes GenerationOutcomeUnknownError
   * instead of a retry.
   */
  repeatable: boolean;
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
/** Errors raised before a byte reached the server: safe to retry even a non-repeatable request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type AttemptOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'fail'; error: MangroveError }
  | { kind: 'retry'; reason: string; waitMs: number | null; lastError: MangroveError };

export class MangroveTransport {
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #authScheme: AuthScheme;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #pacer: RateLimitPacer;

  constructor(options: TransportOptions) {
    if (!options.token) throw new TypeError('Mangrove API token is empty: set it before creating the client');
    // The last line of defence: config, CLI and Lambda environment check the same rule with their own field names.
    if (!isAllowedApiUrl(options.baseUrl)) throw new TypeError(`Mangrove API URL ${options.baseUrl}: ${API_URL_EXPECTATION}`);
    this.#token = options.token;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#authScheme = options.authScheme ?? 'bearer';
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
    this.#pacer = options.pacer ?? sharedPacer(this.#baseUrl);
  }

  async send<T>(request: ApiRequest<T>): Promise<T> {
    const startedAt = this.#now();
    for (let attempt = 1; ; attempt += 1) {
      const paceMs = this.#pacer.waitMs(this.#now());
      if (paceMs > 0) {
        // Waiting past the call's budget would only end in a timeout; a 429-shaped error says why and is retried by the state machine.
        if (this.#now() - startedAt + paceMs > this.#retry.maxElapsedMs) {
          throw new RateLimitedError({ ...request, status: null }, `the token's rate-limit window is down to its reserve for ${Math.ceil(paceMs / 1000)} s more`, paceMs);
        }
        await this.#sleep(paceMs);
      }
      this.#pacer.sent();
      const outcome = await this.#attempt(request);
      if (outcome.kind === 'ok') return outcome.value;
      if (outcome.kind === 'fail') throw outcome.error;

      const delayMs = outcome.waitMs ?? fullJitterDelay(this.#retry, attempt, this.#random);
      const elapsed = this.#now() - startedAt;
      if (attempt >= this.#retry.maxAttempts || elapsed + delayMs > this.#retry.maxElapsedMs) {
        throw outcome.lastError;
      }
      this.#onRetry?.({ endpoint: request.endpoint, path: request.path, attempt, delayMs, reason: outcome.reason });
      await this.#sleep(delayMs);
    }
  }

  async #attempt<T>(request: ApiRequest<T>): Promise<AttemptOutcome<T>> {
    const url = `${this.#baseUrl}${request.path}${request.query?.size ? `?${request.query}` : ''}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: this.#authScheme === 'bearer' ? `Bearer ${this.#token}` : this.#token,
      'user-agent': USER_AGENT,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirect is not part of the contract, and following one could carry the token elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
      this.#pacer.observe(response.headers, this.#now());
    } catch (error) {
      return this.#networkFailure(request, error);
    }

    const details: MangroveErrorDetails = { ...request, status: response.status };
    if (response.status >= 200 && response.status < 300) return this.#parseSuccess(request, details, text);
    const messages = this.#serverMessages(text);
    const summary = messages.join('; ') || response.statusText || 'no message';

    if (response.status === 429) {
      const waitMs = rateLimitWaitMs(response.headers, this.#now());
      const error = new RateLimitedError(details, `rate limited: ${summary}`, waitMs);
      return { kind: 'retry', reason: 'HTTP 429', waitMs, lastError: error };
    }
    if (response.status >= 500) {
      if (!request.repeatable) {
        return fail(new GenerationOutcomeUnknownError(details, `${summary}; the request may have been processed, so it is not repeated`));
      }
      const error = new UpstreamUnavailableError(details, summary);
      if (!RETRYABLE_STATUSES.has(response.status)) return fail(error);
      return { kind: 'retry', reason: `HTTP ${response.status}`, waitMs: null, lastError: error };
    }
    if (response.status === 401 || response.status === 403) {
      const hint =
        response.status === 401
          ? 'the API token is missing, wrong or revoked'
          : 'the API token lacks permission (batch generation needs Production Accounting read and write)';
      return fail(new MangroveAuthError(details, `${hint}: ${summary}`));
    }
    if (response.status === 404) return fail(new MangroveNotFoundError(details, summary));
    if (response.status === 400 || response.status === 422) return fail(new MangroveValidationError(details, messages));
    return fail(new MangroveResponseError(details, `unexpected status: ${summary}`));
  }

  #networkFailure<T>(request: ApiRequest<T>, error: unknown): AttemptOutcome<T> {
    const details: MangroveErrorDetails = { ...request, status: null };
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const code = networkErrorCode(error);
    const reason = this.#redact(
      timedOut ? `no response within ${this.#timeoutMs} ms` : `network error ${code ?? describeError(error)}`,
    );
    if (!request.repeatable && !(code && NOT_SENT_CODES.has(code))) {
      return fail(new GenerationOutcomeUnknownError(details, `${reason}; the request may have been processed, so it is not repeated`));
    }
    return { kind: 'retry', reason, waitMs: null, lastError: new UpstreamUnavailableError(details, reason) };
  }

  #parseSuccess<T>(request: ApiRequest<T>, details: MangroveErrorDetails, text: string): AttemptOutcome<T> {
    // A 2xx to a non-repeatable request means it was accepted: a body we cannot read leaves the
    // outcome (which task?) unknown, not failed.
    const unreadable = (message: string, field: string | null): AttemptOutcome<T> =>
      fail(
        request.repeatable
          ? new MangroveResponseError(details, message, field)
          : new GenerationOutcomeUnknownError(details, `accepted, but ${message}`),
      );

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return unreadable(`the response is not valid JSON (${text.length} bytes)`, null);
    }
    const parsed = request.schema.safeParse(json);
    if (parsed.success) return { kind: 'ok', value: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue ? formatFieldPath(issue.path) || '(body)' : '(body)';
    return unreadable(`the response does not fit the documented shape at \`${field}\`: ${issue?.message ?? 'invalid'}`, field);
  }

  #serverMessages(text: string): string[] {
    // Redact before cutting: a cut through the token would leave its beginning behind.
    const plain = (raw: string): string[] => {
      const trimmed = this.#redact(raw.trim()).slice(0, 200);
      return trimmed ? [trimmed] : [];
    };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return plain(text);
    }
    if (typeof json === 'string') return plain(json);
    const parsed = errorBodySchema.safeParse(json);
    if (!parsed.success) return [];
    const fromErrors = (parsed.data.errors ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.message));
    const all = parsed.data.message ? [parsed.data.message, ...fromErrors] : fromErrors;
    return all.map((message) => this.#redact(message));
  }

  /** A server could echo the header back in an error text; it must not travel on in our errors. */
  #redact(text: string): string {
    return text.split(this.#token).join('[redacted]');
  }
}

function fail<T>(error: MangroveError): AttemptOutcome<T> {
  return { kind: 'fail', error };
}

function networkErrorCode(error: unknown): string | null {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** fetch says only "fetch failed"; the reason (e.g. "bad port", a TLS error) is in its cause. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : null;
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}
