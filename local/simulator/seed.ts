import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { isValidTimeZone } from './calendar.js';
import { formatFieldPath } from '../../functions/shared/zod-issues.js';

// Field naming: what the API returns verbatim keeps the contract's snake_case; what only the
// simulator reads (time zone, model terms, links between records) is camelCase.

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone' });
const positiveInt = z.int().positive();

const projectSchema = z.object({
  id: positiveInt,
  name: z.string().min(1),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { error: 'must be an IANA time zone such as "UTC" or "America/New_York"' })
    .default('UTC'),
});

const dataPointTypeSchema = z.object({
  id: positiveInt,
  name: z.string().min(1),
  slug: z.string().min(1),
  unit: z.string().nullable(),
  // The model multiplies values, so only numeric inputs can be simulated.
  value_type: z.literal('number').default('number'),
  category: z.string().default('input'),
  subcategory: z.string().nullable().default(null),
  is_manual_select: z.boolean().default(false),
  allocation_groups: z.array(z.unknown()).default([]),
  output_of_ledgers: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
});

const factorSchema = z.object({ dataPointTypeId: positiveInt, aggregate: z.enum(['sum', 'mean']) });
const termSchema = z.object({ coefficient: z.number(), factors: z.array(factorSchema).min(1) });

const modelSchema = z.object({
  id: z.string().regex(/^mdl_/, { error: 'must start with "mdl_"' }),
  name: z.string().min(1),
  /** The required inputs of every ledger the model writes; a type may be required without entering a term (a QA reading). */
  inputTypeIds: z.array(positiveInt).min(1),
  /** One entry per ledger the model writes, all in the same run. */
  outputs: z.array(z.object({ ledgerId: z.string(), terms: z.array(termSchema).min(1) })).min(1),
});

const ledgerSchema = z.object({
  id: z.string().regex(/^lgr_/, { error: 'must start with "lgr_"' }),
  name: z.string().min(1),
  unit: z.string().nullable(),
  system_ledger_type: z.string().nullable().default(null),
  partition_type: z.string().nullable(),
  cadence: z.string().nullable(),
  asset_category: z.string().nullable().default(null),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  /** The ledger's `latest_model`; null = no model linked, so preview and generation answer 422. */
  modelId: z.string().nullable(),
  /** `primary_output.data_point_type_id` of the ledger's batches. */
  outputTypeId: positiveInt,
});

const dataPointSchema = z.object({
  id: z.string().regex(/^in_/, { error: 'must start with "in_"' }),
  data_point_type_id: positiveInt,
  value: z.number(),
  timestamp: isoDateTime,
});

const historicalBatchSchema = z.object({
  id: z.string().regex(/^bat_[a-z0-9]+$/, { error: 'must be "bat_" followed by lowercase letters and digits' }),
  ledgerId: z.string(),
  start_time: isoDateTime,
  end_time: isoDateTime,
  state: z.string().default('complete'),
  value: z.number(),
  created_at: isoDateTime,
});

// No endpoint creates a report (they are made in Mangrove's app), so every report comes from the seed.
const reportSchema = z.object({
  id: z.string().regex(/^rpt_/, { error: 'must start with "rpt_"' }),
  name: z.string().min(1),
  report_type: z.string().default('quarterly'),
  status: z.string().min(1).default('draft'),
  /** Default: the project's id. */
  project_id: positiveInt.optional(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  /** The period the report covers, `YYYY-Qn`: submission refuses a batch outside it. */
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, { error: 'must be a quarter such as "2025-Q1"' }),
  /** The batches the report holds (its `inclusions`). */
  batchIds: z.array(z.string()).default([]),
});

const seedShapeSchema = z.object({
  project: projectSchema,
  dataPointTypes: z.array(dataPointTypeSchema),
  models: z.array(modelSchema),
  ledgers: z.array(ledgerSchema).min(1),
  dataPoints: z.array(dataPointSchema),
  batches: z.array(historicalBatchSchema).default([]),
  reports: z.array(reportSchema).default([]),
});
const seedSchema = seedShapeSchema.superRefine(checkReferences);

/** What a seed author writes (defaults may be left out). */
export type SimulatorSeed = z.input<typeof seedSchema>;
/** A validated seed with its defaults filled in. */
export type Seed = z.output<typeof seedSchema>;
export type SeedModel = Seed['models'][number];
export type SeedLedger = Seed['ledgers'][number];
export type SeedDataPointType = Seed['dataPointTypes'][number];
export type SeedReport = Seed['reports'][number];
export type ModelTerm = SeedModel['outputs'][number]['terms'][number];

