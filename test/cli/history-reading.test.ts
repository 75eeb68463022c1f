/**
 * `follow` and `history` read whatever a real execution history holds: unknown states, outputs of
 * an older definition, no execution data, truncated outputs, retries, aborted executions. Histories
 * are shaped as GetExecutionHistory documents them; the recorded ones are in test/fixtures.
 */
import { readFileSync } from 'node:fs';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilotStateMachine';
const EXEC = (name: string): string => `${SM.replace(':stateMachine:', ':execution:')}:${name}`;
const T0 = Date.parse('2025-04-02T06:00:00.000Z');
const aws = { sfnFor: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, now: () => T0 + 600_000 };
const env = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM };

beforeEach(() => {
  sfn.reset();
});

type Event = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'> & { at?: number };

/** Numbers the events and chains them as AWS does (each one's previousEventId is the one before); `at` is ms after T0. */
function history(events: Event[]): HistoryEvent[] {
  return events.map(({ at, ...event }, index) => ({ ...event, id: index + 1, previousEventId: index, timestamp: new Date(T0 + (at ?? index * 10)) }) as HistoryEvent);
}

const entered = (type: string, name: string, input?: unknown): Event => ({
  type: `${type}StateEntered` as HistoryEvent['type'],
  stateEnteredEventDetails: { name, ...(input === undefined ? {} : { input: JSON.stringify(input), inputDetails: { truncated: false } }) },
});
const exited = (type: string, name: string, output?: unknown): Event => ({
  type: `${type}StateExited` as HistoryEvent['type'],
  stateExitedEventDetails: { name, ...(output === undefined ? {} : { output: JSON.stringify(output), outputDetails: { truncated: false } }) },
});
const lambda = (outcome: 'Succeeded' | 'Failed', at?: number, error?: { error: string; cause: string }): Event[] => [
  { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:eu-west-1:123456789012:function:Step' }, ...(at === undefined ? {} : { at }) },
  { type: 'LambdaFunctionStarted', ...(at === undefined ? {} : { at: at + 5 }) },
  outcome === 'Succeeded'
    ? { type: 'LambdaFunctionSucceeded', ...(at === undefined ? {} : { at: at + 10 }) }
    : { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: error, ...(at === undefined ? {} : { at: at + 10 }) },
];

/** Step Functions for one execution that has already ended. */
function serve(name: string, status: string, events: HistoryEvent[], output?: string): void {
  sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC(name), status: status as 'SUCCEEDED', startDate: events[0]?.timestamp, stopDate: events.at(-1)?.timestamp, output });
  sfn.on(GetExecutionHistoryCommand).callsFake((input: { reverseOrder?: boolean; maxResults?: number }) => ({
    events: input.reverseOrder ? [...events].reverse().slice(0, input.maxResults) : events,
  }));
}

function recordedHistory(kind: 'success' | 'failure'): HistoryEvent[] {
  const recorded = JSON.parse(readFileSync(new URL(`../fixtures/sfn-history-${kind}.json`, import.meta.url), 'utf8')) as { events: Array<HistoryEvent & { timestamp: string }> };
  return recorded.events.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }) as HistoryEvent);
}

const lastLine = (text: string): string | undefined => text.trim().split('\n').at(-1);

