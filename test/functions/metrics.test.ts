/**
 * The steps' CloudWatch metrics: the real steps run against the simulator and the record store, and
 * the EMF lines they write are read back as CloudWatch Logs would extract them.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedLedger } from '../../functions/shared/state-contract.js';
import { groupLedgersStep } from '../../functions/group-ledgers/handler.js';
import { resolveRun } from '../../functions/resolve-run/resolve-run-plan.js';
import { getGenerationStatusStep } from '../../functions/get-generation-status/handler.js';
import { previewGenerationStep } from '../../functions/preview-generation/handler.js';
import { resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import { emfFields, LEDGER_DIMENSION, METRIC_NAMESPACE, METRICS, UNIT_DIMENSION } from '../../functions/shared/metrics.js';
import type { RunPlan } from '../../functions/shared/run-plan.js';
import { invokeStep, type StepDefinition, type StepRuntime } from '../../functions/shared/step.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { startGenerationStep } from '../../functions/start-generation/handler.js';
import { verifyBatchesStep } from '../../functions/verify-batches/handler.js';
import { DEMO_LEDGERS, DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { TEST_DEFAULTS } from '../support/harness.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

let sim: Simulator;
let clock: number;
let lines: string[];

useRecordStore();
useSimulator(
  { taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 }, now: () => clock },
  {
    onStart: (started) => (sim = started),
    beforeReset: () => {
      clock = Date.parse('2025-05-02T06:00:00.000Z');
      lines = [];
    },
  },
);

const invoke = <I, O>(step: StepDefinition<I, O>, event: unknown): Promise<O> => {
  const runtime: StepRuntime = {
    tokens: new StaticTokenSource(DEMO_TOKEN),
    client: { baseUrl: sim.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
    defaults: () => TEST_DEFAULTS,
    records: () => currentRecords(),
    now: () => clock,
    log: (line) => lines.push(line),
  };
  return invokeStep(step, event, runtime);
};
const plan = (window: { month: string } | { from: string; to: string }, overrides: Partial<RunPlan> = {}): RunPlan => ({
  ...resolveRunPlan(window, TEST_DEFAULTS, clock),
  ...overrides,
});

interface Extracted {
  step: string;
  dimensions: Record<string, string>;
  metrics: Record<string, { value: number; unit: string }>;
}

/** Each metric of each EMF line, as CloudWatch reads it: every named dimension and metric must be on the line. */
function extracted(): Extracted[] {
  return lines.flatMap((text) => {
    const line = JSON.parse(text) as Record<string, unknown> & {
      _aws?: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
    };
    if (!line._aws) return [];
    expect(line._aws.Timestamp).toBe(clock);
    return line._aws.CloudWatchMetrics.map((directive) => {
      expect(directive.Namespace).toBe(METRIC_NAMESPACE);
      expect(directive.Dimensions).toHaveLength(1);
      const names = directive.Dimensions[0] ?? [];
      const dimensions = Object.fromEntries(names.map((name) => [name, line[name]]));
      for (const value of Object.values(dimensions)) expect(value).toEqual(expect.any(String));
      const metrics = Object.fromEntries(directive.Metrics.map(({ Name, Unit }) => [Name, { value: line[Name] as number, unit: Unit }]));
      for (const { value } of Object.values(metrics)) expect(value).toEqual(expect.any(Number));
      return { step: line.step as string, dimensions, metrics } as Extracted;
    });
  });
}

/** The ledger as GroupLedgers resolves it for a run. */
async function netCarbonRemoval(): Promise<ResolvedLedger> {
  const defaults = { ledgers: [], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: true };
  const grouping = await invoke(groupLedgersStep, { plan: resolveRun({ month: '2025-03', ledgers: [DEMO_LEDGERS.netCarbonRemoval] }, defaults, Date.parse('2025-04-02T06:00:00Z')) });
  const ledger = grouping.groups[0]?.ledgers[0];
  if (!ledger) throw new Error('Net Carbon Removal did not resolve');
  return ledger;
}

