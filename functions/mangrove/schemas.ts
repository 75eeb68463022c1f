/**
 * Response schemas written from the contract (shared/mangrove-api.md). Tolerant where the contract
 * is: unknown fields pass through (looseObject), documented nullable fields are nullable, optional
 * where examples omit them. Strict where our workflow depends on a field.
 */
import * as z from 'zod';

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: 'expected an ISO-8601 timestamp',
});
const nullableText = z.string().nullable().optional();

export const ledgerSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  unit: nullableText,
  system_ledger_type: nullableText,
  partition_type: nullableText,
  cadence: nullableText,
  // Required (null allowed): absent would leave "is a model linked?" unanswerable.
  latest_model: z.looseObject({ id: z.string(), name: z.string().nullable().optional() }).nullable(),
  asset_category: nullableText,
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
});
export type Ledger = z.infer<typeof ledgerSchema>;

export const requiredInputSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  slug: nullableText,
  unit: nullableText,
  value_type: nullableText,
  category: nullableText,
  subcategory: nullableText,
  is_manual_select: z.boolean(),
  allocation_groups: z.array(z.unknown()).optional(),
  output_of_ledgers: z.array(z.unknown()).optional(),
});
export type RequiredInput = z.infer<typeof requiredInputSchema>;

export const previewEntrySchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  count: z.number().int().nonnegative(),
});
export type PreviewEntry = z.infer<typeof previewEntrySchema>;

export const previewResponseSchema = z.looseObject({ data: z.array(previewEntrySchema) });

/** Only `id` is relied on from the 202 body (it is what gets polled); the rest is undocumented. */
export const acceptedTaskSchema = z.looseObject({
  id: z.number().int(),
  state: z.string().min(1).optional(),
  type: nullableText,
  progress: z.number().nullable().optional(),
  created_at: timestamp.optional(),
});
export type AcceptedTask = z.infer<typeof acceptedTaskSchema>;

export const asyncTaskSchema = z.looseObject({
  id: z.number().int(),
  type: nullableText,
  // Documented: pending, running, complete, failed. Any other string counts as still in progress.
  state: z.string().min(1),
  progress: z.number().nullable().optional(),
  progress_description: nullableText,
  started_at: timestamp.nullable().optional(),
  finished_at: timestamp.nullable().optional(),
  error_message: nullableText,
  result: z.unknown().optional(),
  args: z.unknown().optional(),
  // The contract lists it, but the documented GET examples omit it.
  created_at: timestamp.optional(),
});
export type AsyncTask = z.infer<typeof asyncTaskSchema>;

export const primaryOutputSchema = z.looseObject({
  id: z.number().int().nullable().optional(),
  name: nullableText,
  unit: nullableText,
  value: z.number().nullable(),
  data_point_type_id: z.number().int().nullable().optional(),
});

export const batchSchema = z.looseObject({
  id: z.string().min(1),
  tracking_id: z.string().nullish(),
  // The window and creation time are what the workflow reasons with: required.
  start_time: timestamp,
  end_time: timestamp,
  state: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp.optional(),
  primary_output: primaryOutputSchema.nullish(),
  ledger_balance: z.number().nullable().optional(),
});
export type Batch = z.infer<typeof batchSchema>;

const pageInfoSchema = z.looseObject({
  next_page: z.number().int().nullable().optional(),
  current_page: z.number().int().optional(),
  total_pages: z.number().int().optional(),
  total_items: z.number().int().optional(),
  page_size: z.number().int().optional(),
});

/** A list envelope; a response without `info` is a single page. */
export function listSchema<Item extends z.ZodType>(item: Item) {
  return z.looseObject({ data: z.array(item), info: pageInfoSchema.nullable().optional() });
}

/** Both documented error-body shapes: `{message}` and `{status, statusCode, errors:[{message}]}`. */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  errors: z.array(z.union([z.looseObject({ message: z.string() }), z.string()])).optional(),
});

