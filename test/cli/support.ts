/** Runs the CLI in-process with captured streams, as bin/cli.ts would run it in a process. */
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { cli } from '../../cli/main.js';
import type { AwsDeps } from '../../cli/aws.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; color?: boolean; aws?: AwsDeps } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await cli(
    args,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: options.env ?? {}, interactive: false, color: options.color },
    options.aws,
  );
  return { code, stdout, stderr };
}

/** Instant sleeps: the client's own backoff between retries takes no wall time in tests. */
export const instantAws: AwsDeps = {
  sfnFor: () => {
    throw new Error('this test makes no AWS call');
  },
  sleep: async () => {},
  now: Date.now,
};

/** A local run against a Mangrove URL: no Step Functions, instant backoff, each Wait state 10 ms. */
export const localRunAws: AwsDeps = {
  sfnFor: () => {
    throw new Error('a local run makes no Step Functions call');
  },
  sleep: async () => {},
  now: Date.now,
  localWaitMs: 10,
};

export const ESCAPE = '\x1b[';

/** An execution recorded from a deployed stack (test/fixtures). */
export interface RecordedExecution {
  stateMachineArn: string;
  name: string;
  input: unknown;
  events: Array<Omit<HistoryEvent, 'timestamp'> & { timestamp: string }>;
}

export function recorded(kind: 'success' | 'failure' | 'timeout'): RecordedExecution {
  return JSON.parse(readFileSync(new URL(`../fixtures/sfn-history-${kind}.json`, import.meta.url), 'utf8')) as RecordedExecution;
}

export const asHistory = (execution: RecordedExecution): HistoryEvent[] =>
  execution.events.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }) as HistoryEvent);

