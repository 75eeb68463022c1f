/** Starting, watching and reading executions of the deployed state machine. */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionArnOf } from '../functions/shared/execution-name.js';
import type { ExecutionInput } from '../functions/shared/run-plan.js';

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

/** Every event from `afterId` on, all pages. Event ids are consecutive, so a poll asks only for what is new. */
export async function historySince(sfn: SFNClient, executionArn: string, afterId = 0): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, includeExecutionData: true }));
    events.push(...(page.events ?? []).filter((event) => (event.id ?? 0) > afterId));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The event that ended an unsuccessful execution, read newest first. */
export async function terminalFailure(sfn: SFNClient, executionArn: string): Promise<{ error: string; cause: string } | null> {
  const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 5, includeExecutionData: true }));
  for (const event of page.events ?? []) {
    const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
    if (details) return { error: details.error ?? event.type ?? 'unknown', cause: details.cause ?? '' };
  }
  return null;
}

export interface PollOptions {
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Polls until the execution is no longer running; `onEvents` sees each new history event once. */
export async function watchExecution(
  sfn: SFNClient,
  executionArn: string,
  options: PollOptions & { onEvents?: (events: HistoryEvent[]) => void },
): Promise<DescribeExecutionCommandOutput> {
  let lastId = 0;
  for (;;) {
    const description = await describeExecution(sfn, executionArn);
    if (options.onEvents) {
      const fresh = await historySince(sfn, executionArn, lastId);
      if (fresh.length > 0) {
        lastId = Math.max(...fresh.map((event) => event.id ?? 0));
        options.onEvents(fresh);
      }
    }
    if (description.status !== 'RUNNING' && description.status !== 'PENDING_REDRIVE') return description;
    await options.sleep(options.pollMs);
  }
}