describe('metrics', () => {
  it('VerifyBatches writes batches, amount per unit, months and duration for each ledger the generation made batches for', async () => {
    const ledger = await netCarbonRemoval();
    const runPlan = plan({ from: '2025-01', to: '2025-03' });
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    const generation = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-1' });
    clock += 12_500;
    const claimFields = { plan: runPlan, preview, executionName: 'run-1', ledgerId: ledger.id };
    expect(await invoke(getGenerationStatusStep, { taskId: generation.taskId, deadline: generation.deadline, startedAt: generation.startedAt, ...claimFields })).toMatchObject({ state: 'complete' });
    lines = [];
    const verification = await invoke(verifyBatchesStep, { ledger, ...claimFields, generation });

    const ncrTotal = verification.ledgers.find((entry) => entry.id === DEMO_LEDGERS.netCarbonRemoval)?.total;
    expect(ncrTotal).toEqual({ value: 169.917, unit: 't' });
    const perLedger = (ledgerId: string) => ({ step: 'VerifyBatches', dimensions: { [LEDGER_DIMENSION]: ledgerId } });
    expect(extracted()).toEqual([
      {
        ...perLedger(DEMO_LEDGERS.netCarbonRemoval),
        metrics: {
          BatchesGenerated: { value: 3, unit: 'Count' },
          MonthsGenerated: { value: 3, unit: 'Count' },
          GenerationDuration: { value: 12.5, unit: 'Seconds' },
        },
      },
      { step: 'VerifyBatches', dimensions: { [LEDGER_DIMENSION]: DEMO_LEDGERS.netCarbonRemoval, [UNIT_DIMENSION]: 't' }, metrics: { AmountGenerated: { value: 169.917, unit: 'None' } } },
      { ...perLedger(DEMO_LEDGERS.biocharProduced), metrics: expect.objectContaining({ BatchesGenerated: { value: 3, unit: 'Count' } }) },
      { step: 'VerifyBatches', dimensions: expect.objectContaining({ [LEDGER_DIMENSION]: DEMO_LEDGERS.biocharProduced }), metrics: { AmountGenerated: expect.any(Object) } },
    ]);
  });

  it('PreviewGeneration counts a month without data as waiting, or overdue past its generate-by day, and zero once there is data', async () => {
    const ledger = await netCarbonRemoval();
    const april = plan({ month: '2025-04' });
    await invoke(previewGenerationStep, { ledger, plan: april });
    await invoke(previewGenerationStep, { ledger, plan: april, overdue: true });
    await invoke(previewGenerationStep, { ledger, plan: plan({ from: '2025-01', to: '2025-03' }) });

    const counts = (waiting: number, overdue: number) => ({
      step: 'PreviewGeneration',
      dimensions: { [LEDGER_DIMENSION]: DEMO_LEDGERS.netCarbonRemoval },
      metrics: { MonthsWaitingForData: { value: waiting, unit: 'Count' }, MonthsOverdue: { value: overdue, unit: 'Count' } },
    });
    expect(extracted()).toEqual([counts(1, 0), counts(0, 1), counts(0, 0)]);
  });

  it('a dry run writes no metric: it speaks for no month', async () => {
    const ledger = await netCarbonRemoval();
    await invoke(previewGenerationStep, { ledger, plan: plan({ month: '2025-04' }, { dryRun: true }), overdue: true });
    expect(extracted()).toEqual([]);
  });

  it('leaves out an amount without a unit and a value that is not a number, keeping the rest of the line', () => {
    const fields = emfFields(0, { ledgerId: 'lgr_a', unit: null, values: { BatchesGenerated: 2, AmountGenerated: 5, GenerationDuration: Number.NaN } });
    expect(fields).toEqual({
      _aws: { Timestamp: 0, CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[LEDGER_DIMENSION]], Metrics: [{ Name: 'BatchesGenerated', Unit: 'Count' }] }] },
      [LEDGER_DIMENSION]: 'lgr_a',
      BatchesGenerated: 2,
    });
  });

  it('names for every metric the step that emits it, and only steps that exist', () => {
    expect(new Set(Object.values(METRICS).map((spec) => spec.step))).toEqual(new Set([verifyBatchesStep.name, previewGenerationStep.name]));
  });
});
