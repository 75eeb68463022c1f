/**
 * Which errors each step retries and which a Catch turns into "watch the ledger": composed from the
 * groups in functions/shared/error-names.ts, never re-listed.
 */
import { Duration } from 'aws-cdk-lib';
import { JitterType, type TaskStateBase } from 'aws-cdk-lib/aws-stepfunctions';
import { ERROR, LAMBDA_DIED, LAMBDA_MAY_HAVE_RUN, LAMBDA_SERVICE_ERRORS, LAMBDA_THROTTLED } from '../../functions/shared/error-names.js';

/**
 * After these, a generation may or may not have started: the POST got no clear answer, or the
 * StartGeneration Lambda died (crash, timeout, service error) possibly after sending it. POSTing
 * again could generate the month twice, so the workflow watches the ledger instead.
 */
export const OUTCOME_UNKNOWN_ERRORS = [ERROR.GenerationOutcomeUnknownError, ...LAMBDA_MAY_HAVE_RUN, ...LAMBDA_DIED];

/** Polling that keeps failing (after its retries) says nothing about the task: watch the ledger instead. */
export const TASK_LOST_ERRORS = [
  ERROR.MangroveNotFoundError,
  ERROR.UpstreamUnavailableError,
  ERROR.RateLimitedError,
  ERROR.MangroveResponseError,
  ...LAMBDA_SERVICE_ERRORS,
  ...LAMBDA_DIED,
];

/**
 * `repeatable`: the step only reads, so running it again after any Lambda failure is safe.
 * StartGeneration is not: it may have POSTed before a service error, and only a throttle proves it never ran.
 */
export function addStepRetries(task: TaskStateBase, repeatable: boolean): void {
  task.addRetry({
    errors: repeatable ? [...LAMBDA_SERVICE_ERRORS, ...LAMBDA_DIED] : [...LAMBDA_THROTTLED],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: JitterType.FULL,
  });
  task.addRetry({
    // GenerationNotStartedError: StartGeneration stopped short of its POST, so running it again is safe.
    errors: [ERROR.UpstreamUnavailableError, ERROR.GenerationNotStartedError, ERROR.RecordStoreUnavailableError],
    interval: Duration.seconds(10),
    maxAttempts: 3,
    backoffRate: 2,
    maxDelay: Duration.minutes(2),
    jitterStrategy: JitterType.FULL,
  });
  // Mangrove's limit resets every 60 s: wait at least half a window, without jitter that could land
  // the retry back inside the same window.
  task.addRetry({ errors: [ERROR.RateLimitedError], interval: Duration.seconds(30), maxAttempts: 4, backoffRate: 1.5 });
  // Once: a proxy can truncate a body; a shape that is really wrong fails again and is reported.
  task.addRetry({ errors: [ERROR.MangroveResponseError], interval: Duration.seconds(5), maxAttempts: 1 });
}

/** An alert that cannot be published is retried a few times before the run ends failed anyway. */
export function addPublishRetries(task: TaskStateBase): void {
  task.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2, jitterStrategy: JitterType.FULL });
}
