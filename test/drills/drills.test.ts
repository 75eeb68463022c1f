import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, ExecutionAlreadyExists as SfnExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerTokenSource, StaticTokenSource, type TokenSource } from '../../functions/shared/token-source.js';
import { startScheduledRun } from '../../functions/start-scheduled-run/handler.js';
import { cli } from '../../cli/main.js';
import { localDefinition } from '../../local/runner/definition.js';
import { runLocally, type LocalRunResult } from '../../local/runner/run-locally.js';
import { DEMO_LEDGERS, demoSeed, startSimulator, type Simulator } from '../../local/simulator/index.js';
import { ledgerResults, TEST_DEFAULTS } from '../support/harness.js';
import { BAD_INPUT_DRILLS, DRILL_MONTH, FAULT_DRILLS, failureModesTable, type FaultDrill } from './fault-drills.js';
import { currentRecords, useRecordStore } from '../support/records.js';

// Distinctive tokens: any leak into a log, alert, error or output is unmistakable.
const TOKEN = 'mgv_live_DRILL_SECRET_5b9e2c';
const READ_ONLY_TOKEN = 'mgv_ro_DRILL_SECRET_77aa';
const REVOKED_TOKEN = 'mgv_revoked_DRILL_SECRET_0c1d';
const SECRETS = [TOKEN, READ_ONLY_TOKEN, REVOKED_TOKEN];
const NCR = DEMO_LEDGERS.netCarbonRemoval;

let sim: Simulator;
/** Mangrove's own clock: moved an hour on after each drilled run, so every task that can finish has. */
let mangroveSkewMs = 0;
/** Everything the drills let out: events, outputs, alerts, logs, CLI text. Scanned for the token at the end. */
const captured: string[] = [];
// The ledger-month records, shared by every run of a drill as the DynamoDB table is in AWS; fresh per drill.
useRecordStore();
/** What each drill measured, printed for the closing note. */
const measured: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  localDefinition();
  sim = await startSimulator({
    tokens: { [TOKEN]: 'read-write', [READ_ONLY_TOKEN]: 'read-only' },
    taskTiming: { pendingMs: 15, perBatchMs: 10 },
    now: () => Date.now() + mangroveSkewMs,
  });
});



afterAll(async () => {
  await sim.close();
  // Measured figures for a closing note, on request only: `npm test` keeps stdout for results.
  if (process.env.DRILL_REPORT) {
    process.stderr.write(`\nDrill results (${measured.length} runs):\n${measured.map((row) => `  ${JSON.stringify(row)}`).join('\n')}\n`);
  }
});

interface DrillRun {
  result: LocalRunResult;
  logs: string[];
}

