/**
 * The state machine: Mangrove's generate-batches cookbook as states. JSONPath only, because the
 * local interpreter silently ignores JSONata. One definition serves AWS and `npm start`.
 *
 * ResolveRun → ForEachLedger( FindLedger → CheckRequiredInputs → PreviewGeneration → [nothing | dry run]
 *   → StartGeneration → [already generated] → Wait → GetGenerationStatus → [complete | failed | deadline | loop]
 *   → VerifyBatches ) → [any ledger failed → DescribeFailure → NotifyFailure → RunFailed] → RunSucceeded
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  Choice,
  Condition,
  Fail,
  JitterType,
  JsonPath,
  Map as MapState,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** The step Lambdas, by the state that invokes each. */
export interface WorkflowFunctions {
  resolveRun: IFunction;
  findLedger: IFunction;
  checkRequiredInputs: IFunction;
  previewGeneration: IFunction;
  startGeneration: IFunction;
  getGenerationStatus: IFunction;
  verifyBatches: IFunction;
  findGeneratedBatches: IFunction;
  describeFailure: IFunction;
}

export interface WorkflowDefinitionProps {
  functions: WorkflowFunctions;
  alertTopic: ITopic;
}

/** Where a failure Pass finds the ledger: a path to the resolved one, or a template around the raw reference. */
type LedgerSource = { path: string } | { ref: Record<string, string> };

/** Lambda service errors that mean the function did not run (or may be re-run safely for reads). */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
/** A Lambda that crashed or ran out of time: safe to run again when the step only reads. */
const LAMBDA_DIED_ERRORS = ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'States.Timeout'];
/**
 * After these, a generation may or may not have started: the POST got no clear answer, or the
 * StartGeneration Lambda died (crash, timeout, service error) possibly after sending it. POSTing
 * again could generate the month twice, so the workflow watches the ledger instead.
 */
const OUTCOME_UNKNOWN_ERRORS = [
  'GenerationOutcomeUnknownError',
  'Lambda.Unknown',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Sandbox.Timedout',
  'Runtime.ExitError',
  'States.Timeout',
];
/** Above the step Lambda's 90 s timeout, so a hung invocation is ended by Lambda first. */
const TASK_TIMEOUT = Duration.seconds(100);