describe('follow reads any history and ends with the execution’s status', () => {
  it('unknown states and outputs of another shape (an older definition): names shown, no crash; exit 0', async () => {
    const events = history([
      { type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"month":"2025-03"}' } },
      entered('Task', 'LookUpProject', { month: '2025-03' }),
      ...lambda('Succeeded'),
      exited('Task', 'LookUpProject', { project: { id: 'prj_1' } }),
      entered('Map', 'ForEachLedger'),
      { type: 'MapStateStarted', mapStateStartedEventDetails: { length: 1 } },
      { type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'ForEachLedger', index: 0 } },
      entered('Task', 'FindLedger'),
      ...lambda('Succeeded'),
      exited('Task', 'FindLedger', { ledger: { id: 'lgr_1' } }),
      entered('Wait', 'WaitForGeneration'),
      exited('Wait', 'WaitForGeneration'),
      entered('Task', 'GetGenerationStatus'),
      ...lambda('Succeeded'),
      // The shape the view once assumed away: no `status` in the output.
      exited('Task', 'GetGenerationStatus', { taskState: 'running' }),
      entered('Choice', 'IsDone'),
      exited('Choice', 'IsDone'),
      { type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'ForEachLedger', index: 0 } },
      { type: 'MapStateSucceeded' },
      exited('Map', 'ForEachLedger', { results: [{ outcome: 'generated', legacy: true }] }),
      { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } },
    ]);
    serve('old-definition', 'SUCCEEDED', events);
    const { code, stdout, stderr } = await runCli(['follow', 'old-definition'], { env, aws });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ LookUpProject\n');
    expect(stdout).toContain('✓ FindLedger\n');
    expect(stdout).not.toContain('generation');
    expect(stdout).toContain('A ledger the history does not name: generated\n');
    expect(stdout).not.toMatch(/null|undefined/);
    expect(lastLine(stdout)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: /);
  });

  it('no execution data (includeExecutionData: false): the steps by name, then the status', async () => {
    const events = recordedHistory('success').map((event) => {
      const stripped = structuredClone(event);
      for (const details of [stripped.stateEnteredEventDetails, stripped.executionStartedEventDetails] as Array<{ input?: string; inputDetails?: unknown } | undefined>) {
        if (details) delete details.input;
      }
      for (const details of [stripped.stateExitedEventDetails, stripped.executionSucceededEventDetails] as Array<{ output?: string } | undefined>) {
        if (details) delete details.output;
      }
      return stripped;
    });
    serve('no-data', 'SUCCEEDED', events);
    const { code, stdout } = await runCli(['follow', 'no-data'], { env, aws });
    expect(code).toBe(0);
    const ticks = stdout.split('\n').filter((line) => line.startsWith('✓'));
    expect(ticks).toEqual(['✓ ResolveRun', '✓ FindLedger', '✓ CheckRequiredInputs', '✓ PreviewGeneration', '✓ StartGeneration', '✓ VerifyBatches']);
    expect(lastLine(stdout)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: no ledger outcomes in the history to report\.$/);
  });

  it('truncated outputs are not parsed; what is whole still shows', async () => {
    const events = recordedHistory('success').map((event) => {
      const copy = structuredClone(event);
      const details = copy.stateExitedEventDetails;
      if (details?.name === 'PreviewGeneration' && details.output) {
        details.output = details.output.slice(0, 40);
        details.outputDetails = { truncated: true };
      }
      return copy;
    });
    serve('truncated', 'SUCCEEDED', events);
    const { code, stdout } = await runCli(['follow', 'truncated'], { env, aws });
    expect(code).toBe(0);
    expect(stdout).toContain('✓ PreviewGeneration\n');
    expect(stdout).toContain('✓ VerifyBatches: Net Carbon Removal 1/1, Biochar Produced 1/1 batches found');
    expect(lastLine(stdout)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: 2 batch\(es\) generated for 2025-03\.$/);
  });

  it('a retried task: one ↻ line with the attempt and the delay the history shows, then its ✓', async () => {
    const failure = { error: 'UpstreamUnavailableError', cause: JSON.stringify({ errorType: 'UpstreamUnavailableError', errorMessage: 'GET /ledgers answered HTTP 503' }) };
    const events = history([
      { type: 'ExecutionStarted', at: 0 },
      entered('Task', 'GroupLedgers', { plan: {} }),
      ...lambda('Failed', 100, failure),
      // Failed at 110, scheduled again 1.6 s later.
      ...lambda('Succeeded', 1_710),
      exited('Task', 'GroupLedgers', {
        grouping: { groups: [{ modelId: 'mdl_1', ledgers: [{ ref: 'Net Carbon Removal', id: 'lgr_1', name: 'Net Carbon Removal', unit: 't', modelId: 'mdl_1' }] }], unresolved: [], anyUnresolved: false },
      }),
      { type: 'ExecutionSucceeded', at: 2_000 },
    ]);
    serve('retried', 'SUCCEEDED', events);
    const { stdout } = await runCli(['follow', 'retried'], { env, aws });
    const lines = stdout.split('\n').filter((line) => /^[✓✗↻]/.test(line));
    expect(lines).toEqual([
      '↻ GroupLedgers: UpstreamUnavailableError: GET /ledgers answered HTTP 503; retry 1 in 1.6 s',
      '✓ GroupLedgers: 1 ledger(s) in 1 group(s) by model: "Net Carbon Removal" (lgr_1), model mdl_1',
    ]);
  });

  it('a caught failure: one ✗ line, no ✓ for the failed step, the status FAILED; exit 1', async () => {
    const failure = { error: 'LedgerHasNoModelError', cause: JSON.stringify({ errorType: 'LedgerHasNoModelError', errorMessage: 'ledger "Lab" has no model' }) };
    const events = history([
      { type: 'ExecutionStarted' },
      entered('Map', 'ForEachLedger'),
      { type: 'MapStateStarted', mapStateStartedEventDetails: { length: 1 } },
      { type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'ForEachLedger', index: 0 } },
      entered('Task', 'FindLedger', { ledgerRef: 'Lab' }),
      ...lambda('Failed', undefined, failure),
      exited('Task', 'FindLedger', { ledgerRef: 'Lab', failure: { Error: failure.error } }),
      entered('Pass', 'FindLedgerFailed'),
      exited('Pass', 'FindLedgerFailed', { ledger: { ref: 'Lab' }, outcome: 'failed', step: 'FindLedger', error: failure.error, cause: failure.cause }),
      { type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'ForEachLedger', index: 0 } },
      { type: 'MapStateSucceeded' },
      // Its output is lost to the 256 KB limit here: the iteration's own outcome still tells.
      exited('Map', 'ForEachLedger'),
      entered('Fail', 'RunFailed'),
      { type: 'ExecutionFailed', executionFailedEventDetails: { error: failure.error, cause: '"Lab" at FindLedger: ledger "Lab" has no model' } },
    ]);
    serve('caught', 'FAILED', events);
    const { code, stdout } = await runCli(['follow', 'caught'], { env, aws });
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((line) => /^[✓✗↻]/.test(line))).toEqual(['✗ FindLedger: LedgerHasNoModelError: ledger "Lab" has no model']);
    expect(stdout).toContain('"Lab": FAILED at FindLedger (LedgerHasNoModelError)');
    expect(lastLine(stdout)).toMatch(/^Execution FAILED after [\d.]+ s: 1 of 1 ledger\(s\) failed \(LedgerHasNoModelError\)\.$/);
  });

  it.each([
    ['ABORTED', { type: 'ExecutionAborted' } as Event, /^Execution ABORTED after [\d.]+ s: ExecutionAborted: the execution was stopped\.$/],
    ['TIMED_OUT', { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } } as Event, /^Execution TIMED_OUT after [\d.]+ s: States\.Timeout: the execution timed out\.$/],
  ])('an execution that ended %s says so last; exit 1', async (status, last, line) => {
    serve('ended', status, history([{ type: 'ExecutionStarted' }, entered('Task', 'ResolveRun'), last]));
    const { code, stdout } = await runCli(['follow', 'ended'], { env, aws });
    expect(code).toBe(1);
    expect(lastLine(stdout)).toMatch(line);
  });
});

