import { describe, expect, it } from 'vitest';
import { checkRequiredInputsStep } from '../../functions/check-required-inputs/handler.js';
import { describeFailure, describeFailureStep } from '../../functions/describe-failure/handler.js';
import { groupLedgersStep } from '../../functions/group-ledgers/handler.js';
import { getGenerationStatusStep } from '../../functions/get-generation-status/handler.js';
import { previewGenerationStep } from '../../functions/preview-generation/handler.js';
import { resolveRun, resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import {
  InvalidInputError,
  GenerationNotStartedError,
  ManualInputsRequireDataPointsError,
  PartiallyGeneratedError,
  VerificationFailedError,
} from '../../functions/shared/errors.js';
import type { RunPlan } from '../../functions/shared/run-plan.js';
import type { GenerationStart, LedgerGrouping, PreviewSummary, ResolvedLedger } from '../../functions/shared/state-contract.js';
import { invokeStep, type StepDefinition, type StepRuntime } from '../../functions/shared/step.js';
import { currentRecords, useRecordStore } from '../support/records.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';
import { startGenerationStep } from '../../functions/start-generation/handler.js';
import { verifyBatchesStep } from '../../functions/verify-batches/handler.js';
import { demoSeed, DEMO_LEDGERS, DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { useSimulator } from '../support/simulator.js';

let sim: Simulator;
let clock: number;
let runtime: StepRuntime;

useRecordStore();
useSimulator(
  { taskTiming: { pendingMs: 1_000, perBatchMs: 1_000 }, now: () => clock },
  {
    onStart: (started) => {
      sim = started;
      runtime = {
        tokens: new StaticTokenSource(DEMO_TOKEN),
        client: { baseUrl: sim.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
        defaults: () => {
          throw new Error('steps after ResolveRun never read defaults');
        },
        records: () => currentRecords(),
        now: () => clock,
      };
    },
    beforeReset: () => {
      clock = Date.parse('2025-04-02T06:00:00.000Z');
    },
  },
);

const invoke = <I, O>(step: StepDefinition<I, O>, event: unknown): Promise<O> => invokeStep(step, event, runtime);

async function failure(promise: Promise<unknown>): Promise<Error & { step?: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { step?: string };
}

function plan(overrides: Partial<RunPlan> = {}): RunPlan {
  const defaults = { ledgers: ['Net Carbon Removal'], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: true };
  return { ...resolveRunPlan({ from: '2025-01', to: '2025-03' }, defaults, clock), ...overrides };
}

const DEFAULTS = { ledgers: ['Net Carbon Removal'], timeZone: 'UTC', pollIntervalSeconds: 30, maxWaitMinutes: 120, autoDiscoverDataPoints: true };

function group(ledgers: string[]): Promise<LedgerGrouping> {
  return invoke(groupLedgersStep, { plan: resolveRun({ month: '2025-03', ledgers }, DEFAULTS, clock) });
}

async function resolved(ledgerRef: string): Promise<ResolvedLedger> {
  const ledger = (await group([ledgerRef])).groups[0]?.ledgers[0];
  if (!ledger) throw new Error(`${ledgerRef} did not resolve`);
  return ledger;
}

const ncr = (): Promise<ResolvedLedger> => resolved(DEMO_LEDGERS.netCarbonRemoval);

describe('GroupLedgers', () => {
  it('finds a ledger by id and by exact name', async () => {
    const byId = await ncr();
    const byName = await resolved('Net Carbon Removal');
    expect(byName).toEqual({ ...byId, ref: 'Net Carbon Removal' });
    expect(byId).toMatchObject({ id: DEMO_LEDGERS.netCarbonRemoval, name: 'Net Carbon Removal', unit: 't', modelId: expect.stringMatching(/^mdl_/) });
  });

  it('puts ledgers one model writes in one group, once each however they are named', async () => {
    const grouping = await group(['Net Carbon Removal', DEMO_LEDGERS.biocharProduced, DEMO_LEDGERS.netCarbonRemoval]);
    expect(grouping.groups).toHaveLength(1);
    expect(grouping.groups[0]?.ledgers.map((ledger) => ledger.id)).toEqual([DEMO_LEDGERS.netCarbonRemoval, DEMO_LEDGERS.biocharProduced]);
    expect(grouping.anyUnresolved).toBe(false);
  });

  it('turns an unknown ledger, by id or by name, into its own failed outcome naming the ledgers that exist; the rest still run', async () => {
    const grouping = await group(['lgr_missing', 'net carbon removal', 'Net Carbon Removal']);
    expect(grouping.groups.flatMap((entry) => entry.ledgers.map((ledger) => ledger.name))).toEqual(['Net Carbon Removal']);
    expect(grouping.anyUnresolved).toBe(true);
    expect(grouping.unresolved.map((failure) => [failure.ledger?.ref, failure.step, failure.error])).toEqual([
      ['lgr_missing', 'GroupLedgers', 'LedgerNotFoundError'],
      ['net carbon removal', 'GroupLedgers', 'LedgerNotFoundError'],
    ]);
    for (const failure of grouping.unresolved) expect(failure.cause).toContain(`"Biochar Produced" (${DEMO_LEDGERS.biocharProduced})`);
  });

  it('refuses a ledger without a model', async () => {
    const grouping = await group(['Lab Analyses']);
    expect(grouping.groups).toEqual([]);
    expect(grouping.unresolved[0]).toMatchObject({ error: 'LedgerHasNoModelError', cause: expect.stringContaining('latest_model is null') });
  });

  it('reads the ledger list once for many ledgers, and each ledger once for a few named by id', async () => {
    await group(['Net Carbon Removal', 'Biochar Produced', 'Lab Analyses', 'lgr_x1', 'lgr_x2']);
    expect(sim.requests.map((request) => request.route)).toEqual(['GET /ledgers']);
    sim.requests.length = 0;
    await group([DEMO_LEDGERS.netCarbonRemoval, DEMO_LEDGERS.biocharProduced]);
    expect(sim.requests.map((request) => request.route)).toEqual(['GET /ledgers/:id', 'GET /ledgers/:id']);
  });

  it("sizes a child by how many ledgers the model writes, and refuses months whose outcomes could never fit one child", async () => {
    // Sixty more ledgers written by Net Carbon Removal's model: every outcome of it names all 62.
    const seed = demoSeed();
    const ncr = seed.ledgers.find((ledger) => ledger.id === DEMO_LEDGERS.netCarbonRemoval);
    if (!ncr) throw new Error('the demo seed has no Net Carbon Removal');
    const wide = Array.from({ length: 60 }, (_, index) => ({ ...ncr, id: `lgr_wide${index}`, name: `Wide ${index}` }));
    const terms = seed.models.flatMap((model) => model.outputs).find((output) => output.ledgerId === ncr.id)?.terms;
    if (!terms) throw new Error('the demo seed has no terms for Net Carbon Removal');
    const models = seed.models.map((model) => (model.id === ncr.modelId ? { ...model, outputs: [...model.outputs, ...wide.map((ledger) => ({ ledgerId: ledger.id, terms }))] } : model));
    sim.reset({ ...seed, models, ledgers: [...seed.ledgers, ...wide] });
    const refs = ['Net Carbon Removal', 'Biochar Produced', 'Wide 0', 'Wide 1'];
    const quarter = await invoke(groupLedgersStep, { plan: resolveRun({ from: '2025-01', to: '2025-03', ledgers: refs }, DEFAULTS, clock) });
    // One window of 3 months is one item: 62 × 0.45 KB + 1.2 KB each, five fit a child.
    expect(quarter.groups.map((entry) => entry.ledgers.length)).toEqual([4]);
    const reconciliation = resolveRun({ source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z', ledgers: refs }, { ...DEFAULTS, maxWaitMinutes: 60, lookbackMonths: 12 }, clock);
    const year = await invoke(groupLedgersStep, { plan: reconciliation });
    expect(year.groups).toEqual([]);
    expect(year.unresolvedTotal).toBe(4);
    expect(year.unresolved[0]).toMatchObject({ error: 'InvalidInputError', cause: expect.stringMatching(/its model writes 62 ledgers, and 12 months .* do not fit one execution's 256 KB \(5 do\): run fewer months at a time/) });
    const three = await invoke(groupLedgersStep, { plan: resolveRun({ source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z', ledgers: refs }, { ...DEFAULTS, lookbackMonths: 3 }, clock) });
    expect(three.groups.map((entry) => entry.ledgers.length)).toEqual([1, 1, 1, 1]);
  });

  it('refuses a malformed event with InvalidInputError naming the field', async () => {
    const error = await failure(invoke(groupLedgersStep, { ledgerRef: 'x' }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/plan: /);
  });
});

describe('CheckRequiredInputs', () => {
  it('fails on a manual-select input without data points, naming it', async () => {
    const error = await failure(invoke(checkRequiredInputsStep, { ledger: await ncr(), plan: plan({ autoDiscoverDataPoints: false }) }));
    expect(error).toBeInstanceOf(ManualInputsRequireDataPointsError);
    expect(error.message).toContain('"Biochar Carbon Content"');
  });

  it('passes with given data points or with auto-discovery', async () => {
    const ledger = await ncr();
    const given = await invoke(checkRequiredInputsStep, { ledger, plan: plan({ autoDiscoverDataPoints: false, dataPointIds: ['in_x'] }) });
    const auto = await invoke(checkRequiredInputsStep, { ledger, plan: plan() });
    expect(given).toMatchObject({ dataPoints: 'given', requiredInputs: 6 });
    expect(auto.dataPoints).toBe('auto-discovered');
  });
});

describe('PreviewGeneration → StartGeneration → GetGenerationStatus → VerifyBatches', () => {
  it('walks one generation and verifies it', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview: PreviewSummary = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    expect(preview).toEqual({
      ledgers: [
        { id: DEMO_LEDGERS.netCarbonRemoval, name: 'Net Carbon Removal', count: 3 },
        { id: DEMO_LEDGERS.biocharProduced, name: 'Biochar Produced', count: 3 },
      ],
      total: 6,
      previewedAt: '2025-04-02T06:00:00.000Z',
      overdueAlert: false,
    });

    const generation: GenerationStart = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'test-run' });
    expect(generation).toMatchObject({ outcome: 'started', taskId: expect.any(Number), deadline: '2025-04-02T08:00:00.000Z' });

    const claimFields = { plan: runPlan, preview, executionName: 'test-run', ledgerId: ledger.id };
    const status = (deadline = generation.deadline) => invoke(getGenerationStatusStep, { taskId: generation.taskId, deadline, startedAt: generation.startedAt, ...claimFields });
    expect(await status()).toMatchObject({ state: 'pending', phase: 'in-progress', pastDeadline: false });
    clock += 2_500;
    expect(await status()).toMatchObject({ phase: 'in-progress', description: 'Processing batch 2 of 6' });
    clock += 10_000;
    expect(await status()).toMatchObject({ state: 'complete', phase: 'complete', progress: 100 });

    const january = await currentRecords().get({ ledgerId: DEMO_LEDGERS.netCarbonRemoval, month: '2025-01' });
    expect(january).toMatchObject({ state: 'generated', taskId: generation.taskId });
    const verification = await invoke(verifyBatchesStep, { ledger, ...claimFields, generation });
    const [first] = verification.ledgers;
    expect(first).toMatchObject({ id: DEMO_LEDGERS.netCarbonRemoval, expected: 3, found: 3, total: { value: 169.917, unit: 't' } });
    expect(first?.batches.map((batch) => batch.trackingId)).toEqual(['Jan-2025-001', 'Feb-2025-001', 'Mar-2025-001']);

    // Each month's record now holds its batch and total, as VerifyBatches found them.
    const march = await currentRecords().get({ ledgerId: DEMO_LEDGERS.netCarbonRemoval, month: '2025-03' });
    expect(march).toMatchObject({ state: 'generated', batchIds: [first?.batches[2]?.id], total: { value: first?.batches[2]?.value, unit: 't' } });

    // The same window again, by another run: the records stop it before any POST or batch read.
    const batchReads = sim.callCounts()['GET /ledgers/:id/batches'] ?? 0;
    const again = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'test-run-2' });
    expect(again).toMatchObject({ outcome: 'already-generated', taskId: null });
    expect(again.existingBatches).toEqual([
      { ledgerId: DEMO_LEDGERS.netCarbonRemoval, count: 3, trackingIds: first?.batches.map((batch) => batch.id) },
      { ledgerId: DEMO_LEDGERS.biocharProduced, count: 3, trackingIds: expect.any(Array) },
    ]);
    expect(sim.callCounts()['GET /ledgers/:id/batches'] ?? 0).toBe(batchReads);
    expect(sim.callCounts()['POST /ledgers/:id/batch_generations']).toBe(1);
  });

  it('refuses a window that is only partly generated (a batch overlapping its edge) instead of skipping it', async () => {
    const ledger = await ncr();
    const preview = await invoke(previewGenerationStep, { ledger, plan: plan() });
    // 2024-12 has a batch in the seed; a window reaching into it is neither new nor done.
    const overlapping = plan({ window: { startTime: '2024-12-15T00:00:00.000Z', endTime: '2025-01-31T23:59:59.000Z', label: 'custom' } });
    const error = await failure(invoke(startGenerationStep, { ledger, plan: overlapping, preview, executionName: 'test-run' }));
    expect(error).toBeInstanceOf(PartiallyGeneratedError);
    expect(error.message).toContain('Dec-2024-001 (2024-12-01T00:00:00.000Z to 2024-12-31T23:59:59.000Z)');
    expect(sim.tasks()).toHaveLength(0);
  });

  it('lets one run generate a window: another run under another name meets its claim', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    const first = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'manual-lgr-2025-q1' });
    // Same window, same model's ledgers, named the other way round, while the first task is pending.
    const biochar = await resolved('Biochar Produced');
    const second = await invoke(startGenerationStep, { ledger: biochar, plan: runPlan, preview, executionName: 'scheduled-other-name' });
    expect(first.outcome).toBe('started');
    expect(second).toMatchObject({ outcome: 'generating-elsewhere', heldBy: `manual-lgr-2025-q1#${ledger.id}@2025-01..2025-03`, taskId: first.taskId });
    expect(sim.tasks()).toHaveLength(1);

    // A retry of the first run's own step resumes its task instead of POSTing again.
    const retried = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'manual-lgr-2025-q1' });
    expect(retried).toMatchObject({ outcome: 'started', taskId: first.taskId });
    expect(sim.tasks()).toHaveLength(1);
  });

  it('frees the months once Mangrove reports the holder\u2019s task failed, and not before', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    sim.faults.failNextTask('Missing Transport Distance for Jan 2025');
    const first = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-1', ledgerId: ledger.id });
    clock += 60_000;
    // However long ago: until the failure is seen, the months stay with run-1.
    expect((await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-2' })).outcome).toBe('generating-elsewhere');
    const status = await invoke(getGenerationStatusStep, { taskId: first.taskId, deadline: first.deadline, startedAt: first.startedAt, plan: runPlan, preview, executionName: 'run-1', ledgerId: ledger.id });
    expect(status.phase).toBe('failed');
    expect(await currentRecords().get({ ledgerId: DEMO_LEDGERS.netCarbonRemoval, month: '2025-02' })).toMatchObject({
      state: 'failed',
      error: 'Missing Transport Distance for Jan 2025',
    });
    const second = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-2' });
    expect(second.outcome).toBe('started');
    expect(second.taskId).not.toBe(first.taskId);
    expect(sim.tasks()).toHaveLength(2);
  });

  it('stops short of the POST when the invocation is nearly out of time; the retry then generates once', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    const event = { ledger, plan: runPlan, preview, executionName: 'run-1' };
    const error = await failure(invokeStep(startGenerationStep, event, runtime, () => 5_000));
    expect(error).toBeInstanceOf(GenerationNotStartedError);
    expect(error.message).toMatch(/only 5 s left .* nothing was sent/);
    expect(sim.tasks()).toHaveLength(0);
    // Step Functions retries the step: same claimant, no task recorded, so it may POST now.
    const retried = await invokeStep(startGenerationStep, event, runtime, () => 60_000);
    expect(retried.outcome).toBe('started');
    expect(sim.tasks()).toHaveLength(1);
  });

  it('frees the window when Mangrove refuses the POST outright', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status: 403, body: { message: 'Forbidden' } });
    await failure(invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-1' }));
    const corrected = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-2' });
    expect(corrected.outcome).toBe('started');
    expect(sim.tasks()).toHaveLength(1);
  });

  it('sends the optional parameters on the POST', async () => {
    const ledger = await ncr();
    const runPlan = plan({ skippedDataPointTypeIds: [5], force: true });
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    const generation = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'test-run' });
    const [task] = sim.tasks() as Array<{ id: number; args: Record<string, unknown> }>;
    expect(task?.id).toBe(generation.taskId);
    expect(task?.args).toMatchObject({ skipped_data_point_type_ids: [5] });
    expect(task?.args).not.toHaveProperty('data_point_ids');
  });

  it('reports batches bounded by another zone\u2019s month as a configuration mismatch, neither generating nor skipping', async () => {
    const ledger = await ncr();
    // The seed's December 2024 batch is the UTC month; asked for in Berlin, December starts an hour earlier.
    const berlin = plan({ timeZone: 'Europe/Berlin', window: { startTime: '2024-11-30T23:00:00.000Z', endTime: '2024-12-31T22:59:59.000Z', label: '2024-12' } });
    const preview = { ledgers: [{ id: DEMO_LEDGERS.netCarbonRemoval, name: 'Net Carbon Removal', count: 1 }], total: 1, previewedAt: '2025-04-02T06:00:00.000Z', overdueAlert: false };
    const error = await failure(invoke(startGenerationStep, { ledger, plan: berlin, preview, executionName: 'berlin' }));
    expect(error.name).toBe('TimeZoneMismatchError');
    expect(error.message).toMatch(/Dec-2024-001 from 2024-12-01T00:00:00\.000Z .*a month 1 h later than 2024-12 in Europe\/Berlin/);
    expect(sim.tasks()).toHaveLength(0);
    expect(await currentRecords().get({ ledgerId: DEMO_LEDGERS.netCarbonRemoval, month: '2024-12' })).toMatchObject({ state: 'failed', error: 'TimeZoneMismatchError' });
  });

  it('meets an overlapping window on the same months: a month and a range that contains it POST once', async () => {
    const ledger = await ncr();
    const range = plan({ window: { startTime: '2025-02-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-02..2025-03' } });
    const march = plan({ window: { startTime: '2025-03-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-03' } });
    const rangePreview = await invoke(previewGenerationStep, { ledger, plan: range });
    const marchPreview = await invoke(previewGenerationStep, { ledger, plan: march });

    const [a, b] = await Promise.all([
      invoke(startGenerationStep, { ledger, plan: range, preview: rangePreview, executionName: 'manual-range' }),
      invoke(startGenerationStep, { ledger, plan: march, preview: marchPreview, executionName: 'manual-march' }),
    ]);

    expect([a.outcome, b.outcome].sort()).toEqual(['generating-elsewhere', 'started']);
    expect(sim.tasks()).toHaveLength(1);
  });

  it('frees the months when every POST is rate-limited, so the re-run generates them', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    sim.faults.inject('POST /ledgers/:id/batch_generations', { kind: 'status', status: 429, body: { message: 'Too Many Requests' } }, 20);
    const error = await failure(invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-1' }));
    expect(error.name).toBe('RateLimitedError');
    expect(await currentRecords().get({ ledgerId: DEMO_LEDGERS.netCarbonRemoval, month: '2025-01' })).toMatchObject({ state: 'failed', error: 'RateLimitedError' });

    sim.faults.clear();
    const rerun = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'run-2' });
    expect(rerun.outcome).toBe('started');
    expect(sim.tasks()).toHaveLength(1);
  });

  it('fails verification when Mangrove made fewer batches than it previewed', async () => {
    const ledger = await ncr();
    const runPlan = plan();
    const preview = await invoke(previewGenerationStep, { ledger, plan: runPlan });
    const generation = await invoke(startGenerationStep, { ledger, plan: runPlan, preview, executionName: 'test-run' });
    clock += 60_000;
    const inflated = { ...preview, ledgers: preview.ledgers.map((entry) => ({ ...entry, count: entry.count + 1 })) };
    const error = await failure(invoke(verifyBatchesStep, { ledger, plan: runPlan, preview: inflated, generation, executionName: 'test-run', ledgerId: ledger.id }));
    expect(error).toBeInstanceOf(VerificationFailedError);
    expect(error.message).toMatch(/"Net Carbon Removal" \(lgr_\w+\) expected 4 new batch\(es\) in 2025-01\.\.2025-03, found 3/);
  });
});

