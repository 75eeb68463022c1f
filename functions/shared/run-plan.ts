/**
 * The execution input (what an operator, the CLI or the schedule starts a run with) and the run plan
 * resolve-run turns it into. The plan is what every later step reads: one shape, always complete, so
 * the state machine's JSONPath never meets a missing field.
 */
import * as z from 'zod';
import { isSupportedInstant, isSupportedMonth, isValidTimeZone, MONTH_PATTERN, YEARS_EXPECTATION } from './calendar.js';
import { LOOKBACK_MONTHS, MAX_LEDGERS_PER_RUN, MAX_WAIT_MINUTES, POLL_INTERVAL_SECONDS } from './limits.js';

const month = z.string().regex(MONTH_PATTERN, 'expected a month as YYYY-MM, e.g. "2025-03"').refine(isSupportedMonth, YEARS_EXPECTATION);
const isoDateTime = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 date-time, e.g. "2025-03-01T00:00:00Z"' })
  .refine((value) => isSupportedInstant(Date.parse(value)), YEARS_EXPECTATION);
const ledgerRef = z.string().trim().min(1, 'expected a ledger id (lgr_…) or its exact name');
const timeZone = z.string().refine(isValidTimeZone, 'expected an IANA time zone, e.g. "Europe/Berlin"');

export const batchAmountSchema = z.strictObject({
  batchId: z.string().regex(/^bat_[A-Za-z0-9]+$/, 'expected a batch id like "bat_abc123"'),
  primaryOutputAmount: z.number().finite().nonnegative('expected an amount of 0 or more'),
  allocationGroup: z.string().min(1, 'expected the allocation group name'),
});

/** Optional Mangrove parameters passed through to preview and generation. */
const mangroveParameters = {
  dataPointIds: z.array(z.string().regex(/^in_[A-Za-z0-9]+$/, 'expected a data point id like "in_abc123"')).min(1).optional(),
  batchAmounts: z.array(batchAmountSchema).min(1).optional(),
  skippedDataPointTypeIds: z.array(z.number().int('expected an integer id').positive('expected a positive id')).min(1).optional(),
};

/**
 * The Step Functions console pre-fills `{"Comment": "Insert your JSON here"}`, and ASL itself uses
 * `Comment` for notes: it is accepted at any depth and ignored, never an "unknown field".
 */
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'Comment').map(([key, inner]) => [key, withoutComments(inner)]));
}

const executionInputFields = z.strictObject({
  /** Set by the monthly schedule; the window is then the month before `scheduledTime`. */
  source: z.enum(['schedule', 'manual']).optional(),
  scheduledTime: isoDateTime.optional(),
  ledgers: z.array(ledgerRef).min(1, 'expected at least one ledger').max(MAX_LEDGERS_PER_RUN).optional(),
  month: month.optional(),
  from: month.optional(),
  to: month.optional(),
  startTime: isoDateTime.optional(),
  endTime: isoDateTime.optional(),
  timeZone: timeZone.optional(),
  dryRun: z.boolean().optional(),
  /** Generate even when batches already exist in the window. */
  force: z.boolean().optional(),
  /** Let Mangrove pick the manual-select inputs' data points from the window instead of naming them. */
  autoDiscoverDataPoints: z.boolean().optional(),
  pollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max).optional(),
  maxPollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max).optional(),
  maxWaitMinutes: z.number().int().min(MAX_WAIT_MINUTES.min).max(MAX_WAIT_MINUTES.max).optional(),
  ...mangroveParameters,
});
/** An input with nothing but a Comment (or nothing at all) runs the previous month for the configured ledgers. */
export const executionInputSchema = z.preprocess(withoutComments, executionInputFields);
export type ExecutionInput = z.infer<typeof executionInputFields>;

export const windowSchema = z.strictObject({
  startTime: z.string(),
  endTime: z.string(),
  /** For people: `2025-03`, `2025-01..2025-03`, or the two instants. */
  label: z.string(),
});
export type Window = z.infer<typeof windowSchema>;

export const runPlanSchema = z.strictObject({
  trigger: z.enum(['schedule', 'manual']),
  /** When ResolveRun ran: the earliest a batch of this run can have been created. */
  requestedAt: z.string(),
  window: windowSchema,
  timeZone: z.string(),
  ledgers: z.array(z.string()).min(1),
  dryRun: z.boolean(),
  force: z.boolean(),
  autoDiscoverDataPoints: z.boolean(),
  /** The first wait; later ones grow to maxPollIntervalSeconds (functions/shared/poll-schedule.ts). */
  pollIntervalSeconds: z.number().int().positive(),
  maxPollIntervalSeconds: z.number().int().positive(),
  maxWaitSeconds: z.number().int().positive(),
  // Always present (possibly empty) so JSONPath can pass them on without a missing-field error.
  dataPointIds: z.array(z.string()),
  batchAmounts: z.array(batchAmountSchema),
  skippedDataPointTypeIds: z.array(z.number().int()),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

/** The deployment's defaults (stack config in AWS, CLI flags locally). */
export const runDefaultsSchema = z.strictObject({
  ledgers: z.array(z.string().min(1)),
  timeZone,
  pollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max),
  /** @default DEFAULT_MAX_POLL_INTERVAL_SECONDS */
  maxPollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max).optional(),
  maxWaitMinutes: z.number().int().min(MAX_WAIT_MINUTES.min).max(MAX_WAIT_MINUTES.max),
  autoDiscoverDataPoints: z.boolean(),
  /** Scheduled runs reconcile this many months back. @default DEFAULT_LOOKBACK_MONTHS */
  lookbackMonths: z.number().int().min(LOOKBACK_MONTHS.min).max(LOOKBACK_MONTHS.max).optional(),
  /** From this day on, a previous month still waiting for data is overdue. @default DEFAULT_GENERATE_BY_DAY */
  generateByDay: z.number().int().min(1).max(28).optional(),
});
export type RunDefaults = z.infer<typeof runDefaultsSchema>;

/** One branch of the run's Map: a ledger and the plan it runs with (a reconciliation: one month each). */
export const runItemSchema = z.strictObject({
  ledgerRef: z.string(),
  /** The month this item reconciles; null for a manual window. */
  month: z.string().nullable(),
  /** A reconciled month past its generate-by day: still no data alerts, once. */
  overdue: z.boolean(),
  plan: runPlanSchema,
});
export type RunItem = z.infer<typeof runItemSchema>;

/** What ResolveRun returns: the run's plan (its whole window) and its items, ledgers × months, oldest first. */
export const resolvedRunSchema = runPlanSchema.extend({ items: z.array(runItemSchema).min(1) });
export type ResolvedRun = z.infer<typeof resolvedRunSchema>;
