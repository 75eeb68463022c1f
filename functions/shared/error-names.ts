/**
 * Every error name the workflow can see, in one place. The names are the contract between a step
 * and the state machine: the error classes take their `name` from here, the Retry/Catch lists in
 * lib/workflow-definition are composed from these groups, and DescribeFailure's advice is a
 * `Record<ErrorName, string>`, so a new error without advice does not compile.
 */

const NAMES = [
  // Raised by the Mangrove client (functions/mangrove/errors.ts).
  'MangroveAuthError',
  'MangroveNotFoundError',
  'MangroveValidationError',
  'RateLimitedError',
  'UpstreamUnavailableError',
  'MangroveResponseError',
  'GenerationOutcomeUnknownError',
  'ReportNotSubmittableError',
  // Raised by the steps (functions/shared/errors.ts).
  'InvalidInputError',
  'LedgerNotFoundError',
  'LedgerHasNoModelError',
  'UnsupportedCadenceError',
  'ManualInputsRequireDataPointsError',
  'VerificationFailedError',
  'PartiallyGeneratedError',
  'TimeZoneMismatchError',
  'GenerationNotStartedError',
  'MissingTokenError',
  'MisconfiguredFunctionError',
  'RecordStoreUnavailableError',
  'RecordConflictError',
  'MonthInDoubtError',
  'ReportNotFoundError',
  'ReportNotDraftError',
  'QuarterIncompleteError',
  // Written by the state machine's own states.
  'GenerationFailedError',
  'GenerationDeadlineExceededError',
  'MonthOverdueError',
  'SubmissionFailedError',
  'SubmissionOutcomeUnknownError',
  'DescribeFailureError',
  'AlertNotDeliveredError',
] as const;

export type ErrorName = (typeof NAMES)[number];

export const ERROR = Object.fromEntries(NAMES.map((name) => [name, name])) as { readonly [K in ErrorName]: K };

/**
 * The errors a failed run ends with when its own alert was not sent: the execution-status rule sends
 * the one message for these (and for Step Functions' own `States.*` ends), and for nothing else.
 */
export const UNALERTED_RUN_ERRORS = [ERROR.DescribeFailureError, ERROR.AlertNotDeliveredError] as const;

/** Lambda refused or lost the invocation: the function may or may not have run. */
export const LAMBDA_MAY_HAVE_RUN = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
] as const;
/** Throttled before it ran: always safe to try again. */
export const LAMBDA_THROTTLED = ['Lambda.TooManyRequestsException'] as const;
/** The function ran and crashed or ran out of time, possibly after a side effect. */
export const LAMBDA_DIED = ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'States.Timeout'] as const;
export const LAMBDA_SERVICE_ERRORS = [...LAMBDA_MAY_HAVE_RUN, ...LAMBDA_THROTTLED] as const;
