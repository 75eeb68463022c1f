/**
 * `submit-report`: on this machine against the simulator on loopback (records in a state directory,
 * Waits shortened, nothing sleeps), and on the deployed state machine through the fake Step Functions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/shared/execution-name.js';
import { DEMO_REPORTS, DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { useSimulator } from '../support/simulator.js';
import { fakeStepFunctions, operatorAws, replay, SM, sfn } from './stepfunctions.js';
import { localRunAws, recorded, runCli } from './support.js';

let sim: Simulator;
useSimulator({ taskTiming: { pendingMs: 0, perBatchMs: 1 } }, { onStart: (started) => (sim = started) });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batch-autopilot-submit-'));
  sfn.reset();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const local = (args: string[]) => runCli([...args, '--api-url', sim.url, '--state-dir', dir], { env: { MANGROVE_API_TOKEN: DEMO_TOKEN }, aws: localRunAws });
/** What cannot be taken back: a report changed, a report submitted. */
const patches = (): number => sim.callCounts()['PATCH /reports/:id'] ?? 0;
const submits = (): number => sim.callCounts()['POST /reports/:id/submit'] ?? 0;

describe('submit-report on this machine (Mangrove: the simulator; records: the state directory)', () => {
  it('after the quarter is generated: a dry run shows the report and changes nothing; then it submits once, and a second call sends nothing', async () => {
    // Prepare: Q1 2025 generated, and the draft report already holding January's batch (added by hand in Mangrove).
    const generated = await local(['run', '--from', '2025-01', '--to', '2025-03', '--json']);
    expect(generated.code).toBe(0);
    const [january, february, march] = (JSON.parse(generated.stdout) as { ledgers: Array<{ name: string; batches: Array<{ id: string }> }> }).ledgers
      .find((ledger) => ledger.name === 'Net Carbon Removal')
      ?.batches.map((batch) => batch.id) ?? [];
    const patched = await fetch(`${sim.url}/reports/${DEMO_REPORTS.q1of2025}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ report: { batch_ids: [january] } }),
    });
    expect(patched.status).toBe(200);
    const patchesBefore = patches();

    // Act: a dry run.
    const dry = await local(['submit-report', '--quarter', '2025-Q1', '--dry-run']);

    // Assess: the report, what it holds, what it would add; nothing patched or submitted.
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `Report for 2025-Q1: dry run: "Q1 2025 Carbon Report" (${DEMO_REPORTS.q1of2025}, draft) holds 1 batch(es): ${january}; would add 2 of the quarter's 3: ${february}, ${march}; nothing patched or submitted`,
    );
    expect([patches(), submits()]).toEqual([patchesBefore, 0]);

    const submitted = await local(['submit-report', '--quarter', '2025-Q1']);
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toMatch(/✓ SubmitReport: submit accepted: task \d+/);
    expect(submitted.stdout).toMatch(/Report for 2025-Q1: "Q1 2025 Carbon Report" \(rpt_q12025carbon\) submitted to the registry \(task \d+\); 2 batch\(es\) added, 3 of the quarter in it/);
    expect([patches(), submits()]).toEqual([patchesBefore + 1, 1]);

    const again = await local(['submit-report', '--quarter', '2025-Q1', '--report', DEMO_REPORTS.q1of2025]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Report for 2025-Q1: already submitted ("Q1 2025 Carbon Report" (rpt_q12025carbon, submitted)): nothing sent');
    expect([patches(), submits()]).toEqual([patchesBefore + 1, 1]);
  });

  it('the embedded demo has no records: the quarter is not complete, said up front and in the report; exit 1', async () => {
    const { code, stdout } = await runCli(['submit-report', '--quarter', '2025-Q1', '--dry-run'], { aws: localRunAws });
    expect(code).toBe(1);
    expect(stdout).toContain('The demo starts with no ledger-month records, so no quarter is complete in it and nothing is submitted.');
    expect(stdout).toContain('Report for 2025-Q1: FAILED at PrepareSubmission (QuarterIncompleteError): 2025-Q1 is not complete: "Net Carbon Removal" 2025-01: not generated;');
  });

  it.each([
    [['submit-report'], '--quarter: expected the quarter whose report to submit, as YYYY-Qn (e.g. 2025-Q1), got nothing'],
    [['submit-report', '--quarter', '2025-Q5'], '--quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1, got "2025-Q5"'],
    [['submit-report', '--quarter', '2099-Q1'], '--quarter: expected a window that is over by now'],
    [['submit-report', '--quarter', '2025-Q1', '--report', 'rpt_'], '--report: expected a report id like "rpt_abc123", or a name pattern with {q} and {yyyy}'],
    [['submit-report', '--quarter', '2025-Q1', '--report', 'Q{q} Report'], '--report: "Q{q} Report" lacks {yyyy}, so it would name the same report for more than one quarter'],
    [['submit-report', '--quarter', '2025-Q1', '--follow'], '--follow: only with --deployed (or --state-machine-arn)'],
  ])('bad usage %j: one line naming the flag, exit 2, before any call', async (args, problem) => {
    const { code, stdout, stderr } = await local(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^batch-autopilot: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*; see batch-autopilot submit-report --help\\n$`));
    expect(sim.requests).toHaveLength(0);
  });
});

describe('submit-report --help', () => {
  it('says that a submission cannot be undone, and what a dry run shows', async () => {
    const { code, stdout } = await runCli(['submit-report', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Submitting a report to the registry cannot be undone.');
    expect(stdout.replace(/\s+/g, ' ')).toContain('--dry-run shows the report, the batches the submission would add and the ones it holds, and sends nothing.');
  });
});

describe('submit-report --deployed (the fake Step Functions)', () => {
  const deployed = (args: string[], env: NodeJS.ProcessEnv = { BATCH_AUTOPILOT_STATE_MACHINE_ARN: SM }) =>
    runCli(['submit-report', '--quarter', '2025-Q1', ...args], { env, aws: operatorAws });
  const starts = () => sfn.commandCalls(StartExecutionCommand).map((call) => ({ name: call.args[0].input.name, input: JSON.parse(call.args[0].input.input ?? '{}') as unknown }));
  // The report's ledgers (cdk.json "ledgers", as reports.ledgers is not set) and the quarter.
  const NAME = executionName('manual', ['Net Carbon Removal'], '2025-Q1', '20261123T100000');

  it('starts {quarter, report} under a name of its own each time: the quarter\u2019s record, not the name, guards the submission', async () => {
    const { started } = fakeStepFunctions();
    const first = await deployed(['--deployed', '--report', DEMO_REPORTS.q1of2025]);

    expect(first.code).toBe(0);
    expect(starts()).toEqual([{ name: NAME, input: { quarter: '2025-Q1', report: DEMO_REPORTS.q1of2025 } }]);
    expect(started).toEqual([NAME]);
    expect(first.stdout).toMatch(new RegExp(`^Started ${NAME}\\n  https://eu-west-1\\.console\\.aws\\.amazon\\.com/states/`));
  });

  it('a dry run is new each time: dryrun-…-<timestamp>, {quarter, dryRun}', async () => {
    fakeStepFunctions();
    const { code } = await deployed(['--deployed', '--dry-run', '--json']);
    expect(code).toBe(0);
    expect(starts()).toEqual([{ name: executionName('dryrun', ['Net Carbon Removal'], '2025-Q1', '20261123T100000'), input: { quarter: '2025-Q1', dryRun: true } }]);
  });

  it('--follow follows the execution to its end', async () => {
    fakeStepFunctions();
    replay(recorded('success'), 'SUCCEEDED');
    const { code, stdout } = await deployed(['--deployed', '--follow', '--poll-interval', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Started ${NAME}`);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^Execution SUCCEEDED in /);
  });

  it.each([
    [['--deployed', '--state-dir', '.x'], '--state-dir: only for a run on this machine'],
    [['--deployed', '--api-url', 'https://example.invalid/api/v1'], '--api-url: only for a run on this machine'],
    [['--deployed', '--poll-interval', '3'], '--poll-interval: only means something with --follow'],
  ])('bad usage %j: exit 2 before any AWS call', async (args, problem) => {
    const { code, stderr } = await deployed(args);
    expect(code).toBe(2);
    expect(stderr).toContain(`batch-autopilot: ${problem}`);
    expect(sfn.calls()).toHaveLength(0);
  });
});
