import { isoTimestamp, monthLabel, monthOf } from './calendar.js';
import { planGeneration, type PlannedBatch } from './generation.js';
import type { GenerationBody } from './generation-request.js';
import { createFriendlyIdGenerator } from './ids.js';
import { roundTo3 } from './model.js';
import { ReportBook } from './reports.js';
import type { Seed, SeedDataPointType, SeedLedger, SeedModel } from './seed.js';
import type { TaskOutcome, TaskTiming } from './task-lifecycle.js';
import { TaskBook } from './tasks.js';

const GENERATION_TASK_TYPE = 'ProductionAccounting::BatchGeneration';

/** A batch as `GET /ledgers/{id}/batches` returns it (the full list form). */
export interface Batch {
  id: string;
  tracking_id: string;
  start_time: string;
  end_time: string;
  state: string;
  created_at: string;
  updated_at: string;
  primary_output: { id: number; name: string; unit: string | null; data_point_type_id: number; value: number };
  ledger_balance: number;
  allocations: unknown[];
  model_run: {
    id: number;
    start_time: string;
    end_time: string;
    state: 'complete';
    error_message: null;
    created_at: string;
    updated_at: string;
    calculations: unknown[];
    output_data_points: unknown[];
  };
  feedstocks: unknown[];
}

interface NewBatch {
  id?: string;
  ledgerId: string;
  startMs: number;
  endMs: number;
  state: string;
  value: number;
  createdAtMs: number;
  modelRunId: number;
}

const normalizeTimestamp = (iso: string) => isoTimestamp(Date.parse(iso));

/** The simulated project: ledgers and data from the seed, batches and async tasks as they evolve. */
export class SimulatorState {
  private readonly ledgersById: Map<string, SeedLedger>;
  private readonly batchesByLedger = new Map<string, Batch[]>();
  private readonly batchIds = new Set<string>();
  private readonly tasks: TaskBook;
  private readonly newBatchId = createFriendlyIdGenerator('bat_', this.batchIds);
  readonly reports: ReportBook;
  private nextModelRunId = 1;
  private nextPrimaryOutputId = 1;

  constructor(
    readonly seed: Seed,
    timing: TaskTiming,
  ) {
    this.tasks = new TaskBook(timing);
    this.ledgersById = new Map(seed.ledgers.map((ledger) => [ledger.id, ledger]));
    for (const ledger of seed.ledgers) this.batchesByLedger.set(ledger.id, []);
    // Balances and tracking numbers accumulate in creation order, whatever the seed's order.
    const history = [...seed.batches].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    for (const batch of history) {
      this.appendBatch({
        id: batch.id,
        ledgerId: batch.ledgerId,
        startMs: Date.parse(batch.start_time),
        endMs: Date.parse(batch.end_time),
        state: batch.state,
        value: batch.value,
        createdAtMs: Date.parse(batch.created_at),
        modelRunId: this.nextModelRunId++,
      });
    }
    this.reports = new ReportBook(seed, this.tasks, (id) => this.batch(id));
  }

  ledger(id: string): SeedLedger | undefined {
    return this.ledgersById.get(id);
  }

  ledgers(): SeedLedger[] {
    return this.seed.ledgers;
  }

  modelOf(ledger: SeedLedger): SeedModel | null {
    return this.seed.models.find((model) => model.id === ledger.modelId) ?? null;
  }

  ledgerView(ledger: SeedLedger): Record<string, unknown> {
    const model = this.modelOf(ledger);
    return {
      id: ledger.id,
      name: ledger.name,
      unit: ledger.unit,
      system_ledger_type: ledger.system_ledger_type,
      partition_type: ledger.partition_type,
      cadence: ledger.cadence,
      latest_model: model ? { id: model.id, name: model.name } : null,
      asset_category: ledger.asset_category,
      created_at: normalizeTimestamp(ledger.created_at),
      updated_at: normalizeTimestamp(ledger.updated_at),
    };
  }

  requiredInputs(ledger: SeedLedger): SeedDataPointType[] {
    const model = this.modelOf(ledger);
    if (!model) return [];
    return model.inputTypeIds.map((typeId) => structuredClone(this.seed.dataPointTypes.find((type) => type.id === typeId)!));
  }

  hasDataPoint(id: string): boolean {
    return this.seed.dataPoints.some((point) => point.id === id);
  }

  hasDataPointType(id: number): boolean {
    return this.seed.dataPointTypes.some((type) => type.id === id);
  }

  hasBatch(id: string): boolean {
    return this.batchIds.has(id);
  }

  batches(ledgerId: string): Batch[] | undefined {
    return this.batchesByLedger.get(ledgerId);
  }

