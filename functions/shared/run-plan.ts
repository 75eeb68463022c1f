/**
 * The execution input (what an operator, the CLI or the schedule starts a run with) and the run plan
 * resolve-run turns it into. The plan is what every later step reads: one shape, always complete, so
 * the state machine's JSONPath never meets a missing field.
 */
import * as z from 'zod/mini';
import { isSupportedInstant, isSupportedMonth, isValidTimeZone, MONTH_PATTERN, YEARS_EXPECTATION } from './calendar.js';
import { QUARTER_EXPECTATION, QUARTER_PATTERN, quarterProblem, REPORT_SELECTOR_EXPECTATION, reportSelectorProblem } from './reports.js';
import {
  LOOKBACK_MONTHS,
  MAX_BATCH_AMOUNTS,
  MAX_DATA_POINT_IDS,
  MAX_ID_CHARS,
  MAX_LEDGER_REF_CHARS,
  MAX_LEDGERS_PER_RUN,
  MAX_REPORT_NAME_CHARS,
  MAX_SKIPPED_DATA_POINT_TYPES, MAX_WAIT_MINUTES, POLL_INTERVAL_SECONDS } from './limits.js';

const month = z.string().check(z.regex(MONTH_PATTERN, 'expected a month as YYYY-MM, e.g. "2025-03"'), z.refine(isSupportedMonth, YEARS_EXPECTATION));
const isoDateTime = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 date-time, e.g. "2025-03-01T00:00:00Z"' })
  .check(z.refine((value) => isSupportedInstant(Date.parse(value)), YEARS_EXPECTATION));
const ledgerRef = z
  .string()
  .check(z.trim(), z.minLength(1, 'expected a ledger id (lgr_…) or its exact name'), z.maxLength(MAX_LEDGER_REF_CHARS, `expected at most ${MAX_LEDGER_REF_CHARS} characters`));
const timeZone = z.string().check(z.refine(isValidTimeZone, 'expected an IANA time zone, e.g. "Europe/Berlin"'));
const integer = z.number().check(z.int());
/** An integer within a limit's bounds (functions/shared/limits.ts). */
const integerWithin = (bounds: { min: number; max: number }) => integer.check(z.gte(bounds.min), z.lte(bounds.max));

const idChars = z.maxLength(MAX_ID_CHARS, `expected at most ${MAX_ID_CHARS} characters`);
/** A list of 1 to `max` entries, saying its bound when it is passed. */
const listOf = <T extends z.core.$ZodType>(entry: T, max: number) =>
  z.array(entry).check(z.minLength(1), z.maxLength(max, `expected at most ${max} entries`));

export const batchAmountSchema = z.strictObject({
  batchId: z.string().check(z.regex(/^bat_[A-Za-z0-9]+$/, 'expected a batch id like "bat_abc123"'), idChars),
  // zod 4 numbers reject Infinity and NaN already (classic's `.finite()` was a no-op).
  primaryOutputAmount: z.number().check(z.nonnegative('expected an amount of 0 or more')),
  allocationGroup: z.string().check(z.minLength(1, 'expected the allocation group name'), idChars),
});

/** Optional Mangrove parameters passed through to preview and generation. */
const mangroveParameters = {
  dataPointIds: z.optional(listOf(z.string().check(z.regex(/^in_[A-Za-z0-9]+$/, 'expected a data point id like "in_abc123"'), idChars), MAX_DATA_POINT_IDS)),
  batchAmounts: z.optional(listOf(batchAmountSchema, MAX_BATCH_AMOUNTS)),
  skippedDataPointTypeIds: z.optional(listOf(z.number().check(z.int('expected an integer id'), z.positive('expected a positive id')), MAX_SKIPPED_DATA_POINT_TYPES)),
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
  source: z.optional(z.enum(['schedule', 'manual'])),
  scheduledTime: z.optional(isoDateTime),
  ledgers: z.optional(z.array(ledgerRef).check(z.minLength(1, 'expected at least one ledger'), z.maxLength(MAX_LEDGERS_PER_RUN, `expected at most ${MAX_LEDGERS_PER_RUN} ledgers per run`))),
  month: z.optional(month),
  from: z.optional(month),
  to: z.optional(month),
  startTime: z.optional(isoDateTime),
  endTime: z.optional(isoDateTime),
  timeZone: z.optional(timeZone),
  dryRun: z.optional(z.boolean()),
  /** Generate even when batches already exist in the window. */
  force: z.optional(z.boolean()),
  /** Let Mangrove pick the manual-select inputs' data points from the window instead of naming them. */
  autoDiscoverDataPoints: z.optional(z.boolean()),
  /** After a run that generated something, publish one success report (default: the deployment's). */
  notifyOnSuccess: z.optional(z.boolean()),
  pollIntervalSeconds: z.optional(integerWithin(POLL_INTERVAL_SECONDS)),
  maxPollIntervalSeconds: z.optional(integerWithin(POLL_INTERVAL_SECONDS)),
  maxWaitMinutes: z.optional(integerWithin(MAX_WAIT_MINUTES)),
  ...mangroveParameters,
  /** Submit each quarter this run finds complete to its report (default: the deployment's `reports.submit`). */
  submitReports: z.optional(z.boolean()),
  /** Only submit this quarter's report (`YYYY-Qn`): nothing is generated. */
  quarter: z.optional(z.string().check(z.regex(QUARTER_PATTERN, QUARTER_EXPECTATION), z.refine((value) => quarterProblem(value) === null, YEARS_EXPECTATION))),
  /** The report for this run: its id (`rpt_…`) or a name pattern with {q} and {yyyy} (default: the deployment's). */
  report: z.optional(z.string().check(z.maxLength(MAX_REPORT_NAME_CHARS, `expected at most ${MAX_REPORT_NAME_CHARS} characters`), z.refine((value) => reportSelectorProblem(value) === null, REPORT_SELECTOR_EXPECTATION))),
});
/** An input with nothing but a Comment (or nothing at all) runs the previous month for the configured ledgers. */
export const executionInputSchema = z.pipe(z.transform(withoutComments), executionInputFields);
export type ExecutionInput = z.infer<typeof executionInputFields>;

