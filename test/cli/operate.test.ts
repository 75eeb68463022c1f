import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../cli/main.js';

// Step Functions is the one thing that cannot run here: every command talks to this mock.
const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilotStateMachine';
const EXEC = (name: string): string => `arn:aws:states:eu-west-1:123456789012:execution:BatchAutopilotStateMachine:${name}`;
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: NodeJS.ProcessEnv = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await cli(
    args,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env, interactive: false },
    { sfnFor: () => new SFNClient({ region: 'eu-west-1' }), sleep: async () => {}, now: () => NOW },
  );
  return { code, stdout, stderr };
}

interface RecordedExecution {
  stateMachineArn: string;
  name: string;
  input: unknown;
  events: Array<Omit<HistoryEvent, 'timestamp'> & { timestamp: string }>;
}

function recorded(kind: 'success' | 'failure' | 'timeout'): RecordedExecution {
  return JSON.parse(readFileSync(new URL(`../fixtures/sfn-history-${kind}.json`, import.meta.url), 'utf8')) as RecordedExecution;
}

const asHistory = (execution: RecordedExecution): HistoryEvent[] =>
  execution.events.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }) as HistoryEvent);

/**
 * Serves a recorded execution as Step Functions would while it runs: each DescribeExecution is one
 * poll, and the history grows with the polls until the recorded end.
 */
function replay(execution: RecordedExecution, finalStatus: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT', polls = 3): void {
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

beforeEach(() => {
  sfn.reset();
});

describe('start', () => {
  it('starts the month under its deterministic name with the configured ledgers', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXEC('x'), startDate: new Date(NOW) });
    const { code, stdout } = await runCli(['start', '--month', '2025-03']);

    expect(code).toBe(0);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call?.args[0].input).toMatchObject({ stateMachineArn: SM, name: 'manual-net-carbon-removal-2025-03' });
    expect(JSON.parse(call?.args[0].input.input ?? '{}')).toEqual({ source: 'manual', ledgers: ['Net Carbon Removal'], month: '2025-03' });
    expect(stdout).toBe(
      'Started manual-net-carbon-removal-2025-03\n' +
        `  https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXEC('manual-net-carbon-removal-2025-03')}\n`,
    );
  });

  it('the same request twice is refused by Step Functions and says what exists', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date('2025-04-02T06:00:03Z') });
    const { code, stdout } = await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc']);

    expect(code).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(stdout).toContain('Not started: execution manual-lgr_abc-2025-03 already exists (SUCCEEDED, started 2025-04-02T06:00:03.000Z)');
    expect(stdout).toContain(`#/v2/executions/details/${EXEC('manual-lgr_abc-2025-03')}`);
  });

  it('retries a month whose earlier execution failed under the next attempt name', async () => {
    sfn
      .on(StartExecutionCommand, { name: 'manual-lgr_abc-2025-03' })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }))
      .on(StartExecutionCommand, { name: 'manual-lgr_abc-2025-03-r2' })
      .resolves({ executionArn: EXEC('manual-lgr_abc-2025-03-r2') });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' });
    const { code, stdout } = await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(stdout).toContain('Started manual-lgr_abc-2025-03-r2 (the previous attempt manual-lgr_abc-2025-03 ended FAILED)');
  });

  it('--force and --dry-run use new names on purpose', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc', '--force']);
    await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc', '--dry-run']);
    const [forced, dry] = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(forced?.name).toBe('manual-lgr_abc-2025-03-force-20261123T100000');
    expect(JSON.parse(forced?.input ?? '{}')).toMatchObject({ force: true });
    expect(dry?.name).toBe('dryrun-lgr_abc-2025-03-20261123T100000');
    expect(JSON.parse(dry?.input ?? '{}')).toMatchObject({ dryRun: true });
  });

  it('--follow follows the started execution to its end', async () => {
    const execution = recorded('success');
    sfn.on(StartExecutionCommand).resolves({});
    replay(execution, 'SUCCEEDED');
    const { code, stdout } = await runCli(['start', '--month', '2025-03', '--follow']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ VerifyBatches');
    expect(stdout).toMatch(/Mar-2025-001\s+2025-03-01 to 2025-03-31\s+61\.120\s+t/);
  });

  it.each([
    [['start', '--month', '2025-13'], /--month: expected a month as YYYY-MM/],
    [['start'], /--month: expected the month/],
    [['start', '--month', '2099-01'], /--month: expected a window that is over by now/],
  ])('bad usage %j: exit 2 before any AWS call', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('AWS problems end in one line that says what to fix, exit 2', () => {
  const credentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/ops is not authorized to perform: states:StartExecution on resource: x'), {
    name: 'AccessDeniedException',
  });
  const offline = Object.assign(new Error('getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' });
  const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' });

  it.each([
    ['no credentials', credentials, /no AWS credentials found: set AWS_PROFILE/],
    ['expired credentials', expired, /AWS rejected the credentials \(ExpiredTokenException\): refresh them/],
    ['wrong region / no such state machine', new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} }), /no state machine arn:.* in eu-west-1: check the ARN's region and account/],
    ['access denied', denied, /access denied for states:StartExecution on arn:aws:states/],
    ['no network', offline, /cannot reach AWS Step Functions in eu-west-1 \(ENOTFOUND\)/],
  ])('%s', async (_, error, message) => {
    sfn.on(StartExecutionCommand).rejects(error);
    const { code, stderr, stdout } = await runCli(['start', '--month', '2025-03']);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('no state machine configured anywhere', async () => {
    const { code, stderr } = await runCli(['history'], {});
    expect(code).toBe(2);
    expect(stderr).toBe(
      'batch-autopilot: --state-machine-arn: no state machine given: pass it, set BATCH_AUTOPILOT_STATE_MACHINE_ARN, or deploy with "npm run deploy" (it writes cdk-outputs.json); see batch-autopilot history --help\n',
    );
  });

  it('a malformed ARN', async () => {
    const { code, stderr } = await runCli(['history', '--state-machine-arn', 'BatchAutopilot']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--state-machine-arn: expected a state machine ARN/);
  });
});

