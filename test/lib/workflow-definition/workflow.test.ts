import { beforeAll, describe, expect, it } from 'vitest';
import { previousMonth } from '../../../functions/shared/calendar.js';
import { DEMO_LEDGERS, type Simulator } from '../../../local/simulator/index.js';
import { caughtError, ledgerResults, runWorkflow, statesEntered, workflowDefinition } from '../../support/harness.js';
import { useSimulator } from '../../support/simulator.js';
import { useRecordStore } from '../../support/records.js';

const NCR = DEMO_LEDGERS.netCarbonRemoval;
const Q1 = { ledgers: ['Net Carbon Removal'], from: '2025-01', to: '2025-03' };
const POST_GENERATION = 'POST /ledgers/:id/batch_generations' as const;

let sim: Simulator;

beforeAll(() => {
  workflowDefinition();
});
useRecordStore();
useSimulator({ taskTiming: { pendingMs: 20, perBatchMs: 10 } }, { onStart: (started) => (sim = started) });

const posts = (): number => sim.callCounts()[POST_GENERATION] ?? 0;

describe('the state machine, run locally from the synthesized definition', () => {
  it("runs the console's pre-filled input as the schedule would: previous month, configured ledgers, no alert", async () => {
    const result = await runWorkflow(sim, { Comment: 'Insert your JSON here' });

    if (result.status !== 'SUCCEEDED') throw new Error(`run ${result.status}: ${result.error}`);
    expect(result.alerts).toEqual([]);
    const plan = (result.output as { plan: { window: { label: string }; ledgers: string[] } }).plan;
    expect(plan.ledgers).toEqual(['Net Carbon Removal']);
    expect(plan.window.label).toBe(previousMonth(Date.now(), 'UTC'));
    expect(workflowDefinition().Comment).toMatch(/README.*Execution input/);
  });

  it('generates Q1 2025: preview, start, poll until complete, verify', async () => {
    const result = await runWorkflow(sim, Q1);

    expect(result.status).toBe('SUCCEEDED');
    const states = statesEntered(result.events);
    expect(states.slice(0, 10)).toEqual([
      'ResolveRun',
      'GeneratesBatches',
      'GroupLedgers',
      'ListGroups',
      'ForEachGroup',
      'ForEachLedgerOfGroup',
      'ForEachMonth',
      'ReadLedgerMonths',
      'IsAlreadyRecorded',
      'CheckRequiredInputs',
    ]);
    expect(states).toContain('WaitForGeneration');
    expect(states.filter((state) => state === 'GetGenerationStatus').length).toBeGreaterThanOrEqual(1);
    expect(states.slice(-8)).toEqual(['Generated', 'SummarizeGroup', 'GroupSummarized', 'AnyLedgerUnresolved', 'Summarize', 'SubmitsReports', 'AnyLedgerFailed', 'RunSucceeded']);
    // The Wait reads each next wait from the step: the plan's interval first, then what the schedule chose.
    const waits = result.events
      .filter((event) => event.type === 'StateEntered' && event.state?.name === 'WaitForGeneration')
      .map((event) => (event.state?.input as { status: { nextWaitSeconds: number } }).status.nextWaitSeconds);
    const chosen = result.events
      .filter((event) => event.type === 'StateExited' && event.state?.name === 'GetGenerationStatus')
      .map((event) => (event.state?.output as { status: { nextWaitSeconds: number } }).status.nextWaitSeconds);
    expect(waits[0]).toBe(30);
    expect(waits.slice(1)).toEqual(chosen.slice(0, waits.length - 1));
    expect(result.alerts).toEqual([]);

    const [ledger] = ledgerResults(result);
    expect(ledger).toMatchObject({ outcome: 'generated', ledger: { id: NCR } });
    const verification = ledger?.verification as { ledgers: Array<{ id: string; found: number; batches: Array<{ trackingId: string }> }> };
    const ncr = verification.ledgers.find((entry) => entry.id === NCR);
    expect(ncr?.batches.map((batch) => batch.trackingId)).toEqual(['Jan-2025-001', 'Feb-2025-001', 'Mar-2025-001']);
    expect(sim.batches(NCR).filter((batch) => (batch as { tracking_id: string }).tracking_id.endsWith('2025-001'))).toHaveLength(3);
    expect(posts()).toBe(1);
  });

  it('dry run: previews and stops before any POST', async () => {
    const result = await runWorkflow(sim, { ...Q1, dryRun: true });
    expect(result.status).toBe('SUCCEEDED');
    expect(statesEntered(result.events)).toContain('DryRunDone');
    expect(ledgerResults(result)[0]).toMatchObject({ outcome: 'dry-run', preview: { total: 6 } });
    expect(posts()).toBe(0);
  });

  it('nothing to generate: a month without data ends successfully and says so', async () => {
    const result = await runWorkflow(sim, { ledgers: [NCR], month: '2025-04' });
    expect(result.status).toBe('SUCCEEDED');
    expect(ledgerResults(result)[0]).toMatchObject({ outcome: 'nothing-to-generate', preview: { total: 0 } });
    expect(statesEntered(result.events)).not.toContain('StartGeneration');
    expect(posts()).toBe(0);
  });

  it('already generated: a second run of the same window makes no POST', async () => {
    expect((await runWorkflow(sim, Q1)).status).toBe('SUCCEEDED');
    const second = await runWorkflow(sim, Q1);
    expect(second.status).toBe('SUCCEEDED');
    expect(ledgerResults(second)[0]).toMatchObject({ outcome: 'already-generated' });
    expect(posts()).toBe(1);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('force generates again even when batches exist', async () => {
    await runWorkflow(sim, Q1);
    const forced = await runWorkflow(sim, { ...Q1, force: true });
    expect(forced.status).toBe('SUCCEEDED');
    expect(posts()).toBe(2);
    const trackingIds = sim.batches(NCR).map((batch) => (batch as { tracking_id: string }).tracking_id);
    expect(trackingIds).toContain('Jan-2025-002');
  });

  it('a failed task reaches NotifyFailure with the server message and fails the run', async () => {
    sim.faults.failNextTask('Model run crashed: missing emission factor');
    const result = await runWorkflow(sim, Q1, { executionName: 'manual-q1' });
    expect(result.status).toBe('FAILED');
    if (result.status !== 'FAILED') return;
    expect(result.error).toBe('GenerationFailedError');
    expect(statesEntered(result.events)).toEqual(expect.arrayContaining(['GenerationFailed', 'DescribeFailure', 'NotifyFailure', 'RunFailed']));
    expect(result.alerts).toHaveLength(1);
    const [alert] = result.alerts;
    expect(alert?.subject).toContain('GenerationFailedError');
    expect(alert?.message).toContain('Model run crashed: missing emission factor');
    expect(alert?.message).toContain('Failed step: GetGenerationStatus');
    expect(alert?.message).toContain('Execution: manual-q1');
    expect(alert?.message).toContain('2025-01..2025-03');
    expect(alert?.message).toContain(NCR);
    expect(posts()).toBe(1);
  });

  it('gives up at the deadline when the task never finishes', async () => {
    sim.faults.stallNextTask(40);
    let skewMs = 0;
    const result = await runWorkflow(sim, { ...Q1, maxWaitMinutes: 1 }, {
      now: () => Date.now() + skewMs,
      // Each poll happens "a minute later": the deadline passes without real waiting.
      wrapTask: (state, _input, invoke) => {
        if (state === 'GetGenerationStatus') skewMs += 61_000;
        return invoke();
      },
    });
    expect(result.status).toBe('FAILED');
    if (result.status !== 'FAILED') return;
    expect(result.error).toBe('GenerationDeadlineExceededError');
    expect(statesEntered(result.events)).toContain('DeadlinePassed');
    expect(result.alerts[0]?.message).toMatch(/task \d+ was still (pending|running) at the deadline/);
  });

  it('an unknown ledger fails at GroupLedgers, listing the ledgers that exist', async () => {
    const result = await runWorkflow(sim, { ledgers: ['Gross Removal'], month: '2025-02' });
    expect(result.status === 'FAILED' && result.error).toBe('LedgerNotFoundError');
    expect(ledgerResults(result)).toMatchObject([{ ledger: { ref: 'Gross Removal' }, step: 'GroupLedgers', error: 'LedgerNotFoundError' }]);
    expect(result.alerts[0]?.message).toContain('"Net Carbon Removal" (lgr_netremoval01)');
    expect(posts()).toBe(0);
  });

  it('a ledger without a model fails with LedgerHasNoModelError', async () => {
    const result = await runWorkflow(sim, { ledgers: [DEMO_LEDGERS.labAnalyses], month: '2025-02' });
    expect(result.status === 'FAILED' && result.error).toBe('LedgerHasNoModelError');
    expect(ledgerResults(result)).toMatchObject([{ step: 'GroupLedgers', error: 'LedgerHasNoModelError' }]);
  });

  it('a manual-select input without data points fails before preview, naming the input', async () => {
    const result = await runWorkflow(sim, { ...Q1, autoDiscoverDataPoints: false });
    expect(caughtError(result.events, 'CheckRequiredInputs')?.Error).toBe('ManualInputsRequireDataPointsError');
    expect(result.alerts[0]?.message).toContain('Biochar Carbon Content');
    expect(statesEntered(result.events)).not.toContain('PreviewGeneration');
  });

  it('absorbs a transient 503 on polling', async () => {
    sim.faults.inject('GET /async_tasks/:id', { kind: 'status', status: 503 }, 2);
    const result = await runWorkflow(sim, Q1);
    expect(result.status).toBe('SUCCEEDED');
    expect(sim.requests.filter((request) => request.status === 503)).toHaveLength(2);
  });

  it('retries a step in Step Functions when the client exhausts its own budget', async () => {
    // The harness client makes 5 attempts; 6 failures outlast it, so the state's Retry must act.
    sim.faults.inject('GET /ledgers/:id/required_inputs', { kind: 'status', status: 503 }, 6);
    const result = await runWorkflow(sim, Q1);
    expect(result.status).toBe('SUCCEEDED');
    const retried = result.events.filter((event) => event.type === 'StateRetried').map((event) => event.state?.name);
    expect(retried).toEqual(['CheckRequiredInputs']);
  });

  it('runs several ledgers and reports each outcome; one failure fails the run with one alert', async () => {
    const result = await runWorkflow(sim, { ledgers: ['Net Carbon Removal', 'Lab Analyses'], month: '2025-02' });
    expect(result.status).toBe('FAILED');
    // A reference that cannot be generated is known before any group runs; the others still run.
    const outcomes = ledgerResults(result).map((entry) => entry.outcome);
    expect(outcomes).toEqual(['failed', 'generated']);
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]?.message).toContain('"Lab Analyses"');
    expect(posts()).toBe(1);
  });

  it('ledgers written by one model, or one ledger named twice, are generated once, in one group', async () => {
    const result = await runWorkflow(sim, { ledgers: ['Net Carbon Removal', DEMO_LEDGERS.biocharProduced, NCR], month: '2025-02' });
    expect(result.status).toBe('SUCCEEDED');
    // The id and the name of Net Carbon Removal are one ledger: it runs once.
    expect(ledgerResults(result).map((entry) => entry.outcome)).toEqual(['generated', 'already-generated']);
    expect(statesEntered(result.events).filter((state) => state === 'SummarizeGroup')).toHaveLength(1);
    expect(posts()).toBe(1);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('co-written ledgers split into two groups run side by side and are still generated once', async () => {
    // At a 1,300-minute deadline one child fits one ledger-month, so the two ledgers of one model become two groups.
    const result = await runWorkflow(sim, { ledgers: ['Net Carbon Removal', 'Biochar Produced'], month: '2025-02', maxWaitMinutes: 1_300 });
    expect(result.status === 'FAILED' ? `${result.error}: ${result.cause}` : result.status).toBe('SUCCEEDED');
    expect(statesEntered(result.events).filter((state) => state === 'SummarizeGroup')).toHaveLength(2);
    expect(posts()).toBe(1);
    const outcomes = ledgerResults(result).map((entry) => entry.outcome);
    expect(outcomes).toContain('generated');
    expect(outcomes.filter((outcome) => outcome !== 'generated').every((outcome) => outcome === 'already-generated' || outcome === 'generating-elsewhere')).toBe(true);
  });

  it('notifyOnSuccess: one success report after a run that generated something, none when nothing was generated or when off', async () => {
    const first = await runWorkflow(sim, { ...Q1, notifyOnSuccess: true });
    expect(first.status).toBe('SUCCEEDED');
    expect(first.alerts).toHaveLength(1);
    const [report] = first.alerts;
    expect(report?.subject).toBe('Batch Autopilot: 6 batch(es) generated for 2025-01..2025-03');
    for (const text of ['Ledgers: "Net Carbon Removal"', 'Ledger-months: 1 generated', 'Batches generated: 6', 'Amounts generated: 232.174 t', 'Execution: ', 'console.aws.amazon.com']) {
      expect(report?.message).toContain(text);
    }
    // Generated already: nothing new, nothing sent.
    const again = await runWorkflow(sim, { ...Q1, notifyOnSuccess: true });
    expect(again.status === 'SUCCEEDED' && again.alerts).toEqual([]);
    expect(statesEntered(again.events)).toContain('DescribeSuccess');
    // Off (the default): not even the step runs.
    const off = await runWorkflow(sim, { ledgers: ['Net Carbon Removal'], month: '2025-04' });
    expect(off.alerts).toEqual([]);
    expect(statesEntered(off.events)).not.toContain('DescribeSuccess');
  });

  it('a group that cannot be summarized ends in a summary that says so, and the run alerts once', async () => {
    const result = await runWorkflow(sim, Q1, {
      wrapTask: async (state, _input, invoke) => {
        if (state === 'SummarizeGroup') throw Object.assign(new Error('the summary could not be written'), { name: 'Lambda.Unknown' });
        return invoke();
      },
    });
    expect(result.status === 'FAILED' && result.error).toBe('Lambda.Unknown');
    expect(statesEntered(result.events)).toContain('GroupNotSummarized');
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]?.message).toContain('Failed step: SummarizeGroup');
    expect(posts()).toBe(1);
  });

  it("claims name the run, not the group's child execution: the run's name travels into every child", () => {
    const definition = workflowDefinition() as unknown as { States: Record<string, any> };
    const forEachGroup = definition.States.ForEachGroup;
    // Evaluated in the parent: the run's name. In a child, $$.Execution.Name is the child's own.
    expect(forEachGroup.ItemSelector['executionName.$']).toBe('$$.Execution.Name');
    const child = forEachGroup.ItemProcessor.States;
    expect(child.ForEachLedgerOfGroup.ItemSelector['executionName.$']).toBe('$.executionName');
    const branch = child.ForEachLedgerOfGroup.ItemProcessor.States.ForEachMonth;
    expect(branch.ItemSelector['executionName.$']).toBe('$.executionName');
    for (const step of ['StartGeneration', 'GetGenerationStatus', 'VerifyBatches', 'FindGeneratedBatches']) {
      expect(branch.ItemProcessor.States[step].Parameters['executionName.$'], step).toBe('$.executionName');
    }
  });

  it('rejects bad input at ResolveRun before any Mangrove call', async () => {
    const result = await runWorkflow(sim, { ledgers: [NCR], month: '2025-13' });
    expect(result.status === 'FAILED' && result.error).toBe('InvalidInputError');
    expect(result.alerts[0]?.message).toMatch(/month: expected a month as YYYY-MM/);
    expect(sim.requests).toHaveLength(0);
  });
});
