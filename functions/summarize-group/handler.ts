/**
 * Ends a group's child execution: its ledger-months' outcomes become one small summary for the run,
 * which holds one per group (a Lambda because counting and filtering are beyond ASL's intrinsics).
 */
import * as z from 'zod/mini';
import { MAX_FAILURES_LISTED_PER_GROUP } from '../shared/limits.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { groupSummarySchema, ledgerOutcomeSchema, read, type GroupSummary, type LedgerFailure, type LedgerOutcome } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

/** A cause is the longest field of a failure; the whole text stays in the child's history. */
const MAX_CAUSE_CHARS = 600;

export const summarizeGroupStep = defineStep({
  name: 'SummarizeGroup',
  output: groupSummarySchema,
  result: 'summary',
  input: z.object({
    group: z.object({ modelId: z.string(), ledgers: z.array(z.object({ id: z.string() })) }),
    outcomes: z.array(z.unknown()),
  }),
  run: async ({ group, outcomes }) =>
    summarizeGroup(
      group.modelId,
      group.ledgers.map((ledger) => ledger.id),
      outcomes.flatMap((outcome) => read(ledgerOutcomeSchema, outcome) ?? []),
    ),
});

export function summarizeGroup(modelId: string, ledgers: string[], outcomes: LedgerOutcome[]): GroupSummary {
  const counts: Record<string, number> = {};
  const amounts = new Map<string | null, number>();
  let batchesGenerated = 0;
  const failures: LedgerFailure[] = [];
  for (const outcome of outcomes) {
    counts[outcome.outcome] = (counts[outcome.outcome] ?? 0) + 1;
    if (outcome.outcome === 'failed') failures.push({ ...outcome, cause: outcome.cause?.slice(0, MAX_CAUSE_CHARS) });
    if (outcome.outcome !== 'generated') continue;
    for (const ledger of outcome.verification.ledgers) {
      batchesGenerated += ledger.found;
      amounts.set(ledger.total.unit, (amounts.get(ledger.total.unit) ?? 0) + ledger.total.value);
    }
  }
  return {
    modelId,
    ledgers,
    outcomes: counts,
    batchesGenerated,
    amounts: [...amounts.entries()].map(([unit, value]) => ({ unit, value })),
    anyFailed: failures.length > 0,
    failed: failures.length,
    failures: failures.slice(0, MAX_FAILURES_LISTED_PER_GROUP),
  };
}

export const handler = lambdaHandler(summarizeGroupStep, runtimeFromEnvironment);