describe('DescribeFailure', () => {
  it('writes an alert a person can act on, from a Lambda JSON cause or plain text', async () => {
    const alert = await invoke(describeFailureStep, {
      executionName: 'scheduled-lgr_a-2025-03',
      run: {
        plan: { window: { startTime: '2025-03-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-03' } },
        results: [
          { ledger: { ref: 'lgr_a', id: 'lgr_a', name: 'Net Carbon Removal' }, outcome: 'generated' },
          {
            ledger: { ref: 'lgr_b', id: 'lgr_b', name: 'Biochar' },
            outcome: 'failed',
            step: 'StartGeneration',
            error: 'GenerationOutcomeUnknownError',
            cause: JSON.stringify({ errorType: 'GenerationOutcomeUnknownError', errorMessage: 'no response within 10000 ms', trace: ['at x'] }),
          },
        ],
      },
    });
    expect(alert.subject).toBe('Batch Autopilot failed: Biochar 2025-03 (GenerationOutcomeUnknownError)');
    expect(alert.message).toContain('Details: no response within 10000 ms');
    expect(alert.message).toContain('Check "Biochar" (lgr_b) for batches in 2025-03');
    expect(alert.message).not.toContain('at x');
    expect(alert.message).not.toContain('Net Carbon Removal');
    expect(alert.cause).toBe('"Biochar" (lgr_b) at StartGeneration: no response within 10000 ms');
  });

  it('keeps subjects within SNS limits', () => {
    const alert = describeFailure('x', null, [{ ledger: { ref: 'é'.repeat(200) }, step: 'GroupLedgers', error: 'E', cause: null }]);
    expect(alert.subject.length).toBeLessThanOrEqual(100);
    expect(alert.subject).toMatch(/^[\x20-\x7E]+$/);
  });
});
