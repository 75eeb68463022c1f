/**
 * The state contract: what each step leaves in the execution state, declared once as zod schemas.
 * Producers build these shapes (their return types are `z.infer` of them); readers (the alert, the
 * run report, the progress view, `follow` and `history`) parse with `read()` and show what they can
 * when a state from another definition version or a truncated history does not fit.
 *
 * Field names are the JSONPath contract with lib/workflow-definition: `$.ledger`, `$.preview.total`, …
 */
import * as z from 'zod/mini';
import { windowSchema } from './run-plan.js';

const count = z.number().check(z.int(), z.nonnegative());
const integer = z.number().check(z.int());
const positiveInteger = integer.check(z.positive());

/** The ledger as GroupLedgers resolved it: small, so it can ride along in every later step's input. */
export const resolvedLedgerSchema = z.strictObject({
  ref: z.string(),
  id: z.string(),
  name: z.string(),
  unit: z.nullable(z.string()),
  modelId: z.string(),
});
export type ResolvedLedger = z.infer<typeof resolvedLedgerSchema>;

/** What ReadLedgerMonths found in the records for the ledger's months. */
export const ledgerMonthsCheckSchema = z.object({
  months: z.array(
    z.object({
      month: z.string(),
      /** The record's state; null when the month has no record yet. */
      state: z.nullable(z.string()),
      generated: z.boolean(),
      batches: count,
    }),
  ),
  allGenerated: z.boolean(),
});
export type LedgerMonthsCheck = z.infer<typeof ledgerMonthsCheckSchema>;

export const requiredInputsCheckSchema = z.object({
  requiredInputs: count,
  manualSelectInputs: z.array(z.string()),
  /** Where the manual-select inputs' data points come from in this run. */
  dataPoints: z.enum(['not-needed', 'given', 'auto-discovered']),
  /** The same in words, for an alert that must say what a month is missing. */
  summary: z.string(),
});
export type RequiredInputsCheck = z.infer<typeof requiredInputsCheckSchema>;

export const previewSummarySchema = z.strictObject({
  ledgers: z.array(z.strictObject({ id: z.string(), name: z.string(), count })),
  total: count,
  /** Just before this ledger's generation: where its wait for batches begins. */
  previewedAt: z.string(),
  /** Nothing to generate in a month already overdue, not alerted for before: this run alerts. */
  overdueAlert: z.boolean(),
});
export type PreviewSummary = z.infer<typeof previewSummarySchema>;

export const generationStartSchema = z.object({
  /**
   * `started`: this run POSTed (or resumed its own task); `already-generated`: the window's batches
   * exist; `generating-elsewhere`: another run holds the window and its task has not ended.
   */
  outcome: z.enum(['started', 'already-generated', 'generating-elsewhere']),
  taskId: z.nullable(integer),
  /** Mangrove's own time for the task when it sent one, else ours: VerifyBatches reads batches created after it. */
  taskCreatedAt: z.nullable(z.string()),
  startedAt: z.string(),
  /** After this the poll loop gives up. */
  deadline: z.string(),
  existingBatches: z.array(z.object({ ledgerId: z.string(), count: integer, trackingIds: z.array(z.string()) })),
  /** The execution generating the window, for `generating-elsewhere`. */
  heldBy: z.nullable(z.string()),
});
export type GenerationStart = z.infer<typeof generationStartSchema>;

export const generationStatusSchema = z.object({
  state: z.string(),
  /** What the state machine's Choice branches on; an undocumented state counts as in progress. */
  phase: z.enum(['complete', 'failed', 'in-progress']),
  progress: z.nullable(z.number()),
  description: z.nullable(z.string()),
  errorMessage: z.nullable(z.string()),
  pastDeadline: z.boolean(),
  checkedAt: z.string(),
  /** How long the state machine waits before the next poll (functions/shared/poll-schedule.ts). */
  nextWaitSeconds: positiveInteger,
});
export type GenerationStatus = z.infer<typeof generationStatusSchema>;

export const batchSummarySchema = z.object({
  id: z.string(),
  trackingId: z.nullable(z.string()),
  startTime: z.string(),
  endTime: z.string(),
  value: z.nullable(z.number()),
  unit: z.nullable(z.string()),
});
export type BatchSummary = z.infer<typeof batchSummarySchema>;

export const ledgerVerificationSchema = z.object({
  id: z.string(),
  name: z.string(),
  expected: integer,
  found: integer,
  total: z.object({ value: z.number(), unit: z.nullable(z.string()) }),
  batches: z.array(batchSummarySchema),
});
export type LedgerVerification = z.infer<typeof ledgerVerificationSchema>;

