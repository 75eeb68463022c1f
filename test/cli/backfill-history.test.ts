import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/shared/execution-name.js';
import { SCHEDULED, SM, fakeStepFunctions, operatorAws, serveRecentExecutions, sfn } from './stepfunctions.js';
import { runCli as runInProcess } from './support.js';

const runCli = (args: string[], env: NodeJS.ProcessEnv = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }) => runInProcess(args, { env, aws: operatorAws });

beforeEach(() => {
  sfn.reset();
});

/** What `start` and `backfill` name a month of lgr_abc: the ledger set's slug and hash, then the month. */
const abc = (month: string): string => executionName('manual', ['lgr_abc'], month);

describe('backfill', () => {
  it('runs one execution per month, oldest first, and prints a table', async () => {
    const world = fakeStepFunctions();
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-01', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(world.started).toEqual([abc('2024-11'), abc('2024-12'), abc('2025-01')]);
    expect(world.started[0]).toMatch(/^manual-lgr_abc-[0-9a-f]{8}-2024-11$/);
    expect(stdout.split('\n')[0]).toMatch(/^Month\s+Execution\s+Status\s+Outcome$/);
    expect(stdout).toMatch(new RegExp(`2024-12\\s+${abc('2024-12')}\\s+SUCCEEDED\\s+generated 2 batch\\(es\\)`));
  });

  it('re-running skips months already generated', async () => {
    const world = fakeStepFunctions([], { [abc('2024-11')]: 'SUCCEEDED' });
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2024-12', '--ledger', 'lgr_abc']);
    expect(code).toBe(0);
    expect(world.started).toEqual([abc('2024-12')]);
    expect(stdout).toMatch(new RegExp(`2024-11\\s+${abc('2024-11')}\\s+done earlier`));
  });

  it('stops at the first failure', async () => {
    const world = fakeStepFunctions(['2024-12']);
    const { code, stdout, stderr } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-01', '--ledger', 'lgr_abc']);
    expect(code).toBe(1);
    expect(world.started).toEqual([abc('2024-11'), abc('2024-12')]);
    expect(stdout).toMatch(new RegExp(`2024-12\\s+${abc('2024-12')}\\s+FAILED\\s+FAILED: GenerationFailedError`));
    expect(stdout).toMatch(/2025-01\s+-\s+not started/);
    expect(stderr).toContain('stopped after 2024-12 did not succeed');
  });

  it('--keep-going runs the rest, --concurrency runs months side by side', async () => {
    const world = fakeStepFunctions(['2024-11']);
    const { code, stdout } = await runCli(['backfill', '--from', '2024-11', '--to', '2025-02', '--ledger', 'lgr_abc', '--keep-going', '--concurrency', '2', '--json']);
    expect(code).toBe(1);
    expect([...world.started].sort()).toEqual([abc('2024-11'), abc('2024-12'), abc('2025-01'), abc('2025-02')]);
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
    serveRecentExecutions();
  });

  it('lists recent executions with window, status, start, duration and the failure', async () => {
    const { code, stdout } = await runCli(['history', '--limit', '3']);
    expect(code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toEqual({ stateMachineArn: SM, maxResults: 3 });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Name\s+Window\s+Status\s+Started\s+Duration\s+Outcome$/);
    // A scheduled fire reconciles the last three months (cdk.json lookbackMonths), not one.
    expect(lines[1]).toMatch(new RegExp(`^${SCHEDULED}\\s+2025-02\\.\\.2025-04\\s+RUNNING\\s+2026-11-23T09:58:30Z\\s+running 1m30s$`));
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
