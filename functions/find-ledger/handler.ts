import * as z from 'zod/mini';
import type { Ledger } from '../mangrove/schemas.js';
import { MangroveNotFoundError } from '../mangrove/errors.js';
import { LedgerHasNoModelError, LedgerNotFoundError, UnsupportedCadenceError } from '../shared/errors.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { resolvedLedgerSchema, type ResolvedLedger } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

const LEDGER_ID = /^lgr_/;

export const findLedgerStep = defineStep({
  name: 'FindLedger',
  output: resolvedLedgerSchema,
  result: 'ledger',
  input: z.object({ ledgerRef: z.string().check(z.minLength(1)) }),
  run: ({ ledgerRef }, context) =>
    context.withMangrove(async (client): Promise<ResolvedLedger> => {
      let ledger: Ledger;
      if (LEDGER_ID.test(ledgerRef)) {
        try {
          ledger = await client.getLedger(ledgerRef);
        } catch (error) {
          if (!(error instanceof MangroveNotFoundError)) throw error;
          throw new LedgerNotFoundError(`no ledger has id "${ledgerRef}". ${describeLedgers(await client.listLedgers())}`, ledgerRef);
        }
      } else {
        const ledgers = await client.listLedgers();
        const matches = ledgers.filter((candidate) => candidate.name === ledgerRef);
        if (matches.length !== 1) {
          const problem = matches.length === 0 ? `no ledger is named "${ledgerRef}"` : `${matches.length} ledgers are named "${ledgerRef}": use its id`;
          throw new LedgerNotFoundError(`${problem}. ${describeLedgers(ledgers)}`);
        }
        ledger = matches[0] as Ledger;
      }
      if (!ledger.latest_model) {
        throw new LedgerHasNoModelError(
          `ledger "${ledger.name}" (${ledger.id}) has no model linked (latest_model is null): link a model in Mangrove before generating batches`,
          ledger.id,
        );
      }
      // The contract documents a nullable cadence: unknown is taken as monthly; anything else stated is refused.
      if (ledger.cadence && ledger.cadence.toLowerCase() !== 'monthly') {
        throw new UnsupportedCadenceError(
          `ledger "${ledger.name}" (${ledger.id}) has cadence "${ledger.cadence}": Batch Autopilot generates one batch per calendar month, so it generates nothing for it`,
          ledger.id,
        );
      }
      return { ref: ledgerRef, id: ledger.id, name: ledger.name, unit: ledger.unit ?? null, modelId: ledger.latest_model.id };
    }),
});

function describeLedgers(ledgers: Ledger[]): string {
  if (ledgers.length === 0) return 'The token sees no ledgers at all.';
  const shown = ledgers.slice(0, 20).map((ledger) => `"${ledger.name}" (${ledger.id})`);
  const more = ledgers.length > shown.length ? ` and ${ledgers.length - shown.length} more` : '';
  return `Ledgers that exist: ${shown.join(', ')}${more}.`;
}

export const handler = lambdaHandler(findLedgerStep, runtimeFromEnvironment);
