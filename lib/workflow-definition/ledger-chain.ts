/**
 * One ledger-month's branch of a group: ReadLedgerMonths → CheckRequiredInputs → PreviewGeneration →
 * [nothing | dry run] → StartGeneration → [already generated | generating elsewhere] → task poll
 * (or the ledger watch) → VerifyBatches. Every branch ends in a ledger outcome of the state contract.
 */
import { Choice, Condition, JsonPath, Pass, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ERROR } from '../../functions/shared/error-names.js';
import type { OutcomeName } from '../../functions/shared/state-contract.js';
import { buildLedgerWatch, buildTaskPoll } from './poll-loops.js';
import { OUTCOME_UNKNOWN_ERRORS } from './retry-policies.js';
import type { StepName } from '../../functions/steps.js';
import { CLAIM_PARAMETERS, catchAsLedgerFailure, stepTask, type StepTaskProps, type WorkflowFunctions } from './step-task.js';

const WITH_LEDGER = { 'ledger.$': '$.ledger', 'plan.$': '$.plan' };

export function buildLedgerChain(scope: Construct, functions: WorkflowFunctions): IChainable {
  const task = (name: StepName, props: StepTaskProps) => catchAsLedgerFailure(scope, stepTask(scope, functions, name, props));
  // The window names the item: a group's outcomes are told apart by ledger and window.
  const outcome = (id: string, name: OutcomeName, extra: Record<string, unknown> = {}) =>
    new Pass(scope, id, { parameters: { 'ledger.$': '$.ledger', 'window.$': '$.plan.window', outcome: name, 'preview.$': '$.preview', ...extra } });
  const readLedgerMonths = task('ReadLedgerMonths', { parameters: WITH_LEDGER });
  const checkRequiredInputs = task('CheckRequiredInputs', { parameters: WITH_LEDGER });
  const previewGeneration = task('PreviewGeneration', { parameters: { ...WITH_LEDGER, 'overdue.$': '$.overdue' } });
  const monthOverdue = new Pass(scope, 'MonthOverdue', {
    parameters: {
      'ledger.$': '$.ledger',
      outcome: 'failed',
      step: 'PreviewGeneration',
      error: ERROR.MonthOverdueError,
      cause: JsonPath.format('Mangrove previews 0 batches for {} past its generate-by day; {}', JsonPath.stringAt('$.plan.window.label'), JsonPath.stringAt('$.inputs.summary')),
      'window.$': '$.plan.window',
    },
  });

  const verifyBatches = task('VerifyBatches', { parameters: { 'ledger.$': '$.ledger', ...CLAIM_PARAMETERS, 'generation.$': '$.generation' } });
  verifyBatches.next(outcome('Generated', 'generated', { 'generation.$': '$.generation', 'verification.$': '$.verification' }));

  const watch = buildLedgerWatch(scope, functions, verifyBatches);
  const startGeneration = stepTask(scope, functions, 'StartGeneration', {
    parameters: { 'ledger.$': '$.ledger', ...CLAIM_PARAMETERS },
    repeatable: false,
  });
  startGeneration.addCatch(watch.afterUnclearStart, { errors: OUTCOME_UNKNOWN_ERRORS, resultPath: '$.error' });
  catchAsLedgerFailure(scope, startGeneration);

  const alreadyRecorded = new Pass(scope, 'AlreadyRecorded', {
    parameters: { 'ledger.$': '$.ledger', 'window.$': '$.plan.window', outcome: 'already-generated' satisfies OutcomeName, 'records.$': '$.records' },
  });

  checkRequiredInputs
    .next(previewGeneration)
    .next(
      new Choice(scope, 'HasAnythingToGenerate')
        .when(Condition.and(Condition.numberEquals('$.preview.total', 0), Condition.booleanEquals('$.preview.overdueAlert', true)), monthOverdue)
        .when(Condition.numberEquals('$.preview.total', 0), outcome('NothingToGenerate', 'nothing-to-generate'))
        .when(Condition.booleanEquals('$.plan.dryRun', true), outcome('DryRunDone', 'dry-run'))
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
              .otherwise(buildTaskPoll(scope, functions, verifyBatches, watch)),
          ),
        ),
    );

  return readLedgerMonths.next(
      new Choice(scope, 'IsAlreadyRecorded')
        // A generated month costs this read and nothing of Mangrove; `force` looks again.
        .when(Condition.and(Condition.booleanEquals('$.records.allGenerated', true), Condition.booleanEquals('$.plan.force', false)), alreadyRecorded)
        .otherwise(checkRequiredInputs),
    );
}
