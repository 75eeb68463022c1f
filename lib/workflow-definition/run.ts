/**
 * The run around the ledgers: ResolveRun → GroupLedgers → ForEachGroup (a Distributed Map: one
 * child execution per group of co-written ledgers, side by side) → [any ledger-month failed → the
 * alert path] → RunSucceeded. Inside a child: each ledger, then each of its months, one after
 * another, then SummarizeGroup. The alert path (DescribeFailure → NotifyFailure → RunFailed) also
 * takes a run that stopped before any group.
 */
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  Choice,
  Condition,
  DistributedMap,
  Fail,
  JsonPath,
  Map as MapState,
  Pass,
  StateMachineType,
  Succeed,
  TaskInput,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ERROR } from '../../functions/shared/error-names.js';
import { MAX_CONCURRENT_GROUPS } from '../../functions/shared/limits.js';
import { addPublishRetries } from './retry-policies.js';
import { planFields, resultPathOf, stepTask, type WorkflowFunctions } from './step-task.js';
import { buildQuarterSubmissions } from './submission.js';

export interface RunProps {
  functions: WorkflowFunctions;
  alertTopic: ITopic;
  /** The branch each ledger-month of a group runs. */
  ledgerChain: IChainable;
}

export function buildRun(scope: Construct, props: RunProps): IChainable {
  const alertAndFail = buildAlertPath(scope, props);

  // No parameters: the step reads the execution input as it is; after it, the plan is all the run needs.
  const resolveRun = stepTask(scope, props.functions, 'ResolveRun', { replacesState: true });
  const groupLedgers = stepTask(scope, props.functions, 'GroupLedgers', { parameters: { 'plan.$': '$.plan' } });

  const forEachMonth = new MapState(scope, 'ForEachMonth', {
    itemsPath: '$.slots',
    itemSelector: {
      'ledger.$': '$.ledger',
      'executionName.$': '$.executionName',
      // The slot's window over the run's plan: each month is its own item with its own claim.
      plan: JsonPath.jsonMerge(JsonPath.objectAt('$.plan'), JsonPath.objectAt('$$.Map.Item.Value.plan')),
      'overdue.$': '$$.Map.Item.Value.overdue',
    },
    // Oldest month first: a month's generation can depend on the one before.
    maxConcurrency: 1,
  }).itemProcessor(props.ledgerChain);
  const forEachLedgerOfGroup = new MapState(scope, 'ForEachLedgerOfGroup', {
    itemsPath: '$.group.ledgers',
    itemSelector: { 'ledger.$': '$$.Map.Item.Value', 'executionName.$': '$.executionName', 'plan.$': '$.plan', 'slots.$': '$.slots' },
    // One generation of a model can write every ledger of its group: one at a time.
    maxConcurrency: 1,
    resultPath: '$.outcomes',
  }).itemProcessor(forEachMonth);
  const summarizeGroup = stepTask(scope, props.functions, 'SummarizeGroup', {
    parameters: { 'group.$': '$.group', 'outcomes.$': '$.outcomes[*][*]', 'groupCount.$': '$.groupCount' },
  });
  const groupSummarized = new Pass(scope, 'GroupSummarized', { inputPath: resultPathOf('SummarizeGroup') });
  // A child that cannot summarize still ends in a summary that says so: a failed child would abort
  // every other group's child (the Map tolerates no failure) and the run would lose their summaries.
  const describeSummaryFailure = new Pass(scope, 'SummarizeGroupFailed', {
    parameters: { step: 'SummarizeGroup', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
    resultPath: '$.failure',
  });
  const groupNotSummarized = new Pass(scope, 'GroupNotSummarized', {
    parameters: {
      'ledgers.$': 'States.ArrayLength($.group.ledgers)',
      outcomes: {},
      batchesGenerated: 0,
      amounts: [],
      anyFailed: true,
      failed: 1,
      'failures.$': 'States.Array($.failure)',
    },
  });
  summarizeGroup.addCatch(describeSummaryFailure.next(groupNotSummarized), { errors: ['States.ALL'], resultPath: '$.error' });

  // The groups become the results: the Map's summaries replace them, so the run's state never holds
  // every resolved ledger and every summary at once (256 KB at 500 ledgers).
  const listGroups = new Pass(scope, 'ListGroups', {
    parameters: {
      'plan.$': '$.plan',
      grouping: { 'unresolved.$': '$.grouping.unresolved', 'unresolvedTotal.$': '$.grouping.unresolvedTotal', 'anyUnresolved.$': '$.grouping.anyUnresolved' },
      'results.$': '$.grouping.groups',
    },
  });
  const forEachGroup = new DistributedMap(scope, 'ForEachGroup', {
    itemsPath: '$.results',
    itemSelector: {
      'group.$': '$$.Map.Item.Value',
      // The run's own name, not the child's (Step Functions names children): claims and `heldBy` name
      // the execution an operator can find, and (ledger, window) is unique within it.
      'executionName.$': '$$.Execution.Name',
      'groupCount.$': 'States.ArrayLength($.results)',
      plan: planFields('$.plan'),
      'slots.$': '$.plan.slots',
    },
    // Each group is a child execution with a history and a 256 KB state of its own.
    mapExecutionType: StateMachineType.STANDARD,
    maxConcurrency: MAX_CONCURRENT_GROUPS,
    label: 'Group',
    resultPath: '$.results',
  }).itemProcessor(forEachLedgerOfGroup.next(summarizeGroup).next(groupSummarized));

  // A failure outside any ledger becomes the run's only outcome, so the alert path reads one shape.
  const runFailure = (id: string, stepName: string) =>
    new Pass(scope, id, {
      parameters: { ledger: null, outcome: 'failed', step: stepName, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
      resultPath: '$.failure',
    });
  // After ResolveRun the plan exists and the alert names its window and ledgers.
  const listRunFailure = new Pass(scope, 'ListRunFailure', { parameters: { 'results.$': 'States.Array($.failure)' } });
  const listPlannedRunFailure = new Pass(scope, 'ListPlannedRunFailure', { parameters: { 'plan.$': '$.plan', 'results.$': 'States.Array($.failure)' } });
  resolveRun.addCatch(runFailure('ResolveRunFailed', 'ResolveRun').next(listRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
  for (const [state, name] of [
    [groupLedgers, 'GroupLedgers'],
    [forEachGroup, 'ForEachGroup'],
  ] as const) {
    state.addCatch(runFailure(`${name}Failed`, name).next(listPlannedRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
  }
  listRunFailure.next(alertAndFail);
  listPlannedRunFailure.next(alertAndFail);

  const summarize = new Pass(scope, 'Summarize', {
    // A filter expression would fail locally on an empty match; ArrayContains behaves the same in both.
    parameters: { 'anyFailed.$': 'States.ArrayContains($.results[*].anyFailed, true)', submissionFailed: false },
    resultPath: '$.summary',
  });
  const succeeded = new Succeed(scope, 'RunSucceeded');
  const reportSuccess = buildSuccessReport(scope, props, succeeded);
  const anythingFailed = new Choice(scope, 'AnyLedgerFailed')
    .when(Condition.or(Condition.booleanEquals('$.summary.anyFailed', true), Condition.booleanEquals('$.summary.submissionFailed', true)), alertAndFail)
    // Opt-in: without it a successful run costs no invocation more.
    .when(Condition.booleanEquals('$.plan.notifyOnSuccess', true), reportSuccess)
    .otherwise(succeeded);

  // After the months: each quarter they complete goes to its report, once (opt-in, off by default).
  const forEachQuarter = buildQuarterSubmissions(scope, props.functions);
  forEachQuarter.addCatch(runFailure('ForEachQuarterFailed', 'ForEachQuarter').next(listPlannedRunFailure), { errors: ['States.ALL'], resultPath: '$.error' });
  const summarizeSubmissions = new Pass(scope, 'SummarizeSubmissions', {
    parameters: { 'anyFailed.$': '$.summary.anyFailed', 'submissionFailed.$': 'States.ArrayContains($.submissions[*].failed, true)' },
    resultPath: '$.summary',
  });
  const submitsReports = new Choice(scope, 'SubmitsReports')
    .when(Condition.booleanEquals('$.plan.submission.enabled', true), forEachQuarter.next(summarizeSubmissions).next(anythingFailed))
    .otherwise(anythingFailed);
  // `submit-report --quarter`: the quarter's months are generated already; the run only submits.
  const onlySubmits = new Pass(scope, 'OnlySubmits', { parameters: { 'plan.$': '$.plan', results: [], summary: { anyFailed: false, submissionFailed: false } } });

  return resolveRun.next(
    new Choice(scope, 'GeneratesBatches')
      .when(Condition.booleanEquals('$.plan.submission.onRequest', true), onlySubmits.next(submitsReports))
      .otherwise(
        groupLedgers
          .next(listGroups)
          .next(forEachGroup)
          .next(
            new Choice(scope, 'AnyLedgerUnresolved')
              .when(Condition.booleanEquals('$.grouping.anyUnresolved', true), alertAndFail)
              // Every reference resolved, so there is at least one group and one summary.
              .otherwise(summarize.next(submitsReports)),
          ),
      ),
  );
}

/** Publishes the `subject` and `message` a Describe step wrote at `path` to the alert topic, retried a few times. */
function publishMessage(scope: Construct, id: string, topic: ITopic, path: string): SnsPublish {
  const publish = new SnsPublish(scope, id, {
    topic,
    subject: JsonPath.stringAt(`${path}.subject`),
    message: TaskInput.fromJsonPathAt(`${path}.message`),
    resultPath: JsonPath.DISCARD,
  });
  addPublishRetries(publish);
  return publish;
}

/** DescribeSuccess → [something generated? NotifySuccess] → RunSucceeded. */
function buildSuccessReport(scope: Construct, props: RunProps, succeeded: Succeed): IChainable {
  const describeSuccess = stepTask(scope, props.functions, 'DescribeSuccess', {
    parameters: { 'executionName.$': '$$.Execution.Name', 'executionArn.$': '$$.Execution.Id', 'run.$': '$' },
    replacesState: true,
  });
  const report = resultPathOf('DescribeSuccess');
  const notifySuccess = publishMessage(scope, 'NotifySuccess', props.alertTopic, report);
  // The batches exist whether or not the report reaches anyone: the run still succeeded, and its
  // history says the report was not delivered.
  notifySuccess.addCatch(succeeded, { errors: ['States.ALL'], resultPath: '$.reportError' });
  describeSuccess.addCatch(succeeded, { errors: ['States.ALL'], resultPath: '$.reportError' });
  return describeSuccess.next(
    new Choice(scope, 'HasSomethingToReport').when(Condition.booleanEquals(`${report}.send`, true), notifySuccess.next(succeeded)).otherwise(succeeded),
  );
}

function buildAlertPath(scope: Construct, props: RunProps): IChainable {
  const describeFailure = stepTask(scope, props.functions, 'DescribeFailure', {
    // The whole state: after a ResolveRun failure there is no plan, and a path to it would fail.
    parameters: { 'executionName.$': '$$.Execution.Name', 'run.$': '$' },
    // The alert is all the rest of the path reads: the run's state never holds it beside every summary.
    replacesState: true,
  });
  const alert = resultPathOf('DescribeFailure');
  const runFailed = new Fail(scope, 'RunFailed', { errorPath: `${alert}.error`, causePath: `${alert}.cause` });
  const notifyFailure = publishMessage(scope, 'NotifyFailure', props.alertTopic, alert);
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