describe('history reads executions of any definition', () => {
  it('an input the current schema refuses, an output of another shape, a failure without details: shown as far as known', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC('legacy'), stateMachineArn: SM, name: 'legacy', status: 'SUCCEEDED', startDate: new Date(T0) },
        { executionArn: EXEC('cut-short'), stateMachineArn: SM, name: 'cut-short', status: 'FAILED', startDate: new Date(T0) },
      ],
    });
    sfn
      .on(DescribeExecutionCommand, { executionArn: EXEC('legacy') })
      .resolves({ status: 'SUCCEEDED', startDate: new Date(T0), stopDate: new Date(T0 + 90_000), input: '{"month":"2025-03","legacyFlag":true}', output: '{"results":[{"outcome":"generated","verification":"n/a"}]}' })
      .on(DescribeExecutionCommand, { executionArn: EXEC('cut-short') })
      .resolves({ status: 'FAILED', startDate: new Date(T0), stopDate: new Date(T0 + 5_000) });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 3, type: 'ExecutionFailed', timestamp: new Date(T0), executionFailedEventDetails: {} }] });

    const { code, stdout } = await runCli(['history'], { env, aws });
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[1]).toMatch(/^legacy\s+\?\s+SUCCEEDED\s+2025-04-02T06:00:00Z\s+1m30s\s+generated$/);
    expect(lines[2]).toMatch(/^cut-short\s+\?\s+FAILED\s+2025-04-02T06:00:00Z\s+5\.0 s\s+FAILED: ExecutionFailed$/);
    expect(stdout).toContain('  cut-short: ExecutionFailed: no details were given');
  });
});

