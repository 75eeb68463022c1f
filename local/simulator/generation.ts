import { monthDisplayName, monthOf, monthsIntersecting, type MonthSpan } from './calendar.js';
import { evaluateTerms } from './model.js';
import type { Seed, SeedModel } from './seed.js';

export interface GenerationWindow {
  startMs: number;
  endMs: number;
  /** Given: the only points used for manual-select input types. Absent: every type is auto-discovered. */
  dataPointIds?: readonly string[];
  skippedTypeIds: ReadonlySet<number>;
}

export interface PlannedBatch {
  ledgerId: string;
  month: MonthSpan;
  /** The month clipped to the window. */
  startMs: number;
  endMs: number;
  value: number;
}

export interface GenerationPlan {
  /** Months of the window holding at least one input data point: one batch per written ledger each. */
  months: MonthSpan[];
  /** Month-major, then in the order of the model's outputs. */
  batches: PlannedBatch[];
  /** Set when a month has data but lacks a required input: the task fails with it and writes nothing. */
  failure: string | null;
}

const monthKey = (year: number, month: number) => `${year}-${month}`;

export function planGeneration(seed: Seed, model: SeedModel, window: GenerationWindow): GenerationPlan {
  const { timeZone } = seed.project;
  const requiredTypes = model.inputTypeIds
    .filter((typeId) => !window.skippedTypeIds.has(typeId))
    .map((typeId) => seed.dataPointTypes.find((type) => type.id === typeId)!);
  const manualTypeIds = new Set(requiredTypes.filter((type) => type.is_manual_select).map((type) => type.id));
  const requiredTypeIds = new Set(requiredTypes.map((type) => type.id));
  const namedPoints = window.dataPointIds ? new Set(window.dataPointIds) : null;

  const valuesByMonth = new Map<string, Map<number, number[]>>();
  for (const point of seed.dataPoints) {
    if (!requiredTypeIds.has(point.data_point_type_id)) continue;
    if (namedPoints && manualTypeIds.has(point.data_point_type_id) && !namedPoints.has(point.id)) continue;
    const at = Date.parse(point.timestamp);
    if (at < window.startMs || at > window.endMs) continue;
    const { year, month } = monthOf(at, timeZone);
    const key = monthKey(year, month);
    const byType = valuesByMonth.get(key) ?? new Map<number, number[]>();
    valuesByMonth.set(key, byType);
    byType.set(point.data_point_type_id, [...(byType.get(point.data_point_type_id) ?? []), point.value]);
  }

  const months = monthsIntersecting(window.startMs, window.endMs, timeZone).filter((span) =>
    valuesByMonth.has(monthKey(span.year, span.month)),
  );

  let failure: string | null = null;
  const batches: PlannedBatch[] = [];
  for (const month of months) {
    const valuesByType = valuesByMonth.get(monthKey(month.year, month.month))!;
    const missing = requiredTypes.find((type) => !valuesByType.has(type.id));
    if (missing) {
      failure ??= `Missing ${missing.name} for ${monthDisplayName(month)}`;
      continue;
    }
    for (const output of model.outputs) {
      batches.push({
        ledgerId: output.ledgerId,
        month,
        startMs: Math.max(month.startMs, window.startMs),
        endMs: Math.min(month.endMs, window.endMs),
        value: evaluateTerms(output.terms, valuesByType, window.skippedTypeIds),
      });
    }
  }
  return { months, batches, failure };
}
