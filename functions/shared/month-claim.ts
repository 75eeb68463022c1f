/**
 * Which ledger-month records a ledger's branch of a run holds: every month the window touches (in
 * the plan's zone) for every ledger the preview names with batches. StartGeneration claims them; the
 * steps after it move them. All derive them the same way from the state, so none needs them passed.
 */
import * as z from 'zod/mini';
import { monthsTouched } from './calendar.js';
import { RecordConflictError, type LedgerMonth, type RecordPatch, type TransitionName } from './ledger-month-record.js';
import { runPlanSchema, type RunPlan } from './run-plan.js';
import { previewSummarySchema, type PreviewSummary } from './state-contract.js';
import type { StepContext } from './step.js';

/** What a step needs in its input to know the claim: the state carries all of it. */
export const claimInputFields = {
  plan: runPlanSchema,
  preview: previewSummarySchema,
  executionName: z.string().check(z.minLength(1)),
  /** The branch's own ledger: with the window, it tells this branch from every other of the execution. */
  ledgerId: z.string().check(z.minLength(1)),
};

export interface MonthClaim {
  /** The execution and the branch's ledger and window: retries of a step share it, another branch does not. */
  owner: string;
  keys: LedgerMonth[];
}

export function monthClaimOf(plan: Pick<RunPlan, 'window' | 'timeZone'>, preview: PreviewSummary, executionName: string, ledgerId: string): MonthClaim {
  const months = monthsTouched(plan.window, plan.timeZone);
  const ledgers = preview.ledgers.filter((entry) => entry.count > 0);
  return {
    owner: `${executionName}#${ledgerId}@${plan.window.label}`,
    keys: ledgers.flatMap((entry) => months.map((month) => ({ ledgerId: entry.id, month }))),
  };
}

/**
 * Moves the claim's months along `transition` on the evidence a step saw. A record someone else has
 * moved meanwhile (an operator, a forced run) is left as it is and logged: evidence never overrides a
 * decision. An unreachable table throws, and the step is retried.
 */
export async function recordEvidence(context: StepContext, claim: MonthClaim, transition: TransitionName, patch: RecordPatch = {}): Promise<void> {
  try {
    await context.records().moveAll(transition, claim.keys, claim.owner, patch);
  } catch (error) {
    if (!(error instanceof RecordConflictError)) throw error;
    context.log('ledger-month record not moved: it is not where this run left it', { transition, error: error.message });
  }
}
