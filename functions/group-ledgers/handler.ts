/**
 * Resolves every ledger the run names, once, and groups them by the model that writes them: one
 * generation of a model can write all its ledgers, so a group's ledgers run one after another in one
 * child execution while groups run side by side. A reference that cannot be generated becomes a
 * failed outcome of its own here; the rest of the run goes on.
 */
import * as z from 'zod/mini';
import type { Ledger } from '../mangrove/schemas.js';
import { clip } from '../shared/error-cause.js';
import { ERROR, type ErrorName } from '../shared/error-names.js';
import { MAX_LEDGER_REF_CHARS, MAX_UNRESOLVED_CAUSE_CHARS, MAX_UNRESOLVED_LISTED } from '../shared/limits.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { resolvedRunSchema, type ResolvedRun } from '../shared/run-plan.js';
import { itemsPerGroupFor, ledgersPerGroup, pollBudgetOf } from '../shared/run-budget.js';
import { ledgerGroupingSchema, type LedgerFailure, type LedgerGrouping, type ResolvedLedger } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { resolveLedgerRefs, type Resolution } from '../shared/ledger-refs.js';
import type { MangroveClient } from '../mangrove/client.js';

export const groupLedgersStep = defineStep({
  name: 'GroupLedgers',
  output: ledgerGroupingSchema,
  result: 'grouping',
  input: z.object({ plan: resolvedRunSchema }),
  run: ({ plan }, context) => context.withMangrove((client) => groupLedgers(client, plan)),
});

export async function groupLedgers(client: MangroveClient, plan: ResolvedRun): Promise<LedgerGrouping> {
  const { resolutions, writtenBy } = await resolveLedgerRefs(client, plan.ledgers);
  const unresolved: LedgerFailure[] = [];
  const byModel = new Map<string, ResolvedLedger[]>();
  const seen = new Set<string>();
  for (const ref of plan.ledgers) {
    const resolution = resolutions.get(ref) as Resolution;
    const problem = 'error' in resolution ? resolution : generationProblem(resolution.ledger);
    if (problem) {
      unresolved.push({ ledger: { ref }, outcome: 'failed', step: 'GroupLedgers', error: problem.error, cause: problem.cause, window: plan.window });
      continue;
    }
    const { ledger } = resolution as { ledger: Ledger & { latest_model: { id: string } } };
    // "Net Carbon Removal" and its id are one ledger: it runs once.
    if (seen.has(ledger.id)) continue;
    seen.add(ledger.id);
    const modelId = ledger.latest_model.id;
    // Mangrove's names have no documented bound; the run's state carries every one.
    const name = clip(ledger.name, MAX_LEDGER_REF_CHARS);
    byModel.set(modelId, [...(byModel.get(modelId) ?? []), { ref, id: ledger.id, name, unit: ledger.unit ?? null, modelId }]);
  }
  const budget = pollBudgetOf(plan);
  const groups = [...byModel.entries()].flatMap(([modelId, ledgers]) => {
    // Every outcome names every ledger the model writes, in the account or in this run.
    const written = Math.max(ledgers.length, writtenBy.get(modelId) ?? 0);
    if (plan.slots.length > itemsPerGroupFor(written)) {
      for (const { ref, id, name } of ledgers) {
        const cause = `ledger "${name}" (${id}): its model writes ${written} ledgers, and ${plan.slots.length} months of outcomes naming each of them do not fit one execution's 256 KB (${itemsPerGroupFor(written)} do): run fewer months at a time`;
        unresolved.push({ ledger: { ref, id, name }, outcome: 'failed', step: 'GroupLedgers', error: ERROR.InvalidInputError, cause, window: plan.window });
      }
      return [];
    }
    const size = ledgersPerGroup(plan.slots.length, budget, written);
    return Array.from({ length: Math.ceil(ledgers.length / size) }, (_, chunk) => ({ modelId, ledgers: ledgers.slice(chunk * size, (chunk + 1) * size) }));
  });
  // The run's state holds these beside every group's summary: the first few in full, the rest counted.
  const listed = unresolved.slice(0, MAX_UNRESOLVED_LISTED).map((failure) => ({ ...failure, cause: clip(failure.cause ?? '', MAX_UNRESOLVED_CAUSE_CHARS) }));
  return { groups, unresolved: listed, unresolvedTotal: unresolved.length, anyUnresolved: unresolved.length > 0 };
}

/** Why batches cannot be generated for a ledger that exists; null when they can. */
function generationProblem(ledger: Ledger): { error: ErrorName; cause: string } | null {
  if (!ledger.latest_model) {
    return {
      error: ERROR.LedgerHasNoModelError,
      cause: `ledger "${ledger.name}" (${ledger.id}) has no model linked (latest_model is null): link a model in Mangrove before generating batches`,
    };
  }
  // The contract documents a nullable cadence: unknown is taken as monthly; anything else stated is refused.
  if (ledger.cadence && ledger.cadence.toLowerCase() !== 'monthly') {
    return {
      error: ERROR.UnsupportedCadenceError,
      cause: `ledger "${ledger.name}" (${ledger.id}) has cadence "${ledger.cadence}": Batch Autopilot generates one batch per calendar month, so it generates nothing for it`,
    };
  }
  return null;
}

export const handler = lambdaHandler(groupLedgersStep, runtimeFromEnvironment);
