/**
 * Errors the workflow raises itself (the client's are in functions/mangrove/errors.ts). As there,
 * each `name` is what the state machine's Retry and Catch match on.
 */

export abstract class WorkflowError extends Error {
  abstract override readonly name: string;
  /** The ledger concerned, when there is one. */
  readonly ledgerId: string | null;

  constructor(message: string, ledgerId: string | null = null) {
    super(message);
    this.ledgerId = ledgerId;
  }
}

/** An execution input or step event that does not fit its schema; the message names each field. */
export class InvalidInputError extends WorkflowError {
  override readonly name = 'InvalidInputError';
  readonly issues: string[];

  constructor(what: string, issues: string[]) {
    super(`${what} is invalid: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

export class LedgerNotFoundError extends WorkflowError {
  override readonly name = 'LedgerNotFoundError';
}

export class LedgerHasNoModelError extends WorkflowError {
  override readonly name = 'LedgerHasNoModelError';
}

export class ManualInputsRequireDataPointsError extends WorkflowError {
  override readonly name = 'ManualInputsRequireDataPointsError';
}

export class VerificationFailedError extends WorkflowError {
  override readonly name = 'VerificationFailedError';
}

/** Some, not all, of the window's batches exist: generating could duplicate them or leave a gap. */
export class PartiallyGeneratedError extends WorkflowError {
  override readonly name = 'PartiallyGeneratedError';
}

/** StartGeneration stopped before its POST (too little time left): nothing was sent, a retry is safe. */
export class GenerationNotStartedError extends WorkflowError {
  override readonly name = 'GenerationNotStartedError';
}