async function runDrill(
  input: Record<string, unknown>,
  options: { tokens?: TokenSource; wrapTask?: FaultDrill['wrapTask']; executionName?: string } = {},
): Promise<DrillRun> {
  const logs: string[] = [];
  let skewMs = 0;
  const context = { advanceClock: (ms: number) => (skewMs += ms) };
  const result = await runLocally({
    definition: localDefinition(),
    input: withDefaults(input),
    executionName: options.executionName ?? 'drill',
    runtime: {
      tokens: options.tokens ?? new StaticTokenSource(TOKEN),
      // Backoff and Retry-After waits are recorded, not slept: the drill is about what happens, not how long.
      client: { baseUrl: sim.url, timeoutMs: 250, retry: { baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {} },
      defaults: () => TEST_DEFAULTS,
      records: () => currentRecords(),
      now: () => Date.now() + skewMs,
      log: (line) => logs.push(line),
    },
    waitMs: 10,
    retryIntervalMs: 1,
    wrapTask: options.wrapTask ? (state, _input, invoke) => (options.wrapTask as NonNullable<FaultDrill['wrapTask']>)(state, context, invoke) : undefined,
  });
  captured.push(JSON.stringify(result.events), JSON.stringify(result.alerts), inspect(result, { depth: 20 }), ...logs);
  // Whatever the run left running in Mangrove finishes now, so the batches counted are final.
  mangroveSkewMs += 3_600_000;
  return { result, logs };
}

/** The drilled month of Net Carbon Removal, unless the drill names its own window or ledgers. */
function withDefaults(input: Record<string, unknown>): Record<string, unknown> {
  const window = ['month', 'from', 'to', 'startTime', 'endTime'].some((field) => field in input) ? {} : { month: DRILL_MONTH };
  return { ledgers: ['Net Carbon Removal'], ...window, ...input };
}

function ncrBatchesInMonth(): Array<{ tracking_id: string; start_time: string; end_time: string }> {
  return (sim.batches(NCR) as Array<{ tracking_id: string; start_time: string; end_time: string }>).filter((batch) =>
    batch.tracking_id.startsWith('Mar-2025'),
  );
}

function tokensFor(drill: FaultDrill): TokenSource {
  if (drill.token === 'revoked') return new StaticTokenSource(REVOKED_TOKEN);
  if (drill.token === 'read-only') return new StaticTokenSource(READ_ONLY_TOKEN);
  return new StaticTokenSource(TOKEN);
}

describe('fault drills: each row a whole run of the deployed definition', () => {
  it.each(FAULT_DRILLS.map((drill) => [drill.fault, drill] as const))('%s', async (_, drill) => {
    // Prepare
    const seed = drill.input?.timeZone === 'Europe/Berlin' ? { ...demoSeed(), project: { ...demoSeed().project, timeZone: 'Europe/Berlin' } } : undefined;
    sim.reset(seed);
    if (drill.runBefore) expect((await runDrill(drill.input ?? {})).result.status).toBe('SUCCEEDED');
    drill.arrange?.(sim);

    // Act
    const { result } = await runDrill(drill.input ?? {}, { tokens: tokensFor(drill), wrapTask: drill.wrapTask });

    // Assess: the ending
    if (drill.outcome === 'succeeded') {
      expect(result.status === 'FAILED' ? `${result.error}: ${result.cause}` : result.status).toBe('SUCCEEDED');
      expect(result.alerts).toEqual([]);
    } else {
      expect(result.status).toBe('FAILED');
      expect(result.status === 'FAILED' && result.error).toBe(drill.outcome);
      // One alert a person can act on: which ledger, which month, which step, what to do.
      expect(result.alerts).toHaveLength(1);
      const message = result.alerts[0]?.message ?? '';
      for (const text of ['Net Carbon Removal', DRILL_MONTH, 'Failed step:', 'What to do:', `Error: ${drill.outcome}`, ...(drill.alertSays ?? [])]) {
        expect(message).toContain(text);
      }
    }
    // Assess: nothing generated twice, no month silently skipped
    const batches = ncrBatchesInMonth();
    expect(sim.tasks()).toHaveLength(drill.tasks);
    expect(batches).toHaveLength(drill.batches);
    expect(batches.filter((batch) => !batch.tracking_id.endsWith('-001'))).toEqual([]);
    if (result.status === 'SUCCEEDED') expect(batches.length).toBeGreaterThan(0);
    if (drill.input?.timeZone === 'Europe/Berlin') {
      expect(batches.map((batch) => [batch.start_time, batch.end_time])).toEqual([['2025-02-28T23:00:00.000Z', '2025-03-31T21:59:59.000Z']]);
    }

    measured.push({
      fault: drill.fault,
      run: result.status === 'SUCCEEDED' ? 'succeeded' : result.error,
      calls: sim.requests.length,
      posts: sim.callCounts()['POST /ledgers/:id/batch_generations'] ?? 0,
      tasks: sim.tasks().length,
      batches: batches.length,
      states: result.events.filter((event) => event.type === 'StateEntered').length,
    });
  });

  /**
   * Step Functions' StartExecution as it behaves for a STANDARD state machine: a new name starts an
   * execution; the same name with the same input is idempotent (answers with the existing one); the
   * same name with another input is refused. Each execution it starts runs locally.
   */
  function stepFunctionsRunningLocally(): { runs: Array<Promise<DrillRun>>; restore: () => void } {
    const sfn = mockClient(SFNClient);
    const accepted = new Map<string, string>();
    const runs: Array<Promise<DrillRun>> = [];
    sfn.on(StartExecutionCommand).callsFake((request: { name: string; input: string }) => {
      const existing = accepted.get(request.name);
      if (existing === request.input) return { executionArn: request.name };
      if (existing !== undefined) throw new SfnExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
      accepted.set(request.name, request.input);
      runs.push(runDrill(JSON.parse(request.input) as Record<string, unknown>, { executionName: request.name }));
      return { executionArn: request.name };
    });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: new Date() });
    return { runs, restore: () => sfn.restore() };
  }

  const operatorIo = (outputs: string[]) => ({
    stdout: (text: string) => outputs.push(text),
    stderr: (text: string) => outputs.push(text),
    env: { BATCH_AUTOPILOT_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilot' },
    interactive: false,
  });
  const operatorAws = { sfnFor: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, now: () => Date.now() };

  it('the same month started twice at once runs once (one execution name)', async () => {
    sim.reset();
    const stepFunctions = stepFunctionsRunningLocally();
    const outputs: string[] = [];
    const start = () => cli(['start', '--month', DRILL_MONTH, '--ledger', 'Net Carbon Removal'], operatorIo(outputs), operatorAws);
    const codes = await Promise.all([start(), start()]);
    const results = await Promise.all(stepFunctions.runs);
    stepFunctions.restore();
    captured.push(...outputs);

    expect(codes).toEqual([0, 0]);
    expect(results.map((run) => run.result.status)).toEqual(['SUCCEEDED']);
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(1);
    expect(ncrBatchesInMonth()).toHaveLength(1);
  });

  it('the same month started at once under different names (scheduled, manual by id) is generated once', async () => {
    sim.reset();
    const stepFunctions = stepFunctionsRunningLocally();
    const outputs: string[] = [];
    const sfnClient = new SFNClient({ region: 'eu-west-1' });
    const defaults = { ...TEST_DEFAULTS, ledgers: ['Net Carbon Removal'] };
    await Promise.all([
      startScheduledRun({ scheduledTime: '2025-04-02T06:00:00Z' }, { sfn: sfnClient, stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilot', defaults }),
      cli(['start', '--month', DRILL_MONTH, '--ledger', NCR], operatorIo(outputs), operatorAws),
      cli(['start', '--month', DRILL_MONTH, '--ledger', DEMO_LEDGERS.biocharProduced], operatorIo(outputs), operatorAws),
    ]);
    const results = await Promise.all(stepFunctions.runs);
    stepFunctions.restore();
    captured.push(...outputs);

    // Three executions, three names; the ledger-month records let one of them POST.
    expect(results).toHaveLength(3);
    expect(results.map((run) => run.result.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(1);
    const outcomes = results.map((run) => (run.result.status === 'SUCCEEDED' ? ledgerResults(run.result)[0]?.outcome : 'failed'));
    expect(outcomes.filter((outcome) => outcome === 'generated')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'generating-elsewhere' || outcome === 'already-generated')).toHaveLength(2);
    expect(ncrBatchesInMonth()).toHaveLength(1);
  });

  it('a rotated token is picked up after one 401, without a redeploy', async () => {
    sim.reset();
    // The cached token was revoked; the secret already holds the new one.
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: REVOKED_TOKEN }).resolves({ SecretString: TOKEN });
    const tokens = new SecretsManagerTokenSource({ secretId: 'batch-autopilot/mangrove-api-token', client: new SecretsManagerClient({ region: 'eu-west-1' }) });
    const { result, logs } = await runDrill({}, { tokens });
    secrets.restore();

    expect(result.status).toBe('SUCCEEDED');
    expect(sim.requests.filter((request) => request.status === 401)).toHaveLength(1);
    expect(logs.some((line) => line.includes('retrying once with the freshly fetched token'))).toBe(true);
    expect(ncrBatchesInMonth()).toHaveLength(1);
  });
});

describe('bad input fails before any POST, naming the field and what was expected', () => {
  it.each(BAD_INPUT_DRILLS.map((drill) => [drill.what, drill] as const))('%s', async (_, drill) => {
    sim.reset();
    const { result } = await runDrill(drill.input);
    expect(result.status).toBe('FAILED');
    expect(result.status === 'FAILED' && result.error).toBe(drill.error);
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]?.message).toMatch(drill.says);
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations'] ?? 0).toBe(0);
    expect(sim.tasks()).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('the token appears in nothing the drills captured', () => {
    expect(captured.length).toBeGreaterThan(50);
    const everything = captured.join('\n');
    for (const secret of SECRETS) expect(everything.includes(secret), secret).toBe(false);
  });
});

describe('the README', () => {
  it('shows the failure-modes table these drills are', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(failureModesTable());
  });
});
