/**
 * The run around the ledgers: ResolveRun → ForEachLedger → [any ledger failed → the alert path] →
 * RunSucceeded. The alert path (DescribeFailure → NotifyFailure → RunFailed) also takes a run that
 * stopped before any ledger.
 */
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Choice, Condition, Fail, JsonPath, Map as MapState, Pass, Succeed, TaskInput, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import { SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ERROR } from '../../functions/shared/error-names.js';
import { addPublishRetries } from './retry-policies.js';
import { resultPathOf, stepTask, type WorkflowFunctions } from './step-task.js';

export interface RunProps {
  functions: WorkflowFunctions;
  alertTopic: ITopic;
  /** The per-ledger branch the Map runs for each ledger of the plan. */
  ledgerChain: IChainable;
}

export function buildRun(scope: Construct, props: RunProps): IChainable {
  const alertAndFail = buildAlertPath(scope, props);

  // No parameters: the step reads the execution input as it is.
  const resolveRun = stepTask(scope, props.functions, 'ResolveRun');
  const forEachLedger = new MapState(scope, 'ForEachLedger', {
    // Ledgers × months (a reconciliation) or one item per ledger, each with its own plan and window.
    itemsPath: '$.plan.items',
    itemSelector: {
      'ledgerRef.$': '$$.Map.Item.Value.ledgerRef',
      'ledgerIndex.$': '$$.Map.Item.Index',
      'plan.$': '$$.Map.Item.Value.plan',
      'overdue.$': '$$.Map.Item.Value.overdue',
    },
    // One item at a time, oldest month first. The records keep concurrent runs from generating twice;
    // within a run this keeps the months in order and the history readable.
    maxConcurrency: 1,
    resultPath: '$.results',
  }).itemProcessor(props.ledgerChain);

  // A failure outside any ledger becomes the run's only outcome, so the alert path reads one shape.
  const runFailure = (id: string, stepName: string) =>
    new Pass(scope, id, {
      parameters: { ledger: null, outcome: 'failed', step: stepName, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
      resultPath: '$.failure',
    });
  const listRunFailure = new Pass(scope, 'ListRunFailure', { parameters: { 'results.$': 'States.Array($.failure)' } });
  resolveRun.addCatch(runFailure('ResolveRunFailed', 'ResolveRun').next(listRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
  forEachLedger.addCatch(runFailure('ForEachLedgerFailed', 'ForEachLedger').next(listRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
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

function buildAlertPath(scope: Construct, props: RunProps): IChainable {
  const describeFailure = stepTask(scope, props.functions, 'DescribeFailure', {
    // The whole state: after a ResolveRun failure there is no plan, and a path to it would fail.
    parameters: { 'executionName.$': '$$.Execution.Name', 'run.$': '$' },
  });
  const alert = resultPathOf('DescribeFailure');
  const runFailed = new Fail(scope, 'RunFailed', { errorPath: `${alert}.error`, causePath: `${alert}.cause` });
  const notifyFailure = new SnsPublish(scope, 'NotifyFailure', {
    topic: props.alertTopic,
    subject: JsonPath.stringAt(`${alert}.subject`),
    message: TaskInput.fromJsonPathAt(`${alert}.message`),
    resultPath: JsonPath.DISCARD,
  });
  addPublishRetries(notifyFailure);
  // An alert that cannot be sent must not hide the failure: the run still ends failed, under a name
  // the execution-status rule sends its one message for.
  notifyFailure.addCatch(new Fail(scope, 'RunFailedAlertUndelivered', { error: ERROR.AlertNotDeliveredError, causePath: `${alert}.cause` }), {
    errors: ['States.ALL'],
    resultPath: '$.notifyError',
  });
  // If even the description fails, fail with the original error rather than none.
  describeFailure.addCatch(
    new Fail(scope, 'RunFailedUndescribed', { error: ERROR.DescribeFailureError, cause: 'the failure alert could not be written; see the execution history' }),
    { errors: ['States.ALL'] },
  );
  return describeFailure.next(notifyFailure).next(runFailed);
}