export const verificationSchema = z.object({ ledgers: z.array(ledgerVerificationSchema) });
export type Verification = z.infer<typeof verificationSchema>;

export const generatedBatchesCheckSchema = z.object({
  /** Every previewed ledger has its count of new batches in the window. */
  complete: z.boolean(),
  found: z.array(z.object({ ledgerId: z.string(), expected: integer, found: integer })),
  pastDeadline: z.boolean(),
  checkedAt: z.string(),
  nextWaitSeconds: positiveInteger,
});
export type GeneratedBatchesCheck = z.infer<typeof generatedBatchesCheckSchema>;

/**
 * The ledger a failure names: resolved, or only the reference it was given. Nullish: before any
 * ledger (ResolveRun) there is none, and the local interpreter drops a literal null from Parameters.
 */
export const outcomeLedgerSchema = z.nullish(z.object({ ref: z.string(), id: z.nullish(z.string()), name: z.nullish(z.string()) }));

export const ledgerFailureSchema = z.object({
  ledger: outcomeLedgerSchema,
  outcome: z.literal('failed'),
  step: z.string(),
  error: z.string(),
  cause: z.nullish(z.string()),
  taskId: z.nullish(integer),
  /** The item's own window (a reconciled month); absent for a failure before any ledger. */
  window: z.nullish(windowSchema),
});
export type LedgerFailure = z.infer<typeof ledgerFailureSchema>;

/** What each ledger-month's branch ends with: the ledger, its window (which names the item), and what happened. */
export const ledgerOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({
    ledger: resolvedLedgerSchema,
    window: windowSchema,
    outcome: z.literal('generated'),
    preview: previewSummarySchema,
    generation: generationStartSchema,
    verification: verificationSchema,
  }),
  z.object({ ledger: resolvedLedgerSchema, window: windowSchema, outcome: z.literal('nothing-to-generate'), preview: previewSummarySchema }),
  z.object({ ledger: resolvedLedgerSchema, window: windowSchema, outcome: z.literal('dry-run'), preview: previewSummarySchema }),
  z.object({
    ledger: resolvedLedgerSchema,
    window: windowSchema,
    outcome: z.literal('already-generated'),
    // From the records alone (no preview asked), or from StartGeneration's look at the batches.
    records: z.optional(ledgerMonthsCheckSchema),
    preview: z.optional(previewSummarySchema),
    existingBatches: z.optional(generationStartSchema.shape.existingBatches),
  }),
  z.object({
    ledger: resolvedLedgerSchema,
    window: windowSchema,
    outcome: z.literal('generating-elsewhere'),
    preview: previewSummarySchema,
    generation: generationStartSchema,
  }),
  ledgerFailureSchema,
]);
export type LedgerOutcome = z.infer<typeof ledgerOutcomeSchema>;
export type OutcomeName = LedgerOutcome['outcome'];

/**
 * GroupLedgers' result: the run's ledgers by the model that writes them (a group too large for one
 * child execution is split), and a failed outcome for each reference that cannot be generated.
 */
export const ledgerGroupingSchema = z.strictObject({
  groups: z.array(z.strictObject({ modelId: z.string(), ledgers: z.array(resolvedLedgerSchema).check(z.minLength(1)) })),
  /** The first MAX_UNRESOLVED_LISTED of them; `unresolvedTotal` counts them all. */
  unresolved: z.array(ledgerFailureSchema),
  unresolvedTotal: count,
  anyUnresolved: z.boolean(),
});
export type LedgerGrouping = z.infer<typeof ledgerGroupingSchema>;

/**
 * A failure as a group's summary names it: what the alert says of it, and no more (the whole
 * outcome is in the child's history). The window is its label alone.
 */
export const reportRefSchema = z.object({ id: z.string(), name: z.string(), status: z.string() });

export const listedFailureSchema = z.object({
  ledger: outcomeLedgerSchema,
  /** A report submission's failure names its quarter and report instead of a ledger. */
  quarter: z.nullish(z.string()),
  report: z.nullish(reportRefSchema),
  step: z.string(),
  error: z.string(),
  cause: z.nullish(z.string()),
  window: z.nullish(z.object({ label: z.string() })),
});
export type ListedFailure = z.infer<typeof listedFailureSchema>;

/**
 * What one group's child execution returns to the run: counts, not outcomes, so that hundreds of
 * groups fit the run's 256 KB. The first failures ride along in full for the alert; every outcome
 * is in the child's own history and in the ledger-month records.
 */