  /** Any ledger's batch by id. */
  batch(id: string): Batch | undefined {
    for (const batches of this.batchesByLedger.values()) {
      const found = batches.find((batch) => batch.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Batches the generation would create, per ledger the model writes; creates nothing. */
  preview(model: SeedModel, body: GenerationBody): { id: string; name: string; count: number }[] {
    const { months } = planGeneration(this.seed, model, toWindow(body));
    return model.outputs.map(({ ledgerId }) => ({ id: ledgerId, name: this.ledgersById.get(ledgerId)!.name, count: months.length }));
  }

  /** Creates the async task; its batches appear when `advance` reaches its completion time. */
  startGeneration(ledger: SeedLedger, model: SeedModel, body: GenerationBody, forced: TaskOutcome | undefined, nowMs: number) {
    const plan = planGeneration(this.seed, model, toWindow(body));
    const outcome: TaskOutcome = forced ?? (plan.failure ? { kind: 'failed', message: plan.failure } : { kind: 'complete' });
    const id = this.tasks.create(
      {
        type: GENERATION_TASK_TYPE,
        batchCount: plan.months.length * model.outputs.length,
        outcome,
        args: {
          project_id: this.seed.project.id,
          ledger_id: ledger.id,
          start_time: body.start_time,
          end_time: body.end_time,
          ...(body.data_point_ids && { data_point_ids: body.data_point_ids }),
          ...(body.skipped_data_point_type_ids && { skipped_data_point_type_ids: body.skipped_data_point_type_ids }),
          ...(body.batch_amounts && { batch_amounts: body.batch_amounts }),
        },
        onSettle: (settled, atMs) => {
          if (settled.kind === 'complete') this.createBatches(plan.batches, atMs);
        },
      },
      nowMs,
    );
    // The 202 body is exactly the documented one; the rest of the task is read with GET /async_tasks/{id}.
    return { id, type: GENERATION_TASK_TYPE, state: 'pending', progress: 0, created_at: isoTimestamp(nowMs) };
  }

  /** Settles every task whose completion time has come (batches appear, reports change status then). */
  advance(nowMs: number): void {
    this.tasks.advance(nowMs);
  }

  taskView(id: number, nowMs: number): Record<string, unknown> | undefined {
    return this.tasks.view(id, nowMs);
  }

  taskIds(): number[] {
    return this.tasks.ids();
  }

  private createBatches(planned: readonly PlannedBatch[], createdAtMs: number): void {
    // One model run per month serves every ledger the model writes for that month.
    const modelRunIds = new Map<number, number>();
    for (const batch of planned) {
      const modelRunId = modelRunIds.get(batch.month.startMs) ?? this.nextModelRunId++;
      modelRunIds.set(batch.month.startMs, modelRunId);
      this.appendBatch({ ...batch, state: 'complete', createdAtMs, modelRunId });
    }
  }

  private appendBatch(batch: NewBatch): void {
    const ledger = this.ledgersById.get(batch.ledgerId)!;
    const existing = this.batchesByLedger.get(batch.ledgerId)!;
    // Generating a window twice is undocumented upstream; we assume the pessimistic case:
    // duplicates, numbered on (`Jan-2025-001`, then `Jan-2025-002`).
    const label = monthLabel(monthOf(batch.startMs, this.seed.project.timeZone));
    const sequence = existing.filter((other) => other.tracking_id.startsWith(`${label}-`)).length + 1;
    const balance = existing.at(-1)?.ledger_balance ?? 0;
    const id = batch.id ?? this.newBatchId();
    const createdAt = isoTimestamp(batch.createdAtMs);
    const startTime = isoTimestamp(batch.startMs);
    const endTime = isoTimestamp(batch.endMs);
    this.batchIds.add(id);
    existing.push({
      id,
      tracking_id: `${label}-${String(sequence).padStart(3, '0')}`,
      start_time: startTime,
      end_time: endTime,
      state: batch.state,
      created_at: createdAt,
      updated_at: createdAt,
      primary_output: {
        id: this.nextPrimaryOutputId++,
        name: ledger.name,
        unit: ledger.unit,
        data_point_type_id: ledger.outputTypeId,
        value: batch.value,
      },
      ledger_balance: roundTo3(balance + batch.value),
      allocations: [],
      model_run: {
        id: batch.modelRunId,
        start_time: startTime,
        end_time: endTime,
        state: 'complete',
        error_message: null,
        created_at: createdAt,
        updated_at: createdAt,
        calculations: [],
        output_data_points: [],
      },
      feedstocks: [],
    });
  }
}

function toWindow(body: GenerationBody) {
  return {
    startMs: body.startMs,
    endMs: body.endMs,
    ...(body.data_point_ids && { dataPointIds: body.data_point_ids }),
    skippedTypeIds: new Set(body.skipped_data_point_type_ids ?? []),
  };
}
