/**
 * Typed errors of the Mangrove client. Each `name` is distinct because Step Functions Retry/Catch
 * match on it: the name is the contract between a handler and the state machine.
 */

import { ERROR, type ErrorName } from '../shared/error-names.js';

export interface RequestContext {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** The endpoint template, e.g. `GET /ledgers/{id}/batches`, for messages a person can match to the docs. */
  endpoint: string;
  /** The concrete path requested, without the base URL or query string. */
  path: string;
}

export interface MangroveErrorDetails extends RequestContext {
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
}

const LEDGER_IN_PATH = /\/ledgers\/([^/?]+)/;

export abstract class MangroveError extends Error {
  abstract override readonly name: ErrorName;
  /** Whether repeating the same request later may succeed. */
  abstract readonly retryable: boolean;
  readonly method: string;
  readonly endpoint: string;
  readonly path: string;
  readonly status: number | null;
  /** The ledger the request was about, when its path names one. */
  readonly ledgerId: string | null;

  constructor(details: MangroveErrorDetails, message: string) {
    super(`${details.endpoint} (${details.path}) ${describeStatus(details.status)}: ${message}`);
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.path = details.path;
    this.status = details.status;
    this.ledgerId = decodeURIComponent(LEDGER_IN_PATH.exec(details.path)?.[1] ?? '') || null;
  }

  /** A plain object for logs and Step Functions error causes; never contains request headers. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      method: this.method,
      endpoint: this.endpoint,
      path: this.path,
      status: this.status,
      ledgerId: this.ledgerId,
      retryable: this.retryable,
    };
  }
}

function describeStatus(status: number | null): string {
  return status === null ? 'got no response' : `answered HTTP ${status}`;
}

/** 401 (token missing, wrong or revoked) or 403 (token lacks Production Accounting read/write). */
export class MangroveAuthError extends MangroveError {
  override readonly name = ERROR.MangroveAuthError;
  readonly retryable = false;
}

export class MangroveNotFoundError extends MangroveError {
  override readonly name = ERROR.MangroveNotFoundError;
  readonly retryable = false;
}

/** Mangrove refused the request and said why: `messages` are the server's own words. */
abstract class MangroveRefusalError extends MangroveError {
  readonly retryable = false;
  readonly messages: string[];

  constructor(details: MangroveErrorDetails, messages: string[], fallback: string) {
    super(details, messages.length > 0 ? messages.join('; ') : fallback);
    this.messages = messages;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), messages: this.messages };
  }
}

/** 400 or 422: the request was refused as invalid. */
export class MangroveValidationError extends MangroveRefusalError {
  override readonly name = ERROR.MangroveValidationError;

  constructor(details: MangroveErrorDetails, messages: string[]) {
    super(details, messages, 'the request was rejected as invalid');
  }
}

/**
 * 422 to `POST /reports/{id}/submit`: the report does not meet Mangrove's submission requirements.
 * Distinct from MangroveValidationError because nothing was submitted and the report is as it was,
 * so the workflow alerts with Mangrove's words instead of treating the request as malformed.
 */
export class ReportNotSubmittableError extends MangroveRefusalError {
  override readonly name = ERROR.ReportNotSubmittableError;

  constructor(details: MangroveErrorDetails, messages: string[]) {
    super(details, messages, 'the report does not meet submission requirements');
  }
}

/** 429 after the client's own retry budget was spent. `retryAfterMs` is when the server allows more. */
export class RateLimitedError extends MangroveError {
  override readonly name = ERROR.RateLimitedError;
  readonly retryable = true;
  readonly retryAfterMs: number | null;

  constructor(details: MangroveErrorDetails, message: string, retryAfterMs: number | null) {
    super(details, message);
    this.retryAfterMs = retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** 5xx, a network error or a timeout on a request that is safe to repeat, after the retry budget. */
export class UpstreamUnavailableError extends MangroveError {
  override readonly name = ERROR.UpstreamUnavailableError;
  readonly retryable = true;
}

/** A response that is not JSON, does not fit the documented shape, or has an unexpected status. */
export class MangroveResponseError extends MangroveError {
  override readonly name = ERROR.MangroveResponseError;
  readonly retryable = false;
  /** The offending field path (e.g. `data[0].latest_model`), when a field is at fault. */
  readonly field: string | null;

  constructor(details: MangroveErrorDetails, message: string, field: string | null = null) {
    super(details, message);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/**
 * A POST that starts work in Mangrove (`…/batch_generations`, `/reports/{id}/submit`) may have
 * reached it, but we cannot tell whether it started anything (timeout, connection reset after
 * sending, 5xx, unreadable 202). Mangrove has no idempotency key, so repeating the POST could
 * generate the window twice or submit the report twice: the workflow must look at the ledger's
 * batches or the report's status instead. Never retried.
 */
export class GenerationOutcomeUnknownError extends MangroveError {
  override readonly name = ERROR.GenerationOutcomeUnknownError;
  readonly retryable = false;
}
