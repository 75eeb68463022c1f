/**
 * What the operator commands share about AWS: which state machine, a client for its region, starting,
 * watching and reading its executions, and AWS errors as one line that says what to fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { executionConsoleUrl as consoleUrl } from '../functions/shared/console-urls.js';
import { executionArnOf } from '../functions/shared/execution-name.js';
import type { ExecutionInput } from '../functions/shared/run-plan.js';
import { UsageError } from './errors.js';
import { executionEnd } from './report/history-events.js';

export const STATE_MACHINE_ARN_ENV = 'BATCH_AUTOPILOT_STATE_MACHINE_ARN';
/** Written by `npm run deploy` (cdk deploy --outputs-file). */
export const OUTPUTS_FILE = 'cdk-outputs.json';
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[A-Za-z0-9_-]+$/;

export function resolveStateMachineArn(flag: string | undefined, env: NodeJS.ProcessEnv, outputsFile = OUTPUTS_FILE): string {
  const arn = flag ?? env[STATE_MACHINE_ARN_ENV] ?? deployOutputs(outputsFile)?.StateMachineArn;
  if (!arn) {
    throw new UsageError(
      '--state-machine-arn',
      `no state machine given: pass it, set ${STATE_MACHINE_ARN_ENV}, or deploy with "npm run deploy" (it writes ${OUTPUTS_FILE})`,
    );
  }
  const subject = flag !== undefined ? '--state-machine-arn' : env[STATE_MACHINE_ARN_ENV] !== undefined ? STATE_MACHINE_ARN_ENV : outputsFile;
  if (!STATE_MACHINE_ARN.test(arn)) throw new UsageError(subject, 'expected a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)', arn);
  return arn;
}

/** The deployed stack's outputs (StateMachineArn, LedgerMonthsTableName, …) from `npm run deploy`'s file, if any. */
export function deployOutputs(path = OUTPUTS_FILE): Record<string, string> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const outputs = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string> | undefined>;
    return Object.values(outputs).find((stack) => stack?.StateMachineArn);
  } catch {
    throw new UsageError(path, 'expected the JSON "npm run deploy" writes; delete it or deploy again');
  }
}

export function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export function executionConsoleUrl(executionArn: string): string {
  return consoleUrl(regionOf(executionArn), executionArn);
}

/** An AWS SDK failure as one line that says what to fix; null when it is not one we recognise. */
export function describeAwsError(error: unknown, stateMachineArn: string): string | null {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? '';
  const region = regionOf(stateMachineArn);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run "aws sso login"';
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].includes(name)) {
    return `AWS rejected the credentials (${name}): refresh them (e.g. "aws sso login") and try again`;
  }
  if (name === 'StateMachineDoesNotExist') {
    return `no state machine ${stateMachineArn} in ${region}: check the ARN's region and account, or deploy the stack ("npm run deploy")`;
  }
  if (name === 'ExecutionDoesNotExist') return `no such execution of ${stateMachineArn}: check the execution name or ARN ("history" lists them)`;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    const action = /perform: (\S+)/.exec(message)?.[1] ?? 'the Step Functions action';
    return `access denied for ${action} on ${stateMachineArn}: use credentials whose policy allows it`;
  }
  if (name === 'InvalidArn') return `invalid ARN: ${message}`;
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    return `cannot reach AWS Step Functions in ${region} (${code}): check the network, a proxy, or the region in the ARN`;
  }
  return null;
}

/** What the commands need from the outside world; tests swap in mocks and instant sleeps. */
export interface AwsDeps {
  sfnFor(stateMachineArn: string): SFNClient;
  /** For the deployed LedgerMonths table; optional so callers that only start executions need not say. */
  dynamoFor?(region: string): DynamoDBClient;
  /** Who is calling, for the record of an operator's decision. */
  stsFor?(region: string): STSClient;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** How long each Wait of a local run against a real URL lasts; undefined: the definition's seconds (tests shorten it). */
  localWaitMs?: number;
}

export const defaultAwsDeps: Required<Omit<AwsDeps, 'localWaitMs'>> & AwsDeps = {
  // The state machine's own region, whatever AWS_REGION says.
  sfnFor: (stateMachineArn) => new SFNClient({ region: regionOf(stateMachineArn) }),
  dynamoFor: (region) => new DynamoDBClient({ region }),
  stsFor: (region) => new STSClient({ region }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

export type StartOutcome =
  | { kind: 'started'; name: string; executionArn: string; replacing?: { name: string; status: string } }
  | { kind: 'exists'; name: string; executionArn: string; status: string; startDate?: Date };

/** Attempts after failed ones get `-r2`, `-r3`…: still deterministic, so two retries at once collide too. */
const MAX_ATTEMPTS = 20;
const ENDED_WITHOUT_SUCCESS = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * Starts `baseName`, letting Step Functions refuse a duplicate. A name whose execution is running or
 * succeeded is reported, not restarted; one that failed is retried under the next attempt name.
 */
export async function startNamedExecution(sfn: SFNClient, stateMachineArn: string, baseName: string, input: ExecutionInput): Promise<StartOutcome> {
  let previousFailure: { name: string; status: string } | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const name = attempt === 1 ? baseName : `${baseName}-r${attempt}`;
    const executionArn = executionArnOf(stateMachineArn, name);
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return { kind: 'started', name, executionArn, ...(previousFailure ? { replacing: previousFailure } : {}) };
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
    const existing = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = existing.status ?? 'UNKNOWN';
    if (!ENDED_WITHOUT_SUCCESS.has(status)) return { kind: 'exists', name, executionArn, status, startDate: existing.startDate };
    previousFailure = { name, status };
  }
  throw new Error(`${baseName} has failed ${MAX_ATTEMPTS} times; look at its history before starting it again`);
}

export async function describeExecution(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/**
 * The events after `afterId`, oldest first. Read newest first and only until the known part, so a
 * poll of a long execution (up to 25,000 events) fetches what is new, not the whole history again.
 */
export async function historySince(sfn: SFNClient, executionArn: string, afterId = 0): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1000, nextToken, includeExecutionData: true }));
    for (const event of page.events ?? []) {
      if ((event.id ?? 0) <= afterId) return fresh.reverse();
      fresh.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}

/** The event that ended an unsuccessful execution, read newest first. */
export async function terminalFailure(sfn: SFNClient, executionArn: string): Promise<{ error: string; cause: string } | null> {
  const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5, includeExecutionData: true }));
  for (const event of page.events ?? []) {
    const end = executionEnd(event);
    if (end) return end;
  }
  return null;
}

/** Polls until the execution is no longer running; `onEvents` sees each new history event once. */
export async function watchExecution(
  sfn: SFNClient,
  executionArn: string,
  options: { pollMs: number; sleep: (ms: number) => Promise<void>; onEvents?: (events: HistoryEvent[]) => void; afterPoll?: () => Promise<void> },
): Promise<DescribeExecutionCommandOutput> {
  let lastId = 0;
  for (;;) {
    const description = await describeExecution(sfn, executionArn);
    if (options.onEvents) {
      const fresh = await historySince(sfn, executionArn, lastId);
      if (fresh.length > 0) {
        lastId = Math.max(lastId, ...fresh.map((event) => event.id ?? 0));
        options.onEvents(fresh);
      }
    }
    await options.afterPoll?.();
    if (description.status !== 'RUNNING' && description.status !== 'PENDING_REDRIVE') return description;
    await options.sleep(options.pollMs);
  }
}