export const windowSchema = z.strictObject({
  startTime: z.string(),
  endTime: z.string(),
  /** For people: `2025-03`, `2025-01..2025-03`, or the two instants. */
  label: z.string(),
});
export type Window = z.infer<typeof windowSchema>;

/** One quarter a run submits if it is complete, and the report it goes to: by id, or by exact name. */
export const quarterToSubmitSchema = z.strictObject({
  quarter: z.string(),
  reportId: z.nullable(z.string()),
  reportName: z.nullable(z.string()),
});
export type QuarterToSubmit = z.infer<typeof quarterToSubmitSchema>;

/** The run's report submission: which quarters, which ledgers feed them, and whether an operator asked for it. */
export const submissionPlanSchema = z.strictObject({
  enabled: z.boolean(),
  quarters: z.array(quarterToSubmitSchema),
  /** The ledgers whose months make up each quarter's report. */
  ledgers: z.array(z.string()),
  /** `submit-report --quarter`: an incomplete quarter is a failure, and a doubt may be settled by submitting again. */
  onRequest: z.boolean(),
});
export type SubmissionPlan = z.infer<typeof submissionPlanSchema>;

export const runPlanSchema = z.strictObject({
  trigger: z.enum(['schedule', 'manual']),
  /** When ResolveRun ran: the earliest a batch of this run can have been created. */
  requestedAt: z.string(),
  window: windowSchema,
  timeZone: z.string(),
  ledgers: z.array(z.string()).check(z.minLength(1)),
  dryRun: z.boolean(),
  force: z.boolean(),
  autoDiscoverDataPoints: z.boolean(),
  /** A run that generated something publishes one success report. */
  notifyOnSuccess: z.boolean(),
  /** The first wait; later ones grow to maxPollIntervalSeconds (functions/shared/poll-schedule.ts). */
  pollIntervalSeconds: integer.check(z.positive()),
  maxPollIntervalSeconds: integer.check(z.positive()),
  maxWaitSeconds: integer.check(z.positive()),
  // Always present (possibly empty) so JSONPath can pass them on without a missing-field error.
  dataPointIds: z.array(z.string()),
  batchAmounts: z.array(batchAmountSchema),
  skippedDataPointTypeIds: z.array(integer),
  submission: submissionPlanSchema,
});
export type RunPlan = z.infer<typeof runPlanSchema>;

/** The deployment's defaults (stack config in AWS, CLI flags locally). */
export const runDefaultsSchema = z.strictObject({
  ledgers: z.array(z.string().check(z.minLength(1))),
  timeZone,
  pollIntervalSeconds: integerWithin(POLL_INTERVAL_SECONDS),
  /** @default DEFAULT_MAX_POLL_INTERVAL_SECONDS */
  maxPollIntervalSeconds: z.optional(integerWithin(POLL_INTERVAL_SECONDS)),
  maxWaitMinutes: integerWithin(MAX_WAIT_MINUTES),
  autoDiscoverDataPoints: z.boolean(),
  /** @default false */
  notifyOnSuccess: z.optional(z.boolean()),
  /** Scheduled runs reconcile this many months back. @default DEFAULT_LOOKBACK_MONTHS */
  lookbackMonths: z.optional(integerWithin(LOOKBACK_MONTHS)),
  /** From this day on, a previous month still waiting for data is overdue. @default DEFAULT_GENERATE_BY_DAY */
  generateByDay: z.optional(integerWithin({ min: 1, max: 28 })),
  /** Quarterly report submission (lib/config.ts documents it); absent, nothing is ever submitted. */
  reports: z.optional(
    z.strictObject({
      submit: z.boolean(),
      namePattern: z.optional(z.string()),
      reportIds: z.optional(z.record(z.string(), z.string())),
      ledgers: z.optional(z.array(z.string().check(z.minLength(1)))),
    }),
  ),
});
export type RunDefaults = z.infer<typeof runDefaultsSchema>;

/**
 * One window each ledger of the run works through: a reconciliation's months, oldest first, or a
 * manual run's one window. `plan` is merged over the run's plan (States.JsonMerge), so it holds
 * only the fields that differ.
 */
export const runSlotSchema = z.strictObject({
  /** The month this slot reconciles; null for a manual window. */
  month: z.nullable(z.string()),
  /** A reconciled month past its generate-by day: still no data alerts, once. */
  overdue: z.boolean(),
  plan: z.strictObject({ window: windowSchema }),
});
export type RunSlot = z.infer<typeof runSlotSchema>;

/** What ResolveRun returns: the run's plan (its whole window) and the slots every ledger runs, oldest first. */
export const resolvedRunSchema = z.extend(runPlanSchema, { slots: z.array(runSlotSchema).check(z.minLength(1)) });
export type ResolvedRun = z.infer<typeof resolvedRunSchema>;
