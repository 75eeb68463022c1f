/**
 * Resolves every ledger the run names, once, and groups them by the model that writes them: one
 * generation of a model can write all its ledgers, so a group's ledgers run one after another in one
 * child execution while groups run side by side. A reference that cannot be generated becomes a
 * failed outcome of its own here; the rest of the run goes on.
 */
import * as z from 'zod/mini';
import type { Ledger } from '../mangrove/schemas.js';
import { MangroveNotFoundError } from '../mangrove/errors.js';
import { clip } from '../shared/error-cause.js';
import { ERROR, type ErrorName } from '../shared/error-names.js';
import { MAX_LEDGER_REF_CHARS, MAX_UNRESOLVED_CAUSE_CHARS, MAX_UNRESOLVED_LISTED } from '../shared/limits.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { resolvedRunSchema, type ResolvedRun } from '../shared/run-plan.js';
import { itemsPerGroupFor, ledgersPerGroup, pollBudgetOf } from '../shared/run-budget.js';
import { ledgerGroupingSchema, type LedgerFailure, type LedgerGrouping, type ResolvedLedger } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import type { MangroveClient } from '../mangrove/client.js';

const LEDGER_ID = /^lgr_/;
/** Up to this many ledgers named by id are read one by one; more, or any name, reads the list once. */
const SINGLE_READS_BEFORE_LISTING = 3;

export const groupLedgersStep = defineStep({
  name: 'GroupLedgers',
  output: ledgerGroupingSchema,
  result: 'grouping',
  input: z.object({ plan: resolvedRunSchema }),
  run: ({ plan }, context) => context.withMangrove((client) => groupLedgers(client, plan)),
});

type Resolution = { ledger: Ledger } | { error: ErrorName; cause: string };

export async function groupLedgers(client: MangroveClient, plan: ResolvedRun): Promise<LedgerGrouping> {
  const { resolutions, writtenBy } = await resolveAll(client, plan.ledgers);
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

/** Each reference's ledger or why not, and how many ledgers each model writes, where the list said. */
async function resolveAll(client: MangroveClient, refs: string[]): Promise<{ resolutions: Map<string, Resolution>; writtenBy: Map<string, number> }> {
  const resolutions = new Map<string, Resolution>();
  const writtenBy = new Map<string, number>();
  if (refs.every((ref) => LEDGER_ID.test(ref)) && refs.length <= SINGLE_READS_BEFORE_LISTING) {
    for (const ref of refs) {
      try {
        resolutions.set(ref, { ledger: await client.getLedger(ref) });
      } catch (error) {
        if (!(error instanceof MangroveNotFoundError)) throw error;
        resolutions.set(ref, { error: ERROR.LedgerNotFoundError, cause: `no ledger has id "${ref}". ${describeLedgers(await client.listLedgers())}` });
      }
    }
    return { resolutions, writtenBy };
  }
  const ledgers = await client.listLedgers();
  for (const { latest_model: model } of ledgers) if (model) writtenBy.set(model.id, (writtenBy.get(model.id) ?? 0) + 1);
  for (const ref of refs) {
    const matches = ledgers.filter((candidate) => (LEDGER_ID.test(ref) ? candidate.id === ref : candidate.name === ref));
    if (matches.length === 1) resolutions.set(ref, { ledger: matches[0] as Ledger });
    else {
      const problem = LEDGER_ID.test(ref)
        ? `no ledger has id "${ref}"`
        : matches.length === 0
          ? `no ledger is named "${ref}"`
          : `${matches.length} ledgers are named "${ref}": use its id`;
      resolutions.set(ref, { error: ERROR.LedgerNotFoundError, cause: `${problem}. ${describeLedgers(ledgers)}` });
    }
  }
  return { resolutions, writtenBy };
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

function describeLedgers(ledgers: Ledger[]): string {
  if (ledgers.length === 0) return 'The token sees no ledgers at all.';
  const shown = ledgers.slice(0, 20).map((ledger) => `"${ledger.name}" (${ledger.id})`);
  const more = ledgers.length > shown.length ? ` and ${ledgers.length - shown.length} more` : '';
  return `Ledgers that exist: ${shown.join(', ')}${more}.`;
}

export const handler = lambdaHandler(groupLedgersStep, runtimeFromEnvironment);
