/** A fake Step Functions for the operator commands: aws-sdk-client-mock answering as the service would. */
import { DescribeExecutionCommand, ExecutionAlreadyExists, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { executionName } from '../../functions/shared/execution-name.js';
import { asHistory, recorded, type RecordedExecution } from './support.js';

// Step Functions is the one thing that cannot run here: every command talks to this mock.
export const sfn = mockClient(SFNClient);
export const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilotStateMachine';
export const EXEC = (name: string): string => `arn:aws:states:eu-west-1:123456789012:execution:BatchAutopilotStateMachine:${name}`;
export const NOW = Date.parse('2026-11-23T10:00:00.000Z');
export const operatorAws = { sfnFor: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, now: () => NOW };

/**
 * Serves a recorded execution as Step Functions would while it runs: each DescribeExecution is one
 * poll, and the history grows with the polls until the recorded end.
 */
export function replay(execution: RecordedExecution, finalStatus: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT', polls = 3): void {
  const history = asHistory(execution);
  let poll = 0;
  const visible = (): HistoryEvent[] => (poll >= polls ? history : history.slice(0, Math.ceil((history.length * poll) / polls)));
  const last = history.at(-1);
  sfn.on(DescribeExecutionCommand).callsFake(() => {
    poll += 1;
    const done = poll >= polls;
    return {
      executionArn: EXEC(execution.name),
      stateMachineArn: SM,
      name: execution.name,
      status: done ? finalStatus : 'RUNNING',
      startDate: history[0]?.timestamp,
      stopDate: done ? last?.timestamp : undefined,
      input: JSON.stringify(execution.input),
      output: done && finalStatus === 'SUCCEEDED' ? last?.executionSucceededEventDetails?.output : undefined,
    };
  });
  sfn.on(GetExecutionHistoryCommand).callsFake((input: { reverseOrder?: boolean; maxResults?: number }) => {
    const events = input.reverseOrder ? [...visible()].reverse().slice(0, input.maxResults) : visible();
    return { events };
  });
}

/** A small Step Functions: names are unique, each execution finishes on its second look. */
export function fakeStepFunctions(failing: string[] = [], existing: Record<string, string> = {}): { started: string[] } {
  const executions = new Map<string, { status: string; looks: number; month: string }>(
    Object.entries(existing).map(([name, status]) => [name, { status, looks: 99, month: name.slice(-7) }]),
  );
  const started: string[] = [];
  sfn.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
    if (executions.has(input.name)) throw new ExecutionAlreadyExists({ message: 'exists', $metadata: {} });
    const month = (JSON.parse(input.input) as { month: string }).month;
    executions.set(input.name, { status: failing.includes(month) ? 'FAILED' : 'SUCCEEDED', looks: 0, month });
    started.push(input.name);
    return { executionArn: EXEC(input.name) };
  });
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
    const execution = executions.get(input.executionArn.split(':').at(-1) ?? '');
    if (!execution) throw new Error(`unknown execution ${input.executionArn}`);
    execution.looks += 1;
    const status = execution.looks >= 2 ? execution.status : 'RUNNING';
    // What a real month left: one ledger generated, its model wrote two ledgers of one batch each.
    const output = asHistory(recorded('success')).at(-1)?.executionSucceededEventDetails?.output;
    return { status, output: status === 'SUCCEEDED' ? output : undefined, startDate: new Date(NOW), stopDate: new Date(NOW + 60_000) };
  });
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [{ id: 9, type: 'ExecutionFailed', timestamp: new Date(NOW), executionFailedEventDetails: { error: 'GenerationFailedError', cause: 'Missing input' } }],
  });
  return { started };
}


/** The schedule's fire of 2 May 2025: a reconciliation of the last lookbackMonths (3 in cdk.json) months. */
export const SCHEDULED = executionName('scheduled', ['Net Carbon Removal'], '2025-05-02');

/** Three executions, newest first: one running, the recorded failure, the recorded success. */
export function serveRecentExecutions(): void {
  const success = recorded('success');
  const failure = recorded('failure');
  sfn.on(ListExecutionsCommand).resolves({
    executions: [
      { executionArn: EXEC(SCHEDULED), stateMachineArn: SM, name: SCHEDULED, status: 'RUNNING', startDate: new Date(NOW - 90_000) },
      { executionArn: EXEC(failure.name), stateMachineArn: SM, name: failure.name, status: 'FAILED', startDate: new Date('2025-04-02T06:00:03Z') },
      { executionArn: EXEC(success.name), stateMachineArn: SM, name: success.name, status: 'SUCCEEDED', startDate: new Date('2025-04-01T06:00:03Z') },
    ],
  });
  sfn
    .on(DescribeExecutionCommand, { executionArn: EXEC(SCHEDULED) })
    .resolves({
      status: 'RUNNING',
      startDate: new Date(NOW - 90_000),
      input: JSON.stringify({ source: 'schedule', scheduledTime: '2025-05-02T06:00:00Z', ledgers: ['Net Carbon Removal'] }),
    })
    .on(DescribeExecutionCommand, { executionArn: EXEC(failure.name) })
    .resolves({ status: 'FAILED', startDate: new Date('2025-04-02T06:00:03Z'), stopDate: new Date('2025-04-02T06:01:10Z'), input: JSON.stringify(failure.input) })
    .on(DescribeExecutionCommand, { executionArn: EXEC(success.name) })
    .resolves({
      status: 'SUCCEEDED',
      startDate: new Date('2025-04-01T06:00:03Z'),
      stopDate: new Date('2025-04-01T06:03:33Z'),
      input: JSON.stringify(success.input),
      output: asHistory(success).at(-1)?.executionSucceededEventDetails?.output,
    });
  sfn.on(GetExecutionHistoryCommand, { executionArn: EXEC(failure.name) }).resolves({ events: [...asHistory(failure)].reverse().slice(0, 5) });
}
