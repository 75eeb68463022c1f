import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionName, ledgerSetSlug } from '../../functions/shared/execution-name.js';
import { InvalidInputError } from '../../functions/shared/errors.js';
import { startScheduledRun, type ScheduledStarterDeps } from '../../functions/start-scheduled-run/handler.js';
import type { LocalRunResult } from '../../local/runner/run-locally.js';
import { type Simulator } from '../../local/simulator/index.js';
import { runWorkflow, TEST_DEFAULTS } from '../support/harness.js';
import { useSimulator } from '../support/simulator.js';
import { useRecordStore } from '../support/records.js';

// Step Functions cannot run here: the mock stands in for StartExecution, including its one rule
// that matters here (a name is accepted once), and runs each accepted execution locally.
const sfn = mockClient(SFNClient);
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilot';

let sim: Simulator;
let runs: Array<Promise<LocalRunResult>>;

useRecordStore();
useSimulator({ taskTiming: { pendingMs: 20, perBatchMs: 10 } }, { onStart: (started) => (sim = started) });
beforeEach(() => {
  sfn.reset();
  runs = [];
  // As Step Functions does for a STANDARD machine: same name and input → the existing execution;
  // same name, other input → refused. Either way no second execution runs.
  const accepted = new Map<string, string>();
  sfn.on(StartExecutionCommand).callsFake(async (input: { name: string; input: string; stateMachineArn: string }) => {
    const existing = accepted.get(input.name);
    if (existing === input.input) return { executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date() };
    if (existing !== undefined) {
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${input.name}'`, $metadata: {} });
    }
    accepted.set(input.name, input.input);
    runs.push(runWorkflow(sim, JSON.parse(input.input), { executionName: input.name }));
    return { executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date() };
  });
});

const HASH = ledgerSetSlug(['Net Carbon Removal']).slice(-8);
const deps = (): ScheduledStarterDeps => ({ sfn: new SFNClient({ region: 'eu-west-1' }), stateMachineArn: STATE_MACHINE_ARN, defaults: TEST_DEFAULTS });

describe('the scheduled starter', () => {
  it('names the execution after the day it fired, with a hash of the ledger set', async () => {
    const started = await startScheduledRun({ scheduledTime: '2025-04-02T06:00:00Z' }, deps());
    expect(started).toEqual({
      executionName: `scheduled-net-carbon-removal-${HASH}-2025-04-02`,
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:BatchAutopilot:scheduled-net-carbon-removal-${HASH}-2025-04-02`,
      started: true,
    });
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(JSON.parse(call?.args[0].input.input ?? '{}')).toEqual({ source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z', ledgers: ['Net Carbon Removal'] });
    await Promise.all(runs);
  });

  it('delivered twice at once, reconciles once: each month of the lookback generated exactly once', async () => {
    const event = { scheduledTime: '2025-04-02T06:00:00Z' };
    const [first, second] = await Promise.all([startScheduledRun(event, deps()), startScheduledRun(event, deps())]);
    const results = await Promise.all(runs);

    expect(first?.executionName).toBe(second?.executionName);
    expect(results.map((result) => result.status)).toEqual(['SUCCEEDED']);
    // January, February and March 2025 have data in the demo seed: one POST each.
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(3);
    expect(sim.tasks()).toHaveLength(3);
  });

  it("the next day's fire is a new reconciliation that finds every month generated: no POST, no Mangrove call for them", async () => {
    await startScheduledRun({ scheduledTime: '2025-04-02T06:00:00Z' }, deps());
    await Promise.all(runs);
    runs = [];
    const calls = Object.values(sim.callCounts()).reduce((sum, count) => sum + (count ?? 0), 0);

    const next = await startScheduledRun({ scheduledTime: '2025-04-03T06:00:00Z' }, deps());
    const [result] = await Promise.all(runs);

    expect(next).toMatchObject({ started: true, executionName: `scheduled-net-carbon-removal-${HASH}-2025-04-03` });
    expect(result?.status).toBe('SUCCEEDED');
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(3);
    // One ledger lookup for the run (GroupLedgers); the records answer every month.
    expect(Object.values(sim.callCounts()).reduce((sum, count) => sum + (count ?? 0), 0) - calls).toBe(1);
  });

  it('a redelivery whose input differs is refused by name and ignored', async () => {
    await startScheduledRun({ scheduledTime: '2025-04-02T06:00:00Z' }, deps());
    // Same day in the zone, so the same name, but another scheduled time.
    const late = await startScheduledRun({ scheduledTime: '2025-04-02T06:00:05Z' }, deps());
    expect(late.started).toBe(false);
    await Promise.all(runs);
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(3);
  });

  it('takes the day in the configured time zone', async () => {
    const started = await startScheduledRun({ scheduledTime: '2025-03-31T22:30:00Z' }, { ...deps(), defaults: { ...TEST_DEFAULTS, timeZone: 'Europe/Berlin' } });
    expect(started.executionName).toBe(`scheduled-net-carbon-removal-${HASH}-2025-04-01`);
    await Promise.all(runs);
  });

  it('refuses an event without the schedule time', async () => {
    await expect(startScheduledRun({}, deps())).rejects.toBeInstanceOf(InvalidInputError);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('execution names', () => {
  it('are deterministic per ledger set and month, whatever the order', () => {
    expect(executionName('manual', ['lgr_b', 'lgr_a', 'lgr_b'], '2025-03')).toMatch(/^manual-lgr_a--lgr_b-[0-9a-f]{8}-2025-03$/);
    expect(executionName('manual', ['lgr_b', 'lgr_a'], '2025-03')).toBe(executionName('manual', ['lgr_a', 'lgr_b', 'lgr_a'], '2025-03'));
  });

  it('carry a hash of the exact ledger set, so sets that slug alike never share a name', () => {
    expect(executionName('manual', ['二酸化炭素'], '2025-03')).not.toBe(executionName('manual', ['除去量'], '2025-03'));
    expect(executionName('manual', ['Biochar – Site A'], '2025-03')).not.toBe(executionName('manual', ['Biochar - Site A'], '2025-03'));
    expect(executionName('manual', ['Biochar – Site A'], '2025-03')).toMatch(/^manual-biochar-site-a-[0-9a-f]{8}-2025-03$/);
  });

  it('stay within 80 valid characters for long ledger sets', () => {
    const many = Array.from({ length: 12 }, (_, index) => `Ledger number ${index} with a long name`);
    const name = executionName('scheduled', many, '2025-03', 'r2');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^scheduled-[a-z0-9_-]{1,32}-[0-9a-f]{8}-2025-03-r2$/);
    expect(name).toBe(executionName('scheduled', [...many].reverse(), '2025-03', 'r2'));
    expect(name).not.toBe(executionName('scheduled', many.slice(1), '2025-03', 'r2'));
  });
});