export const groupSummarySchema = z.strictObject({
  /** Ledgers in the group. */
  ledgers: count,
  /** Ledger-months per outcome name. */
  outcomes: z.record(z.string(), count),
  /** Batches the group's generations created, and their amount per unit. */
  batchesGenerated: count,
  amounts: z.array(z.strictObject({ unit: z.nullable(z.string()), value: z.number() })),
  anyFailed: z.boolean(),
  failed: count,
  failures: z.array(listedFailureSchema),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const failureAlertSchema = z.object({
  /** SNS subjects are at most 100 printable ASCII characters. */
  subject: z.string(),
  message: z.string(),
  /** For the final Fail state: the first failure's error name and a one-line cause. */
  error: z.string(),
  cause: z.string(),
});
export type FailureAlert = z.infer<typeof failureAlertSchema>;

/** DescribeSuccess: the success report, and whether this run has one to send. */
export const successReportSchema = z.object({ send: z.boolean(), subject: z.string(), message: z.string() });
export type SuccessReport = z.infer<typeof successReportSchema>;

/** How a quarter's report submission ended (or, with `ready`, what PrepareSubmission leaves for SubmitReport). */
export const SUBMISSION_OUTCOMES = ['submitted', 'already-submitted', 'quarter-incomplete', 'dry-run', 'submitting-elsewhere', 'in-doubt', 'failed'] as const;
export type SubmissionOutcomeName = (typeof SUBMISSION_OUTCOMES)[number];

/** The quarter's batches (from the ledger-month records), those the report held, and those added (a dry run: would add). */
const submissionBatchesSchema = z.object({
  inQuarter: count,
  held: count,
  added: count,
  /** The first MAX_BATCH_IDS_LISTED of each. */
  addedIds: z.array(z.string()),
  heldIds: z.array(z.string()),
});

export const quarterOutcomeSchema = z.object({
  quarter: z.string(),
  outcome: z.enum(SUBMISSION_OUTCOMES),
  /** What the run's Choice and the alert read; `quarter-incomplete` fails only a run an operator asked to submit. */
  failed: z.boolean(),
  report: z.nullish(reportRefSchema),
  batches: z.nullish(submissionBatchesSchema),
  taskId: z.nullish(integer),
  submittedAt: z.nullish(z.string()),
  /** The quarter's ledger-months not generated yet, for people: `"Net Carbon Removal" 2025-03: waiting-for-data`. */
  missing: z.nullish(z.array(z.string())),
  step: z.nullish(z.string()),
  error: z.nullish(z.string()),
  cause: z.nullish(z.string()),
});
export type QuarterOutcome = z.infer<typeof quarterOutcomeSchema>;

export const preparedSubmissionSchema = z.extend(quarterOutcomeSchema, { outcome: z.enum([...SUBMISSION_OUTCOMES, 'ready']) });
export type PreparedSubmission = z.infer<typeof preparedSubmissionSchema>;

/** SubmitReport: the submission task, or null when the POST's outcome is unknown (the report's status tells). */
export const submissionStartSchema = z.object({ taskId: z.nullable(integer), startedAt: z.nullable(z.string()) });
export type SubmissionStart = z.infer<typeof submissionStartSchema>;

export const submissionStatusSchema = z.object({
  /** The task's state, or the report's status when there is no task to read. */
  state: z.string(),
  phase: z.enum(['complete', 'failed', 'in-progress']),
  errorMessage: z.nullable(z.string()),
  pastDeadline: z.boolean(),
  /** When the wait for this submission began: the deadline is maxWaitSeconds after it. */
  startedAt: z.string(),
  checkedAt: z.string(),
  nextWaitSeconds: positiveInteger,
});
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;

/**
 * The run's state once its groups have ended: what DescribeFailure, the run report and `follow`
 * read. `results` holds the groups' summaries; a run that stopped before any group holds its one
 * failure there instead.
 */
export const runStateSchema = z.object({
  plan: z.optional(z.looseObject({ window: windowSchema, ledgers: z.optional(z.array(z.string())) })),
  grouping: z.optional(z.looseObject({ unresolved: z.array(z.unknown()), unresolvedTotal: z.optional(count) })),
  results: z.array(z.unknown()),
  /** Each quarter's submission outcome, when the run submits reports. */
  submissions: z.optional(z.array(z.unknown())),
});

/**
 * A tolerant read for the views: the value if it fits the contract, else `undefined`, never a throw.
 * A state from an older definition, a truncated history or `includeExecutionData: false` all land here.
 */
export function read<T>(schema: z.core.$ZodType<T>, value: unknown): T | undefined {
  // Any zod 4 schema: the views build theirs with classic zod from the pieces declared here.
  const parsed = z.safeParse(schema, value);
  return parsed.success ? parsed.data : undefined;
}