describe('a deployed portfolio run: the parent history holds the groups, their children the steps', () => {
  const WINDOW = { startTime: '2025-03-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-03' };
  const plan = { window: WINDOW, ledgers: ['Net Carbon Removal', 'Gross Removal', 'lgr_other'], slots: [{ month: null }] };
  const summary = (outcomes: Record<string, number>, batchesGenerated: number, failures: unknown[] = []) => ({
    ledgers: 1,
    outcomes,
    batchesGenerated,
    amounts: [],
    anyFailed: failures.length > 0,
    failed: failures.length,
    failures,
  });
  const parent = (results: unknown[], end: Event): HistoryEvent[] =>
    history([
      { type: 'ExecutionStarted' },
      entered('Task', 'ResolveRun'),
      exited('Task', 'ResolveRun', { plan }),
      entered('Task', 'GroupLedgers', { plan }),
      exited('Task', 'GroupLedgers', { plan, grouping: { groups: [], unresolved: [], unresolvedTotal: 0, anyUnresolved: false } }),
      entered('Map', 'ForEachGroup'),
      { type: 'MapRunStarted' },
      { type: 'MapRunSucceeded' },
      exited('Map', 'ForEachGroup', { plan, results }),
      end,
    ]);

  it('a success reports the groups’ counts and the batches they generated; exit 0', async () => {
    serve('portfolio', 'SUCCEEDED', parent([summary({ generated: 1 }, 2), summary({ 'already-generated': 1 }, 0)], { type: 'ExecutionSucceeded' }));
    const { code, stdout } = await runCli(['follow', 'portfolio'], { env, aws });
    expect(code).toBe(0);
    expect(stdout).toContain('2 group(s) of ledgers, each in a child execution of its own (the ForEachGroup map run in the console): 1 generated, 1 already-generated');
    expect(lastLine(stdout)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: 2 batch\(es\) generated for 2025-03\.$/);
  });

  it('a failure names the failures the summaries carry; exit 1', async () => {
    const failure = { ledger: { ref: 'Gross Removal', id: 'lgr_gross' }, step: 'GetGenerationStatus', error: 'GenerationFailedError', cause: 'Missing Transport Distance', window: { label: '2025-03' } };
    serve('portfolio-failed', 'FAILED', parent([summary({ generated: 1 }, 2), summary({ failed: 1 }, 0, [failure])], { type: 'ExecutionFailed', executionFailedEventDetails: { error: 'GenerationFailedError', cause: 'x' } }));
    const { code, stdout } = await runCli(['follow', 'portfolio-failed'], { env, aws });
    expect(code).toBe(1);
    expect(stdout).toContain('Gross Removal (lgr_gross): FAILED at GetGenerationStatus (GenerationFailedError)');
    expect(stdout).toContain('1 generated, 1 failed');
    expect(lastLine(stdout)).toMatch(/^Execution FAILED after [\d.]+ s: 1 of 2 ledger-month\(s\) failed \(GenerationFailedError\); 2 batch\(es\) generated for 2025-03\.$/);
  });

  it("follow reads each group's child execution: every ledger's steps and outcome, as a local run shows them", async () => {
    const MAP_RUN = `${SM.replace(':stateMachine:', ':mapRun:')}/ForEachGroup:run1`;
    const CHILD = `${SM.replace(':stateMachine:', ':execution:')}/Group:child1`;
    const ledgerState = { ledger: { ref: 'Net Carbon Removal', id: 'lgr_netremoval01', name: 'Net Carbon Removal', unit: 't', modelId: 'mdl_1' }, plan: { window: WINDOW } };
    const outcome = {
      ledger: ledgerState.ledger,
      window: WINDOW,
      outcome: 'generated',
      preview: { ledgers: [{ id: 'lgr_netremoval01', name: 'Net Carbon Removal', count: 1 }], total: 1, previewedAt: WINDOW.startTime, overdueAlert: false },
      generation: { outcome: 'started', taskId: 7 },
      verification: {
        ledgers: [
          {
            id: 'lgr_netremoval01',
            name: 'Net Carbon Removal',
            expected: 1,
            found: 1,
            batches: [{ id: 'bat_1', trackingId: 'Mar-2025-001', startTime: WINDOW.startTime, endTime: WINDOW.endTime, value: 61.12, unit: 't' }],
          },
        ],
      },
    };
    const parentEvents = parent([summary({ generated: 1 }, 1)], { type: 'ExecutionSucceeded' }).map((event) =>
      event.type === 'MapRunStarted' ? { ...event, mapRunStartedEventDetails: { mapRunArn: MAP_RUN } } : event,
    );
    const childEvents = history([
      { type: 'ExecutionStarted' },
      entered('Map', 'ForEachLedgerOfGroup'),
      { type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'ForEachLedgerOfGroup', index: 0 } },
      entered('Map', 'ForEachMonth'),
      { type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'ForEachMonth', index: 0 } },
      entered('Task', 'ReadLedgerMonths', ledgerState),
      ...lambda('Succeeded'),
      exited('Task', 'ReadLedgerMonths', { ...ledgerState, records: { months: [{ month: '2025-03', state: null, generated: false, batches: 0 }], allGenerated: false } }),
      entered('Pass', 'Generated', ledgerState),
      exited('Pass', 'Generated', outcome),
      { type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'ForEachMonth', index: 0 } },
      exited('Map', 'ForEachMonth'),
      { type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'ForEachLedgerOfGroup', index: 0 } },
      exited('Map', 'ForEachLedgerOfGroup'),
      { type: 'ExecutionSucceeded' },
    ]);
    serve('portfolio-children', 'SUCCEEDED', parentEvents);
    sfn.on(ListExecutionsCommand, { mapRunArn: MAP_RUN }).resolves({ executions: [{ executionArn: CHILD, stateMachineArn: SM, name: 'child1', status: 'SUCCEEDED', startDate: new Date(T0) }] });
    sfn.on(GetExecutionHistoryCommand, { executionArn: CHILD }).callsFake((input: { reverseOrder?: boolean; maxResults?: number }) => ({
      events: input.reverseOrder ? [...childEvents].reverse().slice(0, input.maxResults) : childEvents,
    }));

    const { code, stdout } = await runCli(['follow', 'portfolio-children'], { env, aws });
    expect(code).toBe(0);
    expect(stdout).toContain('✓ [Net Carbon Removal] ReadLedgerMonths: records: 2025-03 no record');
    expect(stdout).toContain('Net Carbon Removal (lgr_netremoval01): generated, preview 1');
    expect(stdout).toMatch(/Mar-2025-001\s+2025-03-01 to 2025-03-31\s+61\.120\s+t/);
    expect(stdout).not.toContain('group(s) of ledgers');
    expect(lastLine(stdout)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: 1 batch\(es\) generated for 2025-03\.$/);
  });
});
