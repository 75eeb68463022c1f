/**
 * One quarter's report submission: PrepareSubmission → [anything but ready: its outcome] →
 * SubmitReport → the poll (the task, or the report's status when the POST's outcome is unknown) →
 * Submitted. Every branch ends in a quarter outcome of the state contract.
 */
import { Choice, Condition, JsonPath, Map as MapState, Pass, Result, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ERROR } from '../../functions/shared/error-names.js';
import type { SubmissionOutcomeName } from '../../functions/shared/state-contract.js';
import { buildPollLoop } from './poll-loop.js';
import { OUTCOME_UNKNOWN_ERRORS } from './retry-policies.js';
import { catchAsFailure, planFields, resultPathOf, stepTask, type WorkflowFunctions } from './step-task.js';
import type { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';

const SUBMISSION_PARAMETERS = { 'quarter.$': '$.quarter', 'plan.$': '$.plan', 'executionName.$': '$.executionName' };

/** The Map over the plan's quarters, one at a time, oldest first; each item's outcome lands in `$.submissions`. */
export function buildQuarterSubmissions(scope: Construct, functions: WorkflowFunctions): MapState {
  return new MapState(scope, 'ForEachQuarter', {
    itemsPath: '$.plan.submission.quarters',
    itemSelector: { 'quarter.$': '$$.Map.Item.Value', plan: planFields('$.plan'), 'executionName.$': '$$.Execution.Name' },
    maxConcurrency: 1,
    resultPath: '$.submissions',
  }).itemProcessor(buildSubmissionChain(scope, functions));
}

function buildSubmissionChain(scope: Construct, functions: WorkflowFunctions): IChainable {
  const prepared = resultPathOf('PrepareSubmission');
  const quarterOutcome = (id: string, outcome: SubmissionOutcomeName, fields: Record<string, unknown>) =>
    new Pass(scope, id, {
      parameters: {
        'quarter.$': '$.quarter.quarter',
        outcome,
        failed: outcome === 'failed',
        'report.$': `${prepared}.report`,
        'batches.$': `${prepared}.batches`,
        ...fields,
      },
    });
  // A quarter's failed outcome, named by its quarter (and, once prepared, its report and batches).
  const failedAt = (task: LambdaInvoke, withPrepared: boolean) =>
    catchAsFailure(scope, task, {
      'quarter.$': '$.quarter.quarter',
      failed: true,
      ...(withPrepared ? { 'report.$': `${prepared}.report`, 'batches.$': `${prepared}.batches` } : {}),
    });

  const prepareSubmission = stepTask(scope, functions, 'PrepareSubmission', { parameters: SUBMISSION_PARAMETERS });
  failedAt(prepareSubmission, false);

  const submitReport = stepTask(scope, functions, 'SubmitReport', {
    parameters: { ...SUBMISSION_PARAMETERS, 'report.$': `${prepared}.report` },
    repeatable: false,
  });
  // The Lambda may have died after its POST: never send it again, watch the report's status instead.
  // No task to poll, and the wait begins at the first poll (a Result: the local interpreter drops a null from Parameters).
  const submitOutcomeUnknown = new Pass(scope, 'SubmitOutcomeUnknown', { result: Result.fromObject({ taskId: null, startedAt: null }), resultPath: resultPathOf('SubmitReport') });
  submitReport.addCatch(submitOutcomeUnknown, { errors: OUTCOME_UNKNOWN_ERRORS, resultPath: '$.error' });
  failedAt(submitReport, true);

  const getSubmissionStatus = stepTask(scope, functions, 'GetSubmissionStatus', {
    parameters: {
      ...SUBMISSION_PARAMETERS,
      'report.$': `${prepared}.report`,
      'taskId.$': `${resultPathOf('SubmitReport')}.taskId`,
      'startedAt.$': '$.submissionStatus.startedAt',
      'previousWaitSeconds.$': '$.submissionStatus.nextWaitSeconds',
    },
  });
  failedAt(getSubmissionStatus, true);

  const status = resultPathOf('GetSubmissionStatus');
  const submitted = quarterOutcome('Submitted', 'submitted', { 'taskId.$': `${resultPathOf('SubmitReport')}.taskId`, 'submittedAt.$': `${status}.checkedAt` });
  const submissionFailed = quarterOutcome('SubmissionFailed', 'failed', {
    step: 'GetSubmissionStatus',
    error: ERROR.SubmissionFailedError,
    'cause.$': `${status}.errorMessage`,
    'taskId.$': `${resultPathOf('SubmitReport')}.taskId`,
  });
  const submissionUnknown = quarterOutcome('SubmissionOutcomeUnknown', 'failed', {
    step: 'GetSubmissionStatus',
    error: ERROR.SubmissionOutcomeUnknownError,
    // The state is the task's, or the report's status when there was no task to read.
    cause: JsonPath.format('the submission was still {} at the deadline (waiting since {}); the submit is never sent twice', JsonPath.stringAt(`${status}.state`), JsonPath.stringAt(`${status}.startedAt`)),
    'taskId.$': `${resultPathOf('SubmitReport')}.taskId`,
  });
  const poll = buildPollLoop(scope, {
    names: { start: 'StartSubmissionPolling', wait: 'WaitForSubmission', choice: 'IsSubmissionDone' },
    resultPath: status,
    poll: getSubmissionStatus,
    carry: { 'startedAt.$': `${resultPathOf('SubmitReport')}.startedAt` },
    until: [
      [Condition.stringEquals(`${status}.phase`, 'complete'), submitted],
      [Condition.stringEquals(`${status}.phase`, 'failed'), submissionFailed],
      [Condition.booleanEquals(`${status}.pastDeadline`, true), submissionUnknown],
    ],
  });
  submitReport.next(poll);
  submitOutcomeUnknown.next(poll);

  return prepareSubmission.next(
    new Choice(scope, 'IsReportReady')
      .when(Condition.stringEquals(`${prepared}.outcome`, 'ready'), submitReport)
      // Settled before any submit: already submitted, incomplete, a dry run, or held by another run.
      .otherwise(new Pass(scope, 'SubmissionSettled', { inputPath: prepared })),
  );
}