describe('follow, driven by recorded histories', () => {
  it('a successful execution: steps, progress, the batch table; exit 0', async () => {
    const execution = recorded('success');
    replay(execution, 'SUCCEEDED');
    const { code, stdout } = await runCli(['follow', EXEC(execution.name)]);

    expect(code).toBe(0);
    const steps = stdout.split('\n').filter((line) => line.startsWith('✓')).map((line) => line.split(':')[0]);
    expect(steps).toEqual(['✓ ResolveRun', '✓ FindLedger', '✓ CheckRequiredInputs', '✓ PreviewGeneration', '✓ StartGeneration', '✓ VerifyBatches']);
    expect(stdout).toMatch(/generation (pending|running) \d+%/);
    expect(stdout).toContain('Net Carbon Removal (lgr_netremoval01): generated, preview 1');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^Execution SUCCEEDED in [\d.]+ s: 2 batch\(es\) generated for 2025-03\.$/);
    // Polled until the end, then stopped.
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(3);
  });

  it('a failed execution: the failing step and Mangrove’s message; exit 1', async () => {
    const execution = recorded('failure');
    replay(execution, 'FAILED');
    const { code, stdout } = await runCli(['follow', execution.name]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ GetGenerationStatus: GenerationFailedError: Missing Transport Distance for Feb 2025\n');
    expect(stdout).toContain('Net Carbon Removal (lgr_netremoval01): FAILED at GetGenerationStatus (GenerationFailedError)');
    expect(stdout.split('Missing Transport Distance')).toHaveLength(2);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^Execution FAILED after [\d.]+ s: 1 of 1 ledger\(s\) failed \(GenerationFailedError\)\.$/);
  });

  it('a timed-out execution; exit 1', async () => {
    const execution = recorded('timeout');
    replay(execution, 'TIMED_OUT');
    const { code, stdout } = await runCli(['follow', EXEC(execution.name)]);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^Execution TIMED_OUT after [\d.]+ s: States\.Timeout: The execution timed out after 10800 seconds\.$/);
    expect(stdout).toContain('✓ StartGeneration');
  });
});