function checkReferences(seed: z.output<typeof seedShapeSchema>, ctx: z.RefinementCtx): void {
  const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  const requireUnique = (key: string, ids: (string | number)[]) => {
    const seen = new Set<string | number>();
    ids.forEach((id, index) => {
      if (seen.has(id)) fail([key, index, 'id'], `duplicate id ${JSON.stringify(id)}`);
      seen.add(id);
    });
  };
  requireUnique('dataPointTypes', seed.dataPointTypes.map((t) => t.id));
  requireUnique('models', seed.models.map((m) => m.id));
  requireUnique('ledgers', seed.ledgers.map((l) => l.id));
  requireUnique('dataPoints', seed.dataPoints.map((p) => p.id));
  requireUnique('batches', seed.batches.map((b) => b.id));
  requireUnique('reports', seed.reports.map((r) => r.id));

  const typeIds = new Set(seed.dataPointTypes.map((t) => t.id));
  const ledgersById = new Map(seed.ledgers.map((l) => [l.id, l]));
  const modelsById = new Map(seed.models.map((m) => [m.id, m]));

  seed.dataPointTypes.forEach((type, i) =>
    type.output_of_ledgers.forEach((ref, j) => {
      if (!ledgersById.has(ref.id)) fail(['dataPointTypes', i, 'output_of_ledgers', j, 'id'], `unknown ledger "${ref.id}"`);
    }),
  );

  seed.models.forEach((model, i) => {
    model.inputTypeIds.forEach((typeId, j) => {
      if (!typeIds.has(typeId)) fail(['models', i, 'inputTypeIds', j], `unknown data point type ${typeId}`);
    });
    model.outputs.forEach((output, j) => {
      const ledger = ledgersById.get(output.ledgerId);
      if (!ledger) fail(['models', i, 'outputs', j, 'ledgerId'], `unknown ledger "${output.ledgerId}"`);
      else if (ledger.modelId !== model.id)
        fail(['models', i, 'outputs', j, 'ledgerId'], `ledger "${ledger.id}" must have modelId "${model.id}" to be written by it`);
      output.terms.forEach((term, k) =>
        term.factors.forEach((factor, m) => {
          if (!model.inputTypeIds.includes(factor.dataPointTypeId))
            fail(
              ['models', i, 'outputs', j, 'terms', k, 'factors', m, 'dataPointTypeId'],
              `data point type ${factor.dataPointTypeId} is not in the model's inputTypeIds`,
            );
        }),
      );
    });
  });

  seed.ledgers.forEach((ledger, i) => {
    if (ledger.modelId === null) return;
    const model = modelsById.get(ledger.modelId);
    if (!model) fail(['ledgers', i, 'modelId'], `unknown model "${ledger.modelId}"`);
    else if (!model.outputs.some((o) => o.ledgerId === ledger.id))
      fail(['ledgers', i, 'modelId'], `model "${model.id}" has no output for this ledger`);
    // Partitioning is implemented for calendar months only; another cadence is seedable so clients can be
    // tested against it, and preview/generation answer 422 for it (api.ts).
    if (ledger.cadence === null) fail(['ledgers', i, 'cadence'], 'a ledger with a model must have a cadence (e.g. "monthly")');
  });

  seed.dataPoints.forEach((point, i) => {
    if (!typeIds.has(point.data_point_type_id))
      fail(['dataPoints', i, 'data_point_type_id'], `unknown data point type ${point.data_point_type_id}`);
  });

  seed.batches.forEach((batch, i) => {
    if (!ledgersById.has(batch.ledgerId)) fail(['batches', i, 'ledgerId'], `unknown ledger "${batch.ledgerId}"`);
    if (Date.parse(batch.end_time) <= Date.parse(batch.start_time)) fail(['batches', i, 'end_time'], 'must be after start_time');
  });

  const batchIds = new Set(seed.batches.map((b) => b.id));
  seed.reports.forEach((report, i) =>
    report.batchIds.forEach((id, j) => {
      if (!batchIds.has(id)) fail(['reports', i, 'batchIds', j], `unknown batch "${id}"`);
    }),
  );
}

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/** Validates a seed (defaults filled in); the error lists every problem with the path of its field. */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${formatFieldPath(issue.path) || '(root)'}: ${issue.message}`);
  throw new SeedError(`Invalid ${source}:\n${problems.join('\n')}`);
}

export function loadSeedFile(path: string): SimulatorSeed {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedError(`Cannot read seed file ${path}: ${(error as Error).message}`);
  }
  return parseSeed(json, `seed file ${path}`);
}