export function buildWorkflowDefinition(scope: Construct, props: WorkflowDefinitionProps): IChainable {
  const { functions } = props;

  const step = (id: string, fn: IFunction, parameters: Record<string, unknown> | null, resultPath: string, options: { repeatable: boolean }) => {
    const task = new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: parameters ? TaskInput.fromObject(parameters) : undefined,
      payloadResponseOnly: true,
      resultPath,
      retryOnServiceExceptions: false,
      taskTimeout: Timeout.duration(TASK_TIMEOUT),
    });
    task.addRetry({
      // StartGeneration may have POSTed before a service error: only a throttle proves it never ran.
      errors: options.repeatable ? [...LAMBDA_SERVICE_ERRORS, ...LAMBDA_DIED_ERRORS] : ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    task.addRetry({
      // GenerationNotStartedError: StartGeneration stopped short of its POST, so running it again is safe.
      errors: ['UpstreamUnavailableError', 'GenerationNotStartedError'],
      interval: Duration.seconds(10),
      maxAttempts: 3,
      backoffRate: 2,
      maxDelay: Duration.minutes(2),
      jitterStrategy: JitterType.FULL,
    });
    // Mangrove's limit resets every 60 s: wait at least half a window, without jitter that could land
    // the retry back inside the same window.
    task.addRetry({ errors: ['RateLimitedError'], interval: Duration.seconds(30), maxAttempts: 4, backoffRate: 1.5 });
    // Once: a proxy can truncate a body; a shape that is really wrong fails again and is reported.
    task.addRetry({ errors: ['MangroveResponseError'], interval: Duration.seconds(5), maxAttempts: 1 });
    return task;
  };

  /** Each step's Catch lands in a Pass that records the ledger's outcome as failed, at that step. */
  const ledgerFailure = (stepName: string, ledger: LedgerSource) =>
    new Pass(scope, `${stepName}Failed`, {
      parameters: {
        ...('ref' in ledger ? { ledger: ledger.ref } : { 'ledger.$': ledger.path }),
        outcome: 'failed',
        step: stepName,
        'error.$': '$.error.Error',
        'cause.$': '$.error.Cause',
      },
    });
  const catchInto = (task: LambdaInvoke, ledger: LedgerSource): LambdaInvoke => {
    task.addCatch(ledgerFailure(task.id, ledger), { errors: ['States.ALL'], resultPath: '$.error' });
    return task;
  };
  const resolved: LedgerSource = { path: '$.ledger' };

  // ---- per ledger ------------------------------------------------------------------------------
  // Until FindLedger succeeds only the reference the run was given is known.
  const findLedger = catchInto(
    step('FindLedger', functions.findLedger, { 'ledgerRef.$': '$.ledgerRef' }, '$.ledger', { repeatable: true }),
    { ref: { 'ref.$': '$.ledgerRef' } },
  );
  // Before FindLedger succeeds only the reference is known; the Pass wraps it the way later ones see $.ledger.
  const withLedger = { 'ledger.$': '$.ledger', 'plan.$': '$.plan' };
  const checkRequiredInputs = catchInto(
    step('CheckRequiredInputs', functions.checkRequiredInputs, withLedger, '$.inputs', { repeatable: true }),
    resolved,
  );
  const previewGeneration = catchInto(
    step('PreviewGeneration', functions.previewGeneration, withLedger, '$.preview', { repeatable: true }),
    resolved,
  );
  // ---- an unknown outcome is resolved by watching the ledger, never by a second POST ---------------
  const outcomeUnknown = (id: string, stepName: string) =>
    new Pass(scope, id, { parameters: { 'startedAt.$': '$.plan.requestedAt', unknownAt: stepName }, resultPath: '$.generation' });
  const startOutcomeUnknown = outcomeUnknown('StartOutcomeUnknown', 'StartGeneration');
  // Mangrove no longer knows the task id, or cannot be asked: the batches can still tell what happened.
  const taskLost = outcomeUnknown('TaskLost', 'GetGenerationStatus');
  const waitForBatches = new Wait(scope, 'WaitForBatches', { time: WaitTime.secondsPath('$.plan.pollIntervalSeconds') });
  startOutcomeUnknown.next(waitForBatches);
  taskLost.next(waitForBatches);

  const startGenerationTask = step(
    'StartGeneration',
    functions.startGeneration,
    { ...withLedger, 'preview.$': '$.preview', 'executionName.$': '$$.Execution.Name', 'ledgerIndex.$': '$.ledgerIndex' },
    '$.generation',
    { repeatable: false },
  );
  startGenerationTask.addCatch(startOutcomeUnknown, { errors: OUTCOME_UNKNOWN_ERRORS, resultPath: '$.error' });
  const startGeneration = catchInto(startGenerationTask, resolved);
  const getGenerationStatusTask = step(
    'GetGenerationStatus',
    functions.getGenerationStatus,
    { 'taskId.$': '$.generation.taskId', 'deadline.$': '$.generation.deadline' },
    '$.status',
    { repeatable: true },
  );
  // Polling that keeps failing (after its retries) says nothing about the task: watch the ledger instead.
  getGenerationStatusTask.addCatch(taskLost, {
    errors: ['MangroveNotFoundError', 'UpstreamUnavailableError', 'RateLimitedError', 'MangroveResponseError', ...LAMBDA_SERVICE_ERRORS, ...LAMBDA_DIED_ERRORS],
    resultPath: '$.error',
  });
  const getGenerationStatus = catchInto(getGenerationStatusTask, resolved);
  const findGeneratedBatches = catchInto(
    step('FindGeneratedBatches', functions.findGeneratedBatches, { ...withLedger, 'preview.$': '$.preview' }, '$.recovery', { repeatable: true }),
    resolved,
  );
  const verifyBatches = catchInto(
    step(
      'VerifyBatches',
      functions.verifyBatches,
      { ...withLedger, 'preview.$': '$.preview', 'generation.$': '$.generation' },
      '$.verification',
      { repeatable: true },
    ),
    resolved,
  );

  const outcome = (id: string, name: string, extra: Record<string, unknown>) =>
    new Pass(scope, id, { parameters: { 'ledger.$': '$.ledger', outcome: name, 'preview.$': '$.preview', ...extra } });

  const waitForGeneration = new Wait(scope, 'WaitForGeneration', { time: WaitTime.secondsPath('$.plan.pollIntervalSeconds') });
  const generationFailed = new Pass(scope, 'GenerationFailed', {
    parameters: {
      'ledger.$': '$.ledger',
      outcome: 'failed',
      step: 'GetGenerationStatus',
      error: 'GenerationFailedError',
      'cause.$': '$.status.errorMessage',
      'taskId.$': '$.generation.taskId',
    },
  });
  const deadlinePassed = new Pass(scope, 'DeadlinePassed', {
    parameters: {
      'ledger.$': '$.ledger',
      outcome: 'failed',
      step: 'GetGenerationStatus',
      error: 'GenerationDeadlineExceededError',
      cause: JsonPath.format(
        'task {} was still {} at the deadline {}',
        JsonPath.jsonToString(JsonPath.objectAt('$.generation.taskId')),
        JsonPath.stringAt('$.status.state'),
        JsonPath.stringAt('$.generation.deadline'),
      ),
      'taskId.$': '$.generation.taskId',
    },
  });

  verifyBatches.next(outcome('Generated', 'generated', { 'generation.$': '$.generation', 'verification.$': '$.verification' }));
  const outcomeStillUnknown = new Pass(scope, 'OutcomeStillUnknown', {
    parameters: {
      'ledger.$': '$.ledger',
      outcome: 'failed',
      'step.$': '$.generation.unknownAt',
      error: 'GenerationOutcomeUnknownError',
      'cause.$': '$.error.Cause',
    },
  });
  waitForBatches.next(findGeneratedBatches).next(
    new Choice(scope, 'AreBatchesThere')
      .when(Condition.booleanEquals('$.recovery.complete', true), verifyBatches)
      .when(Condition.booleanEquals('$.recovery.pastDeadline', true), outcomeStillUnknown)
      .otherwise(waitForBatches),
  );

  const pollLoop = waitForGeneration.next(getGenerationStatus).next(
    new Choice(scope, 'IsGenerationDone')
      .when(Condition.stringEquals('$.status.phase', 'complete'), verifyBatches)
      .when(Condition.stringEquals('$.status.phase', 'failed'), generationFailed)
      .when(Condition.booleanEquals('$.status.pastDeadline', true), deadlinePassed)
      .otherwise(waitForGeneration),
  );

  const perLedger = findLedger
    .next(checkRequiredInputs)
    .next(previewGeneration)
    .next(
      new Choice(scope, 'HasAnythingToGenerate')
        .when(Condition.numberEquals('$.preview.total', 0), outcome('NothingToGenerate', 'nothing-to-generate', {}))
        .when(Condition.booleanEquals('$.plan.dryRun', true), outcome('DryRunDone', 'dry-run', {}))
        .otherwise(
          startGeneration.next(
            new Choice(scope, 'WasAlreadyGenerated')
              .when(
                Condition.stringEquals('$.generation.outcome', 'already-generated'),
                outcome('AlreadyGenerated', 'already-generated', { 'existingBatches.$': '$.generation.existingBatches' }),
              )
              .when(
                Condition.stringEquals('$.generation.outcome', 'generating-elsewhere'),
                outcome('GeneratingElsewhere', 'generating-elsewhere', { 'generation.$': '$.generation' }),
              )
              .otherwise(pollLoop),
          ),
        ),
    );

  // ---- the run ---------------------------------------------------------------------------------
  // No parameters: the step reads the execution input as it is.
  const resolveRun = step('ResolveRun', functions.resolveRun, null, '$.plan', { repeatable: true });
  const forEachLedger = new MapState(scope, 'ForEachLedger', {
    itemsPath: '$.plan.ledgers',
    itemSelector: { 'ledgerRef.$': '$$.Map.Item.Value', 'ledgerIndex.$': '$$.Map.Item.Index', 'plan.$': '$.plan' },
    // One ledger at a time: ledgers written by the same model (or one ledger named twice, by name and
    // by id) must see each other's batches before deciding to generate, or the month is made twice.
    maxConcurrency: 1,
    resultPath: '$.results',
  }).itemProcessor(perLedger);

  const runFailure = (id: string, stepName: string) =>
    new Pass(scope, id, {
      parameters: { ledger: null, outcome: 'failed', step: stepName, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
      resultPath: '$.failure',
    });
  const listRunFailure = new Pass(scope, 'ListRunFailure', {
    parameters: { 'results.$': 'States.Array($.failure)' },
  });

  const describeFailure = step(
    'DescribeFailure',
    functions.describeFailure,
    // The whole state: after a ResolveRun failure there is no plan, and a path to it would fail.
    { 'executionName.$': '$$.Execution.Name', 'run.$': '$' },
    '$.alert',
    { repeatable: true },
  );
  const runFailed = new Fail(scope, 'RunFailed', { errorPath: '$.alert.error', causePath: '$.alert.cause' });
  const notifyFailure = new SnsPublish(scope, 'NotifyFailure', {
    topic: props.alertTopic,
    subject: JsonPath.stringAt('$.alert.subject'),
    message: TaskInput.fromJsonPathAt('$.alert.message'),
    resultPath: JsonPath.DISCARD,
  });
  notifyFailure.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2, jitterStrategy: JitterType.FULL });
  // An alert that cannot be sent must not hide the failure: the run still ends failed.
  notifyFailure.addCatch(runFailed, { errors: ['States.ALL'], resultPath: '$.notifyError' });
  const alertAndFail = describeFailure.next(notifyFailure).next(runFailed);
  // If even the description fails, fail with the original error rather than none.
  describeFailure.addCatch(new Fail(scope, 'RunFailedUndescribed', { error: 'DescribeFailureError', cause: 'the failure alert could not be written; see the execution history' }), {
    errors: ['States.ALL'],
  });

  resolveRun.addCatch(runFailure('ResolveRunFailed', 'ResolveRun').next(listRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
  forEachLedger.addCatch(runFailure('ForEachLedgerFailed', 'ForEachLedger').next(listRunFailure), {
    errors: ['States.ALL'],
    resultPath: '$.error',
  });
  listRunFailure.next(alertAndFail);

  const summarize = new Pass(scope, 'Summarize', {
    parameters: {
      'plan.$': '$.plan',
      'results.$': '$.results',
      // A filter expression would fail locally on an empty match; ArrayContains behaves the same in both.
      'anyFailed.$': "States.ArrayContains($.results[*].outcome, 'failed')",
    },
  });

  return resolveRun
    .next(forEachLedger)
    .next(summarize)
    .next(
      new Choice(scope, 'AnyLedgerFailed')
        .when(Condition.booleanEquals('$.anyFailed', true), alertAndFail)
        .otherwise(new Succeed(scope, 'RunSucceeded')),
    );
}
