/** A Lambda task for one step of functions/steps.ts, with the house timeout and retry policy. */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Pass, TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { runPlanSchema } from '../../functions/shared/run-plan.js';
import { STEPS, type StepName } from '../../functions/steps.js';
import { addStepRetries } from './retry-policies.js';

/** The step Lambdas, by the state that invokes each. */
export type WorkflowFunctions = Record<StepName, IFunction>;

/** Above the step Lambda's 90 s timeout, so a hung invocation is ended by Lambda first. */
const TASK_TIMEOUT = Duration.seconds(100);

export interface StepTaskProps {
  /** The payload, JSONPath-templated; omitted, the step reads the state as it is. */
  parameters?: Record<string, unknown>;
  /** The step only reads, so it may be re-run after any Lambda failure. @default true */
  repeatable?: boolean;
  /** The state becomes `{ <result>: output }`: nothing of the input is needed after the step. @default false */
  replacesState?: boolean;
}

export function resultPathOf(name: StepName): string {
  const entry = STEPS.find((candidate) => candidate.definition.name === name);
  if (!entry) throw new Error(`no step named ${name} in functions/steps.ts`);
  return `$.${entry.definition.result}`;
}

export function stepTask(scope: Construct, functions: WorkflowFunctions, name: StepName, props: StepTaskProps = {}): LambdaInvoke {
  const task = new LambdaInvoke(scope, name, {
    lambdaFunction: functions[name],
    payload: props.parameters ? TaskInput.fromObject(props.parameters) : undefined,
    payloadResponseOnly: true,
    // Replacing the state: no ResultPath at all (its default is the whole state); the local
    // interpreter reads an explicit "$" as a field named "$".
    ...(props.replacesState ? { resultSelector: { [`${resultPathOf(name).slice(2)}.$`]: '$' } } : { resultPath: resultPathOf(name) }),
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(TASK_TIMEOUT),
  });
  addStepRetries(task, props.repeatable ?? true);
  return task;
}

/** What the steps that claim or move the ledger-month records read to know their claim (functions/shared/month-claim.ts). */
export const CLAIM_PARAMETERS = { 'plan.$': '$.plan', 'preview.$': '$.preview', 'executionName.$': '$.executionName', 'ledgerId.$': '$.ledger.id' };

/**
 * The step's Catch lands in a Pass that ends its branch as a failed outcome at that step: the
 * error's name and cause, beside `fields`, which say whose outcome it is.
 */
export function catchAsFailure(scope: Construct, task: LambdaInvoke, fields: Record<string, unknown>): LambdaInvoke {
  const failed = new Pass(scope, `${task.id}Failed`, {
    parameters: { ...fields, outcome: 'failed', step: task.id, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
  });
  task.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
  return task;
}

/** A ledger-month's failed outcome, named by its ledger and window. */
export function catchAsLedgerFailure(scope: Construct, task: LambdaInvoke): LambdaInvoke {
  return catchAsFailure(scope, task, { 'ledger.$': '$.ledger', 'window.$': '$.plan.window' });
}

/**
 * The plan as the steps after ResolveRun read it: its fields of the plan schema, each by its path,
 * so the slots (which only the months' Map iterates) do not ride along in every step's input.
 */
export function planFields(path: string): Record<string, string> {
  return Object.fromEntries(Object.keys(runPlanSchema.shape).map((field) => [`${field}.$`, `${path}.${field}`]));
}
