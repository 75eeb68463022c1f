/** What a person should do after each error; `{ledger}`, `{window}`, `{report}` and `{quarter}` are filled in. */
import { ERROR, type ErrorName } from '../shared/error-names.js';

export const ADVICE: Record<ErrorName, string> = {
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
  UnsupportedCadenceError: 'Batch Autopilot generates calendar months only: take this ledger out of the configured ledgers (or set its cadence to monthly in Mangrove if that is what it is).',
  ManualInputsRequireDataPointsError: 'Name the data points in dataPointIds, or set autoDiscoverDataPoints: true, and run again.',
  InvalidInputError: 'Fix the execution input as the message says and start the run again.',
  ReportNotSubmittableError:
    "Mangrove refused to submit the report: it does not meet the submission requirements (Mangrove's words are above). Nothing was submitted and the report is as it was. Fix the report in Mangrove (for example its batches, which must lie in the report's period), then submit the quarter again.",
  MangroveValidationError: 'Mangrove refused the request as invalid (its words are above). Fix the input and run again.',
  RateLimitedError: 'Mangrove kept rate-limiting the token through every retry. Run the month again later.',
  UpstreamUnavailableError: 'Mangrove was unreachable or failing through every retry. Run the month again later.',
  MangroveResponseError: 'Mangrove answered in a shape the product does not understand. Check Mangrove status or API changes before running again.',
  MissingTokenError: 'Put the Mangrove API token in the secret named in the message, then run again.',
  MangroveNotFoundError: 'Mangrove does not know the ledger or task named in the message (deleted, or not visible to this token). Check it in Mangrove and the run input, then run again.',
  RecordStoreUnavailableError: 'The ledger-month records table could not be reached through every retry (see the details). Nothing was generated past what the records show; run the month again once DynamoDB answers.',
  RecordConflictError: "A ledger-month record was not in the state this step expected (another run or an operator moved it). Check `batch-autopilot status` before running again.",
  MonthInDoubtError:
    'An earlier generation of {window} in {ledger} has an unknown outcome and the ledger shows no batches for it. Look in Mangrove: if the batches are there, or the task is still running, wait; if nothing was generated, run `batch-autopilot resolve --ledger … --month … not-generated` and the next run generates it.',
  MonthOverdueError:
    "{window} is past its generate-by day and Mangrove still previews nothing to generate for {ledger}: its data is not in Mangrove yet. Enter the month's production data (the required inputs are named above; manual-select ones need their data points), and the next scheduled run generates it. This alert is sent once per ledger-month.",
  TimeZoneMismatchError:
    "{ledger}'s existing batches start and end at another zone's month boundary than the configured timeZone (the hours are in the details). Nothing was generated or skipped: set timeZone (cdk.json, or the run's timeZone) to the project's zone in Mangrove, then run again.",
  MisconfiguredFunctionError: "A step's Lambda is missing a setting the stack gives it: redeploy the stack (npm run deploy), then run again.",
  ReportNotFoundError:
    "The quarter's report is not in Mangrove under the configured id or name (deleted, renamed, or two reports share the name). Nothing was added or submitted. Fix the report's name in Mangrove, or set reports.reportIds (or --report rpt_…) to its id, then submit {quarter} again: `batch-autopilot submit-report --quarter {quarter}`.",
  ReportNotDraftError:
    '{report} is in a status no run patches or submits (named above). Nothing was added or submitted. Look at the report in Mangrove; if it should be submitted, return it to draft there and submit {quarter} again.',
  QuarterIncompleteError:
    "Not every month of {quarter} is generated for the report's ledgers (listed above), so nothing was added or submitted. Generate the missing months (`batch-autopilot run --month …`, or wait for the schedule), then submit again.",
  SubmissionFailedError:
    "Mangrove's submission task failed with the message above; the report is back in Mangrove's hands as it left it. Fix the cause in Mangrove, then `batch-autopilot submit-report --quarter {quarter}`.",
  SubmissionOutcomeUnknownError:
    'The submit request for {report} may have reached Mangrove, and it was deliberately not sent again; the report still showed no outcome at the deadline. Look at the report in Mangrove: once it shows submitted, the next run records it; if it is still draft, `batch-autopilot submit-report --quarter {quarter}` submits it.',
  DescribeFailureError: "The failure alert itself could not be written: see the execution's history in the Step Functions console.",
  AlertNotDeliveredError: "The failure alert could not be published to the alert topic: see the execution's history for the failure, and the topic's policy and key for why.",
};

const FALLBACK = "See the execution's history in the Step Functions console for the full error.";

export function adviceFor(error: string): string {
  return error in ERROR ? ADVICE[error as ErrorName] : FALLBACK;
}
