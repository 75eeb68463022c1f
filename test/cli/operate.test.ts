import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/shared/execution-name.js';
import { EXEC, NOW, SM, operatorAws, replay, sfn } from './stepfunctions.js';
import { runCli as runInProcess, recorded } from './support.js';

const runCli = (args: string[], env: NodeJS.ProcessEnv = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }) => runInProcess(args, { env, aws: operatorAws });

beforeEach(() => {
  sfn.reset();
});

// The names `start` gives: the ledger set's slug and hash, then the month (and a suffix on purpose).
const NET = executionName('manual', ['Net Carbon Removal'], '2025-03');
const ABC = executionName('manual', ['lgr_abc'], '2025-03');

describe('start', () => {
  it('starts the month under its deterministic name with the configured ledgers', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXEC('x'), startDate: new Date(NOW) });
    const { code, stdout } = await runCli(['start', '--month', '2025-03']);

    expect(code).toBe(0);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call?.args[0].input).toMatchObject({ stateMachineArn: SM, name: NET });
    expect(JSON.parse(call?.args[0].input.input ?? '{}')).toEqual({ source: 'manual', ledgers: ['Net Carbon Removal'], month: '2025-03' });
    expect(stdout).toBe(
      `Started ${NET}\n` + `  https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXEC(NET)}\n`,
    );
  });

  it('the same request twice is refused by Step Functions and says what exists', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', startDate: new Date('2025-04-02T06:00:03Z') });
    const { code, stdout } = await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc']);

    expect(code).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(stdout).toContain(`Not started: execution ${ABC} already exists (SUCCEEDED, started 2025-04-02T06:00:03.000Z)`);
    expect(stdout).toContain(`#/v2/executions/details/${EXEC(ABC)}`);
  });

  it('retries a month whose earlier execution failed under the next attempt name', async () => {
    sfn
      .on(StartExecutionCommand, { name: ABC })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }))
      .on(StartExecutionCommand, { name: `${ABC}-r2` })
      .resolves({ executionArn: EXEC(`${ABC}-r2`) });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' });
    const { code, stdout } = await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Started ${ABC}-r2 (the previous attempt ${ABC} ended FAILED)`);
  });

  it('--force and --dry-run use new names on purpose', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc', '--force']);
    await runCli(['start', '--month', '2025-03', '--ledger', 'lgr_abc', '--dry-run']);
    const [forced, dry] = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
    expect(forced?.name).toBe(`${ABC}-force-20261123T100000`);
    expect(JSON.parse(forced?.input ?? '{}')).toMatchObject({ force: true });
    expect(dry?.name).toBe(executionName('dryrun', ['lgr_abc'], '2025-03', '20261123T100000'));
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

