/**
 * Runs the synthesized state machine definition in aws-local-stepfunctions, with each Lambda task
 * served in-process by the real step code and the SNS publish by a local alert sink.
 */
// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks; without it every Task
// fails with a TypeError that a States.ALL Catch would silently swallow.
import 'core-js/actual/promise/with-resolvers.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import * as z from 'zod';
import { STEPS } from '../../functions/steps.js';
import { invokeStep, type StepDefinition, type StepRuntime } from '../../functions/shared/step.js';
import type { RunEvent } from '../../cli/report/run-event.js';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Runs the real step, then holds its result to the state contract: a step whose output drifts from
 * its schema fails here, in every local run and test, instead of confusing a reader later.
 */
async function invokeChecked(step: StepDefinition<unknown, unknown>, event: unknown, runtime: StepRuntime): Promise<unknown> {
  const output = await invokeStep(step, event, runtime);
  const checked = z.safeParse(step.output, output);
  if (!checked.success) throw new Error(`${step.name} returned a result outside the state contract: ${checked.error.message}`);
  return output;
}

export interface Alert {
  subject: string;
  message: string;
}

export interface LocalRunOptions {
  definition: StateMachineDefinition;
  input: unknown;
  runtime: StepRuntime;
  executionName: string;
  /** Each Wait lasts this many ms instead of its seconds; undefined keeps real waits. */
  waitMs?: number;
  /** Each Retry interval lasts this many ms instead of its backoff; undefined keeps real intervals. */
  retryIntervalMs?: number;
  onEvent?: (event: RunEvent) => void;
  onAlert?: (alert: Alert) => void;
  /**
   * Wraps each Lambda task: `invoke` runs the real step. Drills use it to move a clock or to kill a
   * "Lambda" before or after its step ran.
   */
  wrapTask?: (stateName: string, input: unknown, invoke: () => Promise<unknown>) => Promise<unknown>;
}

export type LocalRunResult =
  | { status: 'SUCCEEDED'; output: unknown; events: RunEvent[]; alerts: Alert[] }
  | { status: 'FAILED'; error: string; cause: string; events: RunEvent[]; alerts: Alert[] };

export async function runLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  const stateNames = collectStates(options.definition);
  const alerts: Alert[] = [];
  const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};

  for (const { definition: step } of STEPS) {
    if (!stateNames.has(step.name)) throw new Error(`the state machine has no state named ${step.name} for the step of that name`);
    handlers[step.name] = async (input) => {
      const invoke = (): Promise<unknown> => invokeChecked(step as StepDefinition<unknown, unknown>, input, options.runtime);
      try {
        return (await (options.wrapTask ? options.wrapTask(step.name, input, invoke) : invoke())) as JsonValue;
      } catch (error) {
        throw asLambdaError(error);
      }
    };
  }
  // Both publish to the alert topic: a failure alert, or the opt-in success report.
  const publish = async (input: JsonValue): Promise<JsonValue> => {
    const { Subject, Message } = input as { Subject?: string; Message?: string };
    const alert = { subject: Subject ?? '', message: Message ?? '' };
    // A sink that throws stands for a publish SNS refused: that alert was not sent.
    options.onAlert?.(alert);
    alerts.push(alert);
    return { MessageId: `local-${alerts.length}` };
  };
  handlers.NotifyFailure = publish;
  handlers.NotifySuccess = publish;

  const taskStates = [...stateNames.entries()].filter(([, type]) => type === 'Task').map(([name]) => name);
  const waitStates = [...stateNames.entries()].filter(([, type]) => type === 'Wait').map(([name]) => name);
  const machine = new StateMachine(options.definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(options.input as JsonValue, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: options.waitMs === undefined ? {} : Object.fromEntries(waitStates.map((name) => [name, options.waitMs as number])),
      retryIntervalOverrides:
        options.retryIntervalMs === undefined ? {} : Object.fromEntries(taskStates.map((name) => [name, options.retryIntervalMs as number])),
    },
    context: {
      Execution: {
        Id: `arn:aws:states:us-east-1:123456789012:execution:BatchAutopilot:${options.executionName}`,
        Name: options.executionName,
        StartTime: new Date().toISOString(),
        Input: options.input as JsonValue,
      },
    },
  });

  const events: RunEvent[] = [];
  const drained = (async () => {
    for await (const event of execution.eventLogs) {
      events.push(event as unknown as RunEvent);
      options.onEvent?.(event as unknown as RunEvent);
    }
  })();

  try {
    const output = await execution.result;
    await drained;
    return { status: 'SUCCEEDED', output, events, alerts };
  } catch (error) {
    await drained;
    const failed = [...events].reverse().find((event) => event.type === 'ExecutionFailed');
    return {
      status: 'FAILED',
      error: String(failed?.Error ?? (error as Error).name),
      cause: String(failed?.Cause ?? (error as Error).message),
      events,
      alerts,
    };
  }
}

/**
 * In AWS a thrown handler error reaches Step Functions as Error = its name and Cause = the Lambda
 * runtime's JSON; the interpreter takes name and message, so the message carries that same JSON.
 */
function asLambdaError(error: unknown): Error {
  // Already shaped by a drill as Step Functions reports a Lambda service failure (e.g. Lambda.Unknown).
  if (error instanceof Error && error.name.includes('.')) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const lambdaError = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
  lambdaError.name = name;
  return lambdaError;
}

/** Every state name (nested Map processors included) with its type. */
function collectStates(definition: Pick<StateMachineDefinition, 'States'>, into = new Map<string, string>()): Map<string, string> {
  for (const [name, state] of Object.entries(definition.States)) {
    into.set(name, state.Type);
    const processor = (state as { ItemProcessor?: Pick<StateMachineDefinition, 'States'> }).ItemProcessor;
    if (processor) collectStates(processor, into);
  }
  return into;
}
