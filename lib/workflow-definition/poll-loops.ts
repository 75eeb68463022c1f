/**
 * The two loops after StartGeneration: polling Mangrove's async task, and, when the POST's outcome
 * or the task is unknown, watching the ledger for the batches instead of ever POSTing again.
 */
import { Condition, JsonPath, Pass, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ERROR } from '../../functions/shared/error-names.js';
import { CLAIM_PARAMETERS, catchAsLedgerFailure, stepTask, type WorkflowFunctions } from './step-task.js';
import { buildPollLoop } from './poll-loop.js';
import { TASK_LOST_ERRORS } from './retry-policies.js';

/** The outcome-unknown watch: where a lost POST or a lost task leads. */
export interface LedgerWatch {
  /** Entered after an unclear StartGeneration (the Catch's target). */
  afterUnclearStart: State & INextable;
  /** Entered when polling the task keeps failing. */
  afterLostTask: State & INextable;
}

/** Wait → FindGeneratedBatches → batches there? verify : past the deadline? fail : wait again. */
export function buildLedgerWatch(scope: Construct, functions: WorkflowFunctions, verify: IChainable): LedgerWatch {
  const unknownSince = (id: string, stepName: string) =>
    new Pass(scope, id, { parameters: { 'startedAt.$': '$.plan.requestedAt', unknownAt: stepName }, resultPath: '$.generation' });
  const afterUnclearStart = unknownSince('StartOutcomeUnknown', 'StartGeneration');
  // Mangrove no longer knows the task id, or cannot be asked: the batches can still tell what happened.
  const afterLostTask = unknownSince('TaskLost', 'GetGenerationStatus');
  const findGeneratedBatches = catchAsLedgerFailure(
    scope,
    stepTask(scope, functions, 'FindGeneratedBatches', {
      parameters: { 'ledger.$': '$.ledger', 'previousWaitSeconds.$': '$.recovery.nextWaitSeconds', ...CLAIM_PARAMETERS },
    }),
  );
  const outcomeStillUnknown = new Pass(scope, 'OutcomeStillUnknown', {
    parameters: {
      'ledger.$': '$.ledger',
      outcome: 'failed',
      'step.$': '$.generation.unknownAt',
      error: ERROR.GenerationOutcomeUnknownError,
      'cause.$': '$.error.Cause',
      'window.$': '$.plan.window',
    },
  });
  const startWatching = buildPollLoop(scope, {
    names: { start: 'StartWatching', wait: 'WaitForBatches', choice: 'AreBatchesThere' },
    resultPath: '$.recovery',
    poll: findGeneratedBatches,
    until: [
      [Condition.booleanEquals('$.recovery.complete', true), verify],
      [Condition.booleanEquals('$.recovery.pastDeadline', true), outcomeStillUnknown],
    ],
  });
  afterUnclearStart.next(startWatching);
  afterLostTask.next(startWatching);
  return { afterUnclearStart, afterLostTask };
}

/** Wait → GetGenerationStatus → complete? verify : failed? fail : past the deadline? fail : wait again. */
export function buildTaskPoll(scope: Construct, functions: WorkflowFunctions, verify: IChainable, watch: LedgerWatch): IChainable {
  const getGenerationStatus = stepTask(scope, functions, 'GetGenerationStatus', {
    parameters: {
      'taskId.$': '$.generation.taskId',
      'deadline.$': '$.generation.deadline',
      'startedAt.$': '$.generation.startedAt',
      'previousWaitSeconds.$': '$.status.nextWaitSeconds',
      ...CLAIM_PARAMETERS,
    },
  });
  getGenerationStatus.addCatch(watch.afterLostTask, { errors: TASK_LOST_ERRORS, resultPath: '$.error' });
  catchAsLedgerFailure(scope, getGenerationStatus);

  const taskFailure = (id: string, error: string, cause: Record<string, string>) =>
    new Pass(scope, id, {
      parameters: {
        'ledger.$': '$.ledger',
        outcome: 'failed',
        step: 'GetGenerationStatus',
        error,
        ...cause,
        'taskId.$': '$.generation.taskId',
        'window.$': '$.plan.window',
      },
    });
  const generationFailed = taskFailure('GenerationFailed', ERROR.GenerationFailedError, { 'cause.$': '$.status.errorMessage' });
  const deadlinePassed = taskFailure('DeadlinePassed', ERROR.GenerationDeadlineExceededError, {
    cause: JsonPath.format(
      'task {} was still {} at the deadline {}',
      JsonPath.jsonToString(JsonPath.objectAt('$.generation.taskId')),
      JsonPath.stringAt('$.status.state'),
      JsonPath.stringAt('$.generation.deadline'),
    ),
  });

  return buildPollLoop(scope, {
    names: { start: 'StartPolling', wait: 'WaitForGeneration', choice: 'IsGenerationDone' },
    resultPath: '$.status',
    poll: getGenerationStatus,
    until: [
      [Condition.stringEquals('$.status.phase', 'complete'), verify],
      [Condition.stringEquals('$.status.phase', 'failed'), generationFailed],
      [Condition.booleanEquals('$.status.pastDeadline', true), deadlinePassed],
    ],
  });
}
