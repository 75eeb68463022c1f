/**
 * The state machine: Mangrove's generate-batches cookbook as states. JSONPath only, because the
 * local interpreter silently ignores JSONata. One definition serves AWS and `npm start`.
 *
 * run.ts           ResolveRun → GroupLedgers → ForEachGroup(ledgers → months → ledger chain) → [failed → alert path] → RunSucceeded
 * ledger-chain.ts  ReadLedgerMonths → CheckRequiredInputs → PreviewGeneration → StartGeneration → … → VerifyBatches
 * poll-loops.ts    the task poll and the outcome-unknown ledger watch, both built with
 * poll-loop.ts     the one poll loop (first wait → Wait → poll → Choice), for generation and, next, report submission
 * retry-policies.ts, step-task.ts  which errors are retried or caught, and the house task
 */
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { buildLedgerChain } from './ledger-chain.js';
import { buildRun } from './run.js';
import type { WorkflowFunctions } from './step-task.js';

export type { WorkflowFunctions } from './step-task.js';

export interface WorkflowDefinitionProps {
  functions: WorkflowFunctions;
  alertTopic: ITopic;
}

export function buildWorkflowDefinition(scope: Construct, props: WorkflowDefinitionProps): IChainable {
  return buildRun(scope, { ...props, ledgerChain: buildLedgerChain(scope, props.functions) });
}
