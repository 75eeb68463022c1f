/**
 * Response schemas written from the contract (shared/mangrove-api.md). Tolerant where the contract
 * is: unknown fields pass through (looseObject), documented nullable fields are nullable, optional
 * where examples omit them. Strict where our workflow depends on a field.
 */
import * as z from 'zod/mini';

const timestamp = z.string().check(
  z.refine((value) => !Number.isNaN(Date.parse(value)), {
    message: 'expected an ISO-8601 timestamp',
  }),
);
const nullableText = z.optional(z.nullable(z.string()));
const integer = z.number().check(z.int());
const nonEmpty = z.string().check(z.minLength(1));

export const ledgerSchema = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  unit: nullableText,
  system_ledger_type: nullableText,
  partition_type: nullableText,
  cadence: nullableText,
  // Required (null allowed): absent would leave "is a model linked?" unanswerable.
  latest_model: z.nullable(z.looseObject({ id: z.string(), name: z.optional(z.nullable(z.string())) })),
  asset_category: nullableText,
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
});
export type Ledger = z.infer<typeof ledgerSchema>;

export const requiredInputSchema = z.looseObject({
  id: integer,
  name: z.string(),
  slug: nullableText,
  unit: nullableText,
  value_type: nullableText,
  category: nullableText,
  subcategory: nullableText,
  is_manual_select: z.boolean(),
  allocation_groups: z.optional(z.array(z.unknown())),
  output_of_ledgers: z.optional(z.array(z.unknown())),
});
export type RequiredInput = z.infer<typeof requiredInputSchema>;

export const previewEntrySchema = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  count: integer.check(z.nonnegative()),
});
export type PreviewEntry = z.infer<typeof previewEntrySchema>;

export const previewResponseSchema = z.looseObject({ data: z.array(previewEntrySchema) });

/** Only `id` is relied on from the 202 body (it is what gets polled); the rest is undocumented. */
export const acceptedTaskSchema = z.looseObject({
  id: integer,
  state: z.optional(nonEmpty),
  type: nullableText,
  progress: z.optional(z.nullable(z.number())),
  created_at: z.optional(timestamp),
});
export type AcceptedTask = z.infer<typeof acceptedTaskSchema>;

export const asyncTaskSchema = z.looseObject({
  id: integer,
  type: nullableText,
  // Documented: pending, running, complete, failed. Any other string counts as still in progress.
  state: nonEmpty,
  progress: z.optional(z.nullable(z.number())),
  progress_description: nullableText,
  started_at: z.optional(z.nullable(timestamp)),
  finished_at: z.optional(z.nullable(timestamp)),
  error_message: nullableText,
  result: z.optional(z.unknown()),
  args: z.optional(z.unknown()),
  // The contract lists it, but the documented GET examples omit it.
  created_at: z.optional(timestamp),
});
export type AsyncTask = z.infer<typeof asyncTaskSchema>;

export const primaryOutputSchema = z.looseObject({
  id: z.optional(z.nullable(integer)),
  name: nullableText,
  unit: nullableText,
  value: z.nullable(z.number()),
  data_point_type_id: z.optional(z.nullable(integer)),
});

export const batchSchema = z.looseObject({
  id: nonEmpty,
  tracking_id: z.nullish(z.string()),
  // The window and creation time are what the workflow reasons with: required.
  start_time: timestamp,
  end_time: timestamp,
  state: z.nullish(z.string()),
  created_at: timestamp,
  updated_at: z.optional(timestamp),
  primary_output: z.nullish(primaryOutputSchema),
  ledger_balance: z.optional(z.nullable(z.number())),
});
export type Batch = z.infer<typeof batchSchema>;

export const reportSchema = z.looseObject({
  id: nonEmpty,
  name: z.string(),
  report_type: nullableText,
  // Seen: draft, submitting, complete. Others may exist, so any status is read and judged by the caller.
  status: nonEmpty,
  project_id: integer,
  // Required: it is what the report holds now. Its items' shape is undocumented, so they are not read here.
  inclusions: z.array(z.unknown()),
  allocation: z.optional(z.nullable(z.looseObject({}))),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
});
export type Report = z.infer<typeof reportSchema>;

/** Only `async_task_id` is relied on (it is what gets polled): the rest cannot make a 202 unreadable. */
export const reportSubmissionSchema = z.looseObject({
  id: z.optional(nonEmpty),
  status: z.optional(nonEmpty),
  async_task_id: integer,
});
export type ReportSubmission = z.infer<typeof reportSubmissionSchema>;

const pageInfoSchema = z.looseObject({
  next_page: z.optional(z.nullable(integer)),
  current_page: z.optional(integer),
  total_pages: z.optional(integer),
  total_items: z.optional(integer),
  page_size: z.optional(integer),
});

/** A list envelope; a response without `info` is a single page. */
export function listSchema<Item extends z.ZodMiniType>(item: Item) {
  return z.looseObject({ data: z.array(item), info: z.optional(z.nullable(pageInfoSchema)) });
}

/** Both documented error-body shapes: `{message}` and `{status, statusCode, errors:[{message}]}`. */
export const errorBodySchema = z.looseObject({
  message: z.optional(z.string()),
  errors: z.optional(z.array(z.union([z.looseObject({ message: z.string() }), z.string()]))),
});

