/**
 * `status` on a local state directory: real records (dynalite on disk), names looked up in the
 * simulator over loopback, a fixed clock for what is due and what is overdue.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsDeps } from '../../cli/aws.js';
import { stateFolderName } from '../../cli/state-dir.js';
import { DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { useSimulator } from '../support/simulator.js';
import { BIOCHAR, everyState, NET, NOW, withStateRecords } from './records-setup.js';
import { runCli } from './support.js';

let sim: Simulator;
useSimulator({}, { onStart: (started) => (sim = started) });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batch-autopilot-status-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const at = (now: number): AwsDeps => ({
  sfnFor: () => {
    throw new Error('status makes no Step Functions call');
  },
  sleep: async () => {},
  now: () => now,
});
const status = (args: string[], env: NodeJS.ProcessEnv = { MANGROVE_API_TOKEN: DEMO_TOKEN }, now = NOW) =>
  runCli(['status', '--api-url', sim.url, '--state-dir', dir, ...args], { env, aws: at(now) });

describe('status (local state directory)', () => {
  it('one row per month, one column per ledger: every state of a record, the current month not due', async () => {
    await withStateRecords(dir, sim.url, everyState);
    const { code, stdout, stderr } = await status(['--ledger', 'Net Carbon Removal', '--ledger', BIOCHAR, '--months', '7']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Ledger-month records in ${join(dir, stateFolderName(sim.url))}; today 2026-11-23 (UTC), generate-by day 10`);
    const grid = (month: string) => lines.find((line) => line.startsWith(month))?.split(/\s{2,}/);
    expect(lines[2]?.split(/\s{2,}/)).toEqual(['Month', 'Net Carbon Removal (lgr_netremoval01)', 'Biochar Produced (lgr_biocharprod1)']);
    expect(grid('2026-05')).toEqual(['2026-05', 'generated: 1 batch(es), 61.120 t', '—']);
    expect(grid('2026-06')).toEqual(['2026-06', 'overridden: generated (alice)', '—']);
    expect(grid('2026-07')).toEqual(['2026-07', 'failed: Missing Transport Distance for …', '—']);
    expect(grid('2026-08')).toEqual(['2026-08', 'outcome unknown', 'overdue']);
    expect(grid('2026-09')).toEqual(['2026-09', 'overdue', 'claimed']);
    expect(grid('2026-10')).toEqual(['2026-10', 'overdue', 'generating: task 6']);
    expect(grid('2026-11')).toEqual(['2026-11', 'not due', 'not due']);
    // What does not fit a cell, under the grid.
    expect(stdout).toContain('  2026-06 Net Carbon Removal (lgr_netremoval01): overridden: generated, by arn:aws:sts::123456789012:assumed-role/Ops/alice, at 2026-11-02T06:00:00.000Z');
    expect(stdout).toContain('  2026-07 Net Carbon Removal (lgr_netremoval01): failed: Missing Transport Distance for Jul 2026 (since 2026-11-02T06:00:00.000Z); the next run tries again');
    expect(stdout).toContain('  2026-10 Net Carbon Removal (lgr_netremoval01): overdue: no data yet; the overdue alert went out 2026-11-02T06:00:00.000Z');
    expect(stdout).toContain('  2026-10 Biochar Produced (lgr_biocharprod1): generating: held by scheduled-y#1, since 2026-11-02T06:00:00.000Z');
  });

  it('the previous month waits for its data until the generate-by day, and is overdue from it', async () => {
    await withStateRecords(dir, sim.url, (records) => records.move('noData', { ledgerId: NET, month: '2026-10' }, 'run'));
    const before = await status(['--months', '2'], undefined, Date.parse('2026-11-09T23:00:00Z'));
    const onTheDay = await status(['--months', '2'], undefined, Date.parse('2026-11-10T00:00:00Z'));
    expect(before.stdout).toMatch(/^2026-10\s+waiting for data$/m);
    expect(onTheDay.stdout).toMatch(/^2026-10\s+overdue$/m);
  });

  it('no --ledger: the ledgers of cdk.json, names resolved through Mangrove', async () => {
    await withStateRecords(dir, sim.url, everyState);
    const { code, stdout } = await status(['--months', '2']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Month\s+Net Carbon Removal \(lgr_netremoval01\)$/m);
    expect(stdout).toMatch(/^2026-10\s+overdue$/m);
  });

  it('without a token, names cannot be resolved: ids still show, the names are listed as not shown', async () => {
    await withStateRecords(dir, sim.url, everyState);
    const { code, stdout } = await status(['--ledger', 'Net Carbon Removal', '--ledger', BIOCHAR, '--months', '2'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Month\s+lgr_biocharprod1$/m);
    expect(stdout).toContain('Not shown:\n  "Net Carbon Removal": a ledger name needs MANGROVE_API_TOKEN to be looked up (give its id, lgr_…, instead)\n');
    expect(sim.requests).toHaveLength(0);
  });

  it('Reports: each quarter the months touch, from its submission record; none recorded: not submitted; the current one: not due', async () => {
    await withStateRecords(dir, sim.url, async (records) => {
      const quarters = await records.quarters();
      const owner = 'manual-net-carbon-removal-a4b8d4bb-2026-Q3#2026-Q3';
      await quarters.move('claim', '2026-Q3', owner, { reportId: 'rpt_q32026carbon', reportName: 'Q3 2026 Carbon Report', addedBatchIds: ['bat_jul', 'bat_aug', 'bat_sep'] });
      await quarters.move('started', '2026-Q3', owner, { taskId: 7 });
      await quarters.move('submitted', '2026-Q3', owner, { submittedAt: '2026-10-03T06:01:12Z', evidence: 'task 7 complete' });
    });
    const { code, stdout } = await status(['--ledger', NET, '--months', '6']);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(-5)).toEqual([
      'Reports',
      '  2026-Q2  not submitted',
      '  2026-Q3  submitted 2026-10-03T06:01:12Z (task 7, "Q3 2026 Carbon Report" rpt_q32026carbon)',
      '  2026-Q4  not due',
      '',
    ]);

    const json = JSON.parse((await status(['--ledger', NET, '--months', '6', '--json'])).stdout) as { reports: Array<Record<string, unknown>> };
    expect(json.reports.map((entry) => [entry.quarter, entry.status])).toEqual([
      ['2026-Q2', 'not-submitted'],
      ['2026-Q3', 'submitted'],
      ['2026-Q4', 'not-due'],
    ]);
    expect(json.reports[1]?.record).toMatchObject({ quarter: '2026-Q3', state: 'submitted', taskId: 7, reportId: 'rpt_q32026carbon' });
  });

  it('nothing resolvable at all is one line, exit 2', async () => {
    const { code, stdout, stderr } = await status([], {});
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'batch-autopilot: --ledger: no ledger to show: "Net Carbon Removal": a ledger name needs MANGROVE_API_TOKEN to be looked up (give its id, lgr_…, instead); see batch-autopilot status --help\n',
    );
  });

  it('--json: the grid as data, each cell with its record', async () => {
    await withStateRecords(dir, sim.url, everyState);
    const { code, stdout } = await status(['--ledger', NET, '--months', '3', '--json']);
    expect(code).toBe(0);
    const data = JSON.parse(stdout) as { months: string[]; ledgers: Array<{ id: string; name: string; cells: Array<Record<string, unknown>> }>; today: string; source: Record<string, string> };
    expect(data).toMatchObject({ today: '2026-11-23', months: ['2026-09', '2026-10', '2026-11'], source: { kind: 'state-dir', dir, apiBaseUrl: sim.url } });
    expect(data.ledgers[0]?.name).toBe('Net Carbon Removal');
    expect(data.ledgers[0]?.cells.map((cell) => cell.status)).toEqual(['overdue', 'overdue', 'not-due']);
    expect(data.ledgers[0]?.cells[1]?.record).toMatchObject({ ledgerId: NET, month: '2026-10', state: 'waiting-for-data', overdueAlertedAt: '2026-11-02T06:00:00.000Z' });
  });

  it('a URL no run has kept records for: every month without a record, and no folder left behind', async () => {
    const { code, stdout } = await status(['--ledger', NET, '--months', '2']);
    expect(code).toBe(0);
    expect(stdout).toContain('(no run against');
    expect(stdout).toMatch(/^2026-10\s+—$/m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('without a Mangrove URL there is no local folder to read: says so, naming what the directory holds', async () => {
    await withStateRecords(dir, sim.url, everyState);
    const { code, stderr } = await runCli(['status', '--state-dir', dir], { env: {}, aws: at(NOW) });
    expect(code).toBe(2);
    expect(stderr).toContain(`batch-autopilot: --api-url: which Mangrove's records? A local run keeps them per Mangrove URL: give --api-url or MANGROVE_API_URL (${dir} has records for ${sim.url})`);
  });

  it.each([
    [['--months', '0'], '--months: expected a whole number from 1 to 36, got 0'],
    [['--table', 'x'], '--table: expected a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -), as cdk-outputs.json names it, got x'],
    [['--table', 'LedgerMonths'], '--table: give --table (the deployed records) or --state-dir (a local run’s records), not both, got LedgerMonths'],
  ])('bad usage %j: one line, exit 2, nothing asked', async (args, line) => {
    const { code, stderr } = await status(args);
    expect(code).toBe(2);
    expect(stderr).toBe(`batch-autopilot: ${line}; see batch-autopilot status --help\n`);
    expect(sim.requests).toHaveLength(0);
  });
});
