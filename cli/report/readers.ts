/**
 * What the reports read from a run's state, as projections of the state contract: only the fields
 * they show, from the contract's own field schemas. A state written by an older definition (a field
 * fewer, a field more) still shows; a part that does not fit is left out, never a throw.
 */
import * as z from 'zod';
import { runPlanSchema } from '../../functions/shared/run-plan.js';
import {
  batchSummarySchema,
  failureAlertSchema,
  generatedBatchesCheckSchema,
  generationStartSchema,
  generationStatusSchema,
  ledgerFailureSchema,
  ledgerMonthsCheckSchema,
  ledgerVerificationSchema,
  outcomeLedgerSchema,
  previewSummarySchema,
  quarterOutcomeSchema,
  submissionStartSchema,
  submissionStatusSchema,
  requiredInputsCheckSchema,
  resolvedLedgerSchema,
} from '../../functions/shared/state-contract.js';

/** Missing or unreadable → undefined, and the rest of the object still reads. */
const optional = <T extends z.core.$ZodType>(schema: T) => z.catch(z.optional(schema), undefined);

export const ledgerPart = z.object({ id: resolvedLedgerSchema.shape.id, name: resolvedLedgerSchema.shape.name, modelId: resolvedLedgerSchema.shape.modelId });
export const planPart = z.object({
  window: runPlanSchema.shape.window,
  ledgers: runPlanSchema.shape.ledgers,
  dryRun: optional(runPlanSchema.shape.dryRun),
  /** The windows each ledger runs: a reconciliation's months (older definitions had none). */
  slots: optional(z.array(z.object({ month: z.string().nullable() }))),
});
/** GroupLedgers: the ledgers by model, and the references that could not be generated. */
export const groupingPart = z.object({
  groups: z.array(z.object({ modelId: z.string(), ledgers: z.array(ledgerPart) })),
  unresolved: z.array(z.unknown()),
  unresolvedTotal: optional(z.number()),
});
/** SummarizeGroup: what a group's child execution ended with. */
export const groupSummaryPart = z.object({
  ledgers: z.number(),
  outcomes: z.record(z.string(), z.number()),
  batchesGenerated: z.number(),
  failed: z.number(),
  failures: z.array(z.unknown()),
});
export const inputsPart = z.object({
  requiredInputs: requiredInputsCheckSchema.shape.requiredInputs,
  manualSelectInputs: requiredInputsCheckSchema.shape.manualSelectInputs,
  dataPoints: requiredInputsCheckSchema.shape.dataPoints,
});
export const previewPart = z.object({
  ledgers: previewSummarySchema.shape.ledgers,
  total: previewSummarySchema.shape.total,
  overdueAlert: optional(previewSummarySchema.shape.overdueAlert),
});
/** ReadLedgerMonths: what the records say of the item's months before Mangrove is asked anything. */
export const recordsPart = z.object({ months: ledgerMonthsCheckSchema.shape.months, allGenerated: ledgerMonthsCheckSchema.shape.allGenerated });
export const generationPart = z.object({
  outcome: generationStartSchema.shape.outcome,
  taskId: optional(generationStartSchema.shape.taskId),
  existingBatches: optional(generationStartSchema.shape.existingBatches),
  heldBy: optional(generationStartSchema.shape.heldBy),
});
export const statusPart = z.object({
  state: generationStatusSchema.shape.state,
  progress: optional(generationStatusSchema.shape.progress),
  description: optional(generationStatusSchema.shape.description),
});
export const recoveryPart = z.object({ found: generatedBatchesCheckSchema.shape.found });
export const verificationPart = z.object({
  ledgers: z.array(
    z.object({
      id: ledgerVerificationSchema.shape.id,
      name: ledgerVerificationSchema.shape.name,
      expected: ledgerVerificationSchema.shape.expected,
      found: ledgerVerificationSchema.shape.found,
      batches: optional(z.array(batchSummarySchema)),
    }),
  ),
});
export const alertPart = failureAlertSchema;
export const failurePart = ledgerFailureSchema;

/** One entry of `$.results`: whichever outcome, whichever definition version wrote it. */
export const outcomePart = z.object({
  ledger: z.catch(outcomeLedgerSchema, undefined),
  /** A group summary's listed failure carries the label alone. */
  window: optional(z.object({ label: z.string(), startTime: z.string().optional(), endTime: z.string().optional() })),
  outcome: z.string(),
  preview: optional(previewPart),
  /** `already-generated` from the records alone (no preview asked). */
  records: optional(recordsPart),
  generation: optional(z.object({ taskId: generationStartSchema.shape.taskId })),
  /** Where older definitions kept the task id. */
  taskId: optional(z.number().int().nullable()),
  verification: optional(verificationPart),
  step: optional(ledgerFailureSchema.shape.step),
  error: optional(ledgerFailureSchema.shape.error),
  cause: optional(ledgerFailureSchema.shape.cause),
});
export type OutcomePart = z.infer<typeof outcomePart>;

/** A quarter's report submission: PrepareSubmission's result, or how the quarter ended. */
export const quarterPart = z.object({
  quarter: quarterOutcomeSchema.shape.quarter,
  outcome: z.string(),
  report: optional(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  batches: optional(z.object({ inQuarter: z.number(), held: z.number(), added: z.number(), addedIds: z.array(z.string()), heldIds: z.array(z.string()) })),
  taskId: optional(z.number().int().nullable()),
  missing: optional(z.array(z.string()).nullable()),
  step: optional(z.string().nullable()),
  error: optional(z.string().nullable()),
  cause: optional(z.string().nullable()),
});
export type QuarterPart = z.infer<typeof quarterPart>;
export const submitPart = z.object({ taskId: submissionStartSchema.shape.taskId });
export const submissionStatusPart = z.object({ state: submissionStatusSchema.shape.state });

/** `{ <key>: <part> }`: a step's result where the state machine puts it in the state. */
export function at<T extends z.core.$ZodType>(key: string, part: T) {
  return z.object({ [key]: part }) as unknown as z.ZodType<Record<string, z.infer<T>>>;
}
