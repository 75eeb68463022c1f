/**
 * Errors the workflow raises itself (the client's are in functions/mangrove/errors.ts). As there,
 * each `name` comes from error-names.ts: it is what the state machine's Retry and Catch match on.
 */
import { ERROR, type ErrorName } from './error-names.js';

export abstract class WorkflowError extends Error {
  abstract override readonly name: ErrorName;
  /** The ledger concerned, when there is one. */
  readonly ledgerId: string | null;

  constructor(message: string, ledgerId: string | null = null) {
    super(message);
    this.ledgerId = ledgerId;
  }
}

/** An execution input or step event that does not fit its schema; the message names each field. */
export class InvalidInputError extends WorkflowError {
  override readonly name = ERROR.InvalidInputError;
  readonly issues: string[];

  constructor(what: string, issues: string[]) {
    super(`${what} is invalid: ${issues.join('; ')}`);
    this.issues = issues;
  }
}


export class ManualInputsRequireDataPointsError extends WorkflowError {
  override readonly name = ERROR.ManualInputsRequireDataPointsError;
}

export class VerificationFailedError extends WorkflowError {
  override readonly name = ERROR.VerificationFailedError;
}

/** Some, not all, of the window's batches exist: generating could duplicate them or leave a gap. */
export class PartiallyGeneratedError extends WorkflowError {
  override readonly name = ERROR.PartiallyGeneratedError;
}

/**
 * The ledger's batches bound the month at another zone's midnight than the configured `timeZone`:
 * generating would overlap them, skipping would be a guess. A person fixes the configuration.
 */
export class TimeZoneMismatchError extends WorkflowError {
  override readonly name = ERROR.TimeZoneMismatchError;
}

/** StartGeneration stopped before its POST (too little time left): nothing was sent, a retry is safe. */
export class GenerationNotStartedError extends WorkflowError {
  override readonly name = ERROR.GenerationNotStartedError;
}

/** The token secret holds no token yet (the placeholder the stack creates, or an empty value). */
export class MissingTokenError extends WorkflowError {
  override readonly name = ERROR.MissingTokenError;
}

/** The ledger-month records could not be read or written (DynamoDB throttled, unreachable, or refused). */
export class RecordStoreUnavailableError extends WorkflowError {
  override readonly name = ERROR.RecordStoreUnavailableError;
}

/**
 * An earlier generation of the month may or may not have happened (its outcome is unknown) and the
 * ledger shows no batches for it: only a person can say which, so no run generates it until then.
 */
export class MonthInDoubtError extends WorkflowError {
  override readonly name = ERROR.MonthInDoubtError;
}

/** A step's Lambda lacks an environment setting the Workflow construct should have given it. */
export class MisconfiguredFunctionError extends WorkflowError {
  override readonly name = ERROR.MisconfiguredFunctionError;
}

/** The quarter's report is not in Mangrove under the configured id or name (deleted, renamed, or named twice). */
export class ReportNotFoundError extends WorkflowError {
  override readonly name = ERROR.ReportNotFoundError;
}

/** The report is in a status no run patches or submits, and not one that shows it submitted. */
export class ReportNotDraftError extends WorkflowError {
  override readonly name = ERROR.ReportNotDraftError;
}

/** An operator asked to submit a quarter whose months are not all generated for the report's ledgers. */
export class QuarterIncompleteError extends WorkflowError {
  override readonly name = ERROR.QuarterIncompleteError;
}