describe('backfill', () => {
  /** A small Step Functions: names are unique, each execution finishes on its second look. */
  function fakeStepFunctions(failing: string[] = [], existing: Record<string, string> = {}): { started: string[] } {
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

  it('runs one execution per month, oldest first, and prints a table', async () => {
    const world = fakeStepFunctions();
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-01', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(world.started).toEqual(['manual-lgr_abc-2024-11', 'manual-lgr_abc-2024-12', 'manual-lgr_abc-2025-01']);
    expect(stdout.split('\n')[0]).toMatch(/^Month\s+Execution\s+Status\s+Outcome$/);
    expect(stdout).toMatch(/2024-12\s+manual-lgr_abc-2024-12\s+SUCCEEDED\s+generated 2 batch\(es\)/);
  });

  it('re-running skips months already generated', async () => {
    const world = fakeStepFunctions([], { 'manual-lgr_abc-2024-11': 'SUCCEEDED' });
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2024-12', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(world.started).toEqual(['manual-lgr_abc-2024-12']);
    expect(stdout).toMatch(/2024-11\s+manual-lgr_abc-2024-11\s+done earlier/);
  });

  it('stops at the first failure', async () => {
    const world = fakeStepFunctions(['2024-12']);
    const { code, stdout, stderr } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-01', '--ledger', 'lgr_abc']);
    expect(code).toBe(1);
    expect(world.started).toEqual(['manual-lgr_abc-2024-11', 'manual-lgr_abc-2024-12']);
    expect(stdout).toMatch(/2024-12\s+manual-lgr_abc-2024-12\s+FAILED\s+FAILED: GenerationFailedError/);
    expect(stdout).toMatch(/2025-01\s+-\s+not started/);
    expect(stderr).toContain('stopped after 2024-12 did not succeed');
  });

  it('--keep-going runs the rest, --concurrency runs months side by side', async () => {
    const world = fakeStepFunctions(['2024-11']);
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-02', '--ledger', 'lgr_abc', '--keep-going', '--concurrency', '2', '--json']);
    expect(code).toBe(1);
    expect([...world.started].sort()).toEqual(['manual-lgr_abc-2024-11', 'manual-lgr_abc-2024-12', 'manual-lgr_abc-2025-01', 'manual-lgr_abc-2025-02']);
    const rows = JSON.parse(stdout) as Array<{ month: string; status: string }>;
    expect(rows.map((row) => [row.month, row.status])).toEqual([
      ['2024-11', 'FAILED'],
      ['2024-12', 'SUCCEEDED'],
      ['2025-01', 'SUCCEEDED'],
      ['2025-02', 'SUCCEEDED'],
    ]);
  });

  it('checks every month before starting any', async () => {
    const { code, stderr } = await runCli(['backfill', '--from', '2026-10', '--to', '2026-12', '--ledger', 'lgr_abc']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--month: expected a window that is over by now/);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('history', () => {
  beforeEach(() => {
    const success = recorded('success');
    const failure = recorded('failure');
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC('scheduled-net-carbon-removal-2025-04'), stateMachineArn: SM, name: 'scheduled-net-carbon-removal-2025-04', status: 'RUNNING', startDate: new Date(NOW - 90_000) },
        { executionArn: EXEC(failure.name), stateMachineArn: SM, name: failure.name, status: 'FAILED', startDate: new Date('2025-04-02T06:00:03Z') },
        { executionArn: EXEC(success.name), stateMachineArn: SM, name: success.name, status: 'SUCCEEDED', startDate: new Date('2025-04-01T06:00:03Z') },
      ],
    });
    sfn
      .on(DescribeExecutionCommand, { executionArn: EXEC('scheduled-net-carbon-removal-2025-04') })
      .resolves({ status: 'RUNNING', startDate: new Date(NOW - 90_000), input: JSON.stringify({ source: 'schedule', scheduledTime: '2025-05-02T06:00:00Z' }) })
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
  });

  it('lists recent executions with window, status, start, duration and the failure', async () => {
    const { code, stdout } = await runCli(['history', '--limit', '3']);
    expect(code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toEqual({ stateMachineArn: SM, maxResults: 3 });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Name\s+Window\s+Status\s+Started\s+Duration\s+Outcome$/);
    expect(lines[1]).toMatch(/^scheduled-net-carbon-removal-2025-04\s+2025-04\s+RUNNING\s+2026-11-23T09:58:30Z\s+running 1m30s$/);
    expect(lines[2]).toMatch(/^manual-net-carbon-removal-2025-02\s+2025-02\s+FAILED\s+2025-04-02T06:00:03Z\s+1m07s\s+FAILED: GenerationFailedError$/);
    expect(lines[3]).toMatch(/^manual-net-carbon-removal-2025-03\s+2025-03\s+SUCCEEDED\s+2025-04-01T06:00:03Z\s+3m30s\s+generated 2 batch\(es\)$/);
    expect(stdout).toMatch(/Failures:\n {2}manual-net-carbon-removal-2025-02: GenerationFailedError: "Net Carbon Removal" \(lgr_netremoval01\) at GetGenerationStatus: Missing Transport Distance for Feb 2025/);
  });

  it('--json gives the same rows as data', async () => {
    const { code, stdout } = await runCli(['history', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ name: 'manual-net-carbon-removal-2025-02', window: '2025-02', status: 'FAILED', error: 'GenerationFailedError' });
    expect(rows[2]).toMatchObject({ status: 'SUCCEEDED', duration: '3m30s', error: null });
  });
});
