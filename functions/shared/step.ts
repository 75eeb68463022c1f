/**
 * What every step Lambda shares: parse the event with the step's zod schema, hand it a Mangrove
 * client, tag errors with the step. The same definition runs in Lambda (`lambdaHandler`) and in the
 * local runner (`invokeStep` with a local runtime), so both execute identical step code.
 */
import middy from '@middy/core';
import * as z from 'zod/mini';
import { MangroveClient, type MangroveClientOptions } from '../mangrove/client.js';
import { MangroveAuthError, MangroveError } from '../mangrove/errors.js';
import { InvalidInputError, MisconfiguredFunctionError, WorkflowError } from './errors.js';
import { describeIssues } from './zod-issues.js';
import type { LedgerMonthRecords } from './ledger-month-record.js';
import type { RunDefaults } from './run-plan.js';
import type { TokenSource } from './token-source.js';
import { logContextOf, logLine, writeLogLine } from './log-line.js';
import { emfFields, type LedgerMetrics } from './metrics.js';

export interface StepContext {
  /** Runs `fn` with a client; after a 401 it refreshes the token once and runs `fn` again. */
  withMangrove<T>(fn: (client: MangroveClient) => Promise<T>): Promise<T>;
  now(): number;
  defaults(): RunDefaults;
  /** The ledger-month records (the steps that claim and move them). */
  records(): LedgerMonthRecords;
  /** Time left before Lambda ends this invocation (unbounded locally). */
  remainingMs(): number;
  log(message: string, fields?: Record<string, unknown>): void;
  /** CloudWatch metrics, one EMF line per ledger, written where the log lines go. */
  metrics(ledgers: LedgerMetrics[]): void;
}

export interface StepDefinition<Input, Output, Name extends string = string> {
  /** The state's name in the state machine; the local runner maps states to steps by it. */
  name: Name;
  input: z.core.$ZodType<Input>;
  /** The step's result as the state contract declares it. */
  output: z.core.$ZodType<Output>;
  /** Where the state machine puts the result in the execution state: `$.<result>`. */
  result: string;
  run(input: Input, context: StepContext): Promise<Output>;
}

export function defineStep<Input, Output, const Name extends string>(definition: StepDefinition<Input, Output, Name>): StepDefinition<Input, Output, Name> {
  return definition;
}

export interface StepRuntime {
  tokens: TokenSource;
  client: Omit<MangroveClientOptions, 'token'>;
  defaults(): RunDefaults;
  records?: () => LedgerMonthRecords;
  now?: () => number;
  log?: (line: string) => void;
}

/** Errors leave a step carrying the step's name, so an alert can say where a run stopped. */
export type StepError = (MangroveError | WorkflowError) & { step?: string };

export async function invokeStep<Input, Output>(
  step: StepDefinition<Input, Output>,
  event: unknown,
  runtime: StepRuntime,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<Output> {
  const parsed = z.safeParse(step.input, event);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw tagStep(new InvalidInputError(`${step.name} input`, issues), step.name);
  }
  const now = runtime.now ?? Date.now;
  const where = logContextOf(step.name, event);
  const log = (message: string, fields: Record<string, unknown> = {}): void => runtime.log?.(logLine('info', where, message, fields));
  const context: StepContext = {
    now,
    defaults: runtime.defaults,
    records: () => {
      if (!runtime.records) throw new MisconfiguredFunctionError(`${step.name}: no ledger-month records table is configured`);
      return runtime.records();
    },
    remainingMs,
    log,
    metrics: (ledgers) => {
      for (const ledger of ledgers) log('metrics', emfFields(now(), ledger));
    },
    async withMangrove(fn) {
      const token = await runtime.tokens.get();
      try {
        return await fn(new MangroveClient({ ...runtime.client, token }));
      } catch (error) {
        if (!(error instanceof MangroveAuthError) || error.status !== 401) throw error;
        const fresh = await runtime.tokens.refresh();
        if (fresh === token) throw error;
        log('token rejected with 401; retrying once with the freshly fetched token');
        return fn(new MangroveClient({ ...runtime.client, token: fresh }));
      }
    },
  };
  try {
    return await step.run(parsed.data, context);
  } catch (error) {
    throw tagStep(error, step.name);
  }
}

function tagStep(error: unknown, stepName: string): unknown {
  if (error instanceof MangroveError || error instanceof WorkflowError) {
    (error as StepError).step ??= stepName;
  }
  return error;
}

/** A Lambda handler for a step; the runtime is built on first use, so importing never needs AWS. */
export function lambdaHandler<Input, Output>(step: StepDefinition<Input, Output>, runtime: () => Promise<StepRuntime>) {
  let cached: Promise<StepRuntime> | undefined;
  return middy(async (event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<Output> => {
    cached ??= runtime();
    return invokeStep(step, event, await cached, () => context.getRemainingTimeInMillis());
  }).onError(async (request) => {
    // One structured line per failure for CloudWatch; toJSON() carries no headers, so no token.
    const error = request.error;
    const detail = error instanceof MangroveError ? error.toJSON() : { name: error?.name, message: error?.message };
    writeLogLine(logLine('error', logContextOf(step.name, request.event), `${step.name} failed`, { error: detail }));
  });
}
