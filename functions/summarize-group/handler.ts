/**
 * Ends a group's child execution: its ledger-months' outcomes become one small summary for the run,
 * which holds one per group (a Lambda because counting and filtering are beyond ASL's intrinsics).
 */
import * as z from 'zod/mini';
import { FAILURE_CAUSE_BUDGET_CHARS, MAX_FAILURE_CAUSE_CHARS, MAX_FAILURES_LISTED_PER_GROUP, MAX_LISTED_NAME_CHARS } from '../shared/limits.js';
import { clip, readableCause } from '../shared/error-cause.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { groupSummarySchema, ledgerOutcomeSchema, read, type GroupSummary, type LedgerFailure, type LedgerOutcome, type ListedFailure } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const summarizeGroupStep = defineStep({
  name: 'SummarizeGroup',
  output: groupSummarySchema,
  result: 'summary',
  input: z.object({
    group: z.object({ ledgers: z.array(z.object({ id: z.string() })) }),
    outcomes: z.array(z.unknown()),
    /** Groups in the run: their causes share one budget. */
    groupCount: z.number().check(z.int(), z.positive()),
  }),
  run: async ({ group, outcomes, groupCount }) =>
    summarizeGroup(
      group.ledgers.map((ledger) => ledger.id),
      outcomes.flatMap((outcome) => read(ledgerOutcomeSchema, outcome) ?? []),
      causeCharsFor(groupCount),
    ),
});

/** A listed failure's share of the run's budget for causes: whole messages in a run of few groups. */
export function causeCharsFor(groupCount: number): number {
  return Math.min(MAX_FAILURE_CAUSE_CHARS, Math.floor(FAILURE_CAUSE_BUDGET_CHARS / groupCount));
}

export function summarizeGroup(ledgers: string[], outcomes: LedgerOutcome[], causeChars = MAX_FAILURE_CAUSE_CHARS): GroupSummary {
  const counts: Record<string, number> = {};
  const amounts = new Map<string | null, number>();
  let batchesGenerated = 0;
  const failures: ListedFailure[] = [];
  for (const outcome of outcomes) {
    counts[outcome.outcome] = (counts[outcome.outcome] ?? 0) + 1;
    if (outcome.outcome === 'failed') failures.push(listed(outcome, causeChars));
    if (outcome.outcome !== 'generated') continue;
    for (const ledger of outcome.verification.ledgers) {
      batchesGenerated += ledger.found;
      amounts.set(ledger.total.unit, (amounts.get(ledger.total.unit) ?? 0) + ledger.total.value);
    }
  }
  return {
    ledgers: ledgers.length,
    outcomes: counts,
    batchesGenerated,
    amounts: [...amounts.entries()].map(([unit, value]) => ({ unit, value })),
    anyFailed: failures.length > 0,
    failed: failures.length,
    failures: failures.slice(0, MAX_FAILURES_LISTED_PER_GROUP),
  };
}

/**
 * The failure as the alert names it; the whole cause stays in the child's history, the run keeps
 * the start of its message (a Lambda error's Cause is JSON, which a cut would leave unreadable).
 */
function listed({ ledger, step, error, cause, window }: LedgerFailure, causeChars: number): ListedFailure {
  // A resolved ledger is named by its name and id; the reference it was given says nothing more.
  const named = ledger?.id ? { ref: clip(ledger.name ?? ledger.id, MAX_LISTED_NAME_CHARS), id: ledger.id } : ledger;
  return { ledger: named, step, error, cause: cause ? readableCause(cause, causeChars - 1) : cause, window: window ? { label: window.label } : null };
}

export const handler = lambdaHandler(summarizeGroupStep, runtimeFromEnvironment);
