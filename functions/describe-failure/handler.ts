/**
 * Writes the alert a person reads when a run fails. A Lambda rather than States.Format in the
 * definition because the Cause it starts from differs by source (JSON from a Lambda error, plain
 * text from a Choice or a service) and an alert path must not itself fail on a shape it did not expect.
 */
import * as z from 'zod';
import { readableCause } from '../shared/error-cause.js';
import { InvalidInputError } from '../shared/errors.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { windowSchema } from '../shared/run-plan.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

// Nullish: the local interpreter drops a literal null from Parameters, AWS keeps it.
const ledgerSchema = z.object({ ref: z.string(), id: z.string().nullish(), name: z.string().nullish() }).nullish();
const failureSchema = z.object({ ledger: ledgerSchema, outcome: z.literal('failed'), step: z.string(), error: z.string(), cause: z.string().nullish() });
export type LedgerFailure = z.infer<typeof failureSchema>;
/** Every ledger's outcome; only the failed ones are described. */
const outcomeSchema = z.union([failureSchema, z.looseObject({ ledger: ledgerSchema, outcome: z.string() })]);

export interface FailureAlert {
  /** SNS subjects are at most 100 printable ASCII characters. */
  subject: string;
  message: string;
  /** For the final Fail state: the first failure's error name and a one-line cause. */
  error: string;
  cause: string;
}

const NEXT_STEPS: Record<string, string> = {
  MangroveAuthError:
    'Mangrove rejected the API token (401: missing, wrong or revoked; 403: it lacks Production Accounting read and write). Put a valid token in the secret; the next run picks it up without a redeploy.',
  GenerationOutcomeUnknownError:
    'The generation request may have reached Mangrove, and it was deliberately not sent again. Check {ledger} for batches in {window} before anything else: if they are there, nothing is missing; if not, run the month again (a run never generates a window that already has batches; until this run\u2019s claim on the window lapses, an hour after its deadline, a new run reports it as being generated elsewhere).',
  GenerationNotStartedError: 'Nothing was sent to Mangrove. Run the month again.',
  GenerationFailedError: "Mangrove's generation task failed with the message above. Fix the cause in Mangrove, then run the month again.",
  GenerationDeadlineExceededError:
    'The generation task was still unfinished at the deadline. Look at the task in Mangrove; once it has ended, run the month again (it is skipped if the batches exist).',
  VerificationFailedError: 'The batches Mangrove created do not match its preview. Check {ledger} in Mangrove for {window} before running again.',
  LedgerNotFoundError: 'Check the ledger id or name in the run input or the deployment config.',
  PartiallyGeneratedError:
    'Some of {window} is generated in {ledger} and some is not (or a batch straddles the window). Compare the batches in Mangrove with the month, and the project time zone with the timeZone setting; then run with force only if a new generation is right.',
  LedgerHasNoModelError: 'Link a model to the ledger in Mangrove, then run the month again.',
  ManualInputsRequireDataPointsError: 'Name the data points in dataPointIds, or set autoDiscoverDataPoints: true, and run again.',
  InvalidInputError: 'Fix the execution input as the message says and start the run again.',
  MangroveValidationError: 'Mangrove refused the request as invalid (its words are above). Fix the input and run again.',
  RateLimitedError: 'Mangrove kept rate-limiting the token through every retry. Run the month again later.',
  UpstreamUnavailableError: 'Mangrove was unreachable or failing through every retry. Run the month again later.',
  MangroveResponseError: 'Mangrove answered in a shape the product does not understand. Check Mangrove status or API changes before running again.',
  MissingTokenError: 'Put the Mangrove API token in the secret named in the message, then run again.',
};
const DEFAULT_NEXT_STEP = "See the execution's history in the Step Functions console for the full error.";

export const describeFailureStep = defineStep({
  name: 'DescribeFailure',
  input: z.object({
    executionName: z.string(),
    run: z.object({
      plan: z.object({ window: windowSchema }).optional(),
      results: z.array(outcomeSchema).min(1),
    }),
  }),
  run: async ({ executionName, run }) => {
    const failures = run.results.filter((outcome): outcome is LedgerFailure => failureSchema.safeParse(outcome).success);
    if (failures.length === 0) throw new InvalidInputError('DescribeFailure input', ['run.results: expected at least one failed outcome']);
    return describeFailure(executionName, run.plan?.window ?? null, failures);
  },
});

export function describeFailure(executionName: string, window: z.infer<typeof windowSchema> | null, failures: LedgerFailure[]): FailureAlert {
  const windowText = window ? `${window.label} (${window.startTime} to ${window.endTime})` : 'not resolved';
  const sections = failures.map((failure) => {
    const ledger = describeLedger(failure.ledger);
    const hint = (NEXT_STEPS[failure.error] ?? DEFAULT_NEXT_STEP)
      .replaceAll('{ledger}', ledger)
      .replaceAll('{window}', window ? window.label : 'the window');
    return [
      `Ledger: ${ledger}`,
      `Failed step: ${failure.step}`,
      `Error: ${failure.error}`,
      `Details: ${readableCause(failure.cause)}`,
      `What to do: ${hint}`,
    ].join('\n');
  });
  const first = failures[0] as LedgerFailure;
  const who = failures.length === 1 ? (first.ledger?.name ?? first.ledger?.ref ?? 'run') : `${failures.length} ledgers`;
  const subject = toSubject(`Batch Autopilot failed: ${who} ${window?.label ?? ''} (${first.error})`);
  const message = [
    `Batch Autopilot could not finish generating batches.`,
    ``,
    `Execution: ${executionName}`,
    `Window: ${windowText}`,
    ``,
    sections.join('\n\n'),
  ].join('\n');
  return { subject, message, error: first.error, cause: `${describeLedger(first.ledger)} at ${first.step}: ${readableCause(first.cause)}` };
}

function describeLedger(ledger: LedgerFailure['ledger']): string {
  if (!ledger) return 'none (the run stopped before any ledger)';
  if (ledger.name && ledger.id) return `"${ledger.name}" (${ledger.id})`;
  return `"${ledger.ref}"`;
}


function toSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7E]/g, '?').replace(/\s+/g, ' ').trim();
  return ascii.length > 100 ? `${ascii.slice(0, 99)}~` : ascii;
}

export const handler = lambdaHandler(describeFailureStep, runtimeFromEnvironment);
