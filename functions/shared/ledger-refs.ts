/**
 * Ledger references (ids or exact names) to Mangrove's ledgers, in as few calls as it takes: up to
 * three ids one by one, otherwise the list once. A reference that names no ledger, or two, says why.
 */
import type { MangroveClient } from '../mangrove/client.js';
import { MangroveNotFoundError } from '../mangrove/errors.js';
import type { Ledger } from '../mangrove/schemas.js';
import { ERROR, type ErrorName } from './error-names.js';

export const LEDGER_ID = /^lgr_/;
/** Up to this many ledgers named by id are read one by one; more, or any name, reads the list once. */
const SINGLE_READS_BEFORE_LISTING = 3;

export type Resolution = { ledger: Ledger } | { error: ErrorName; cause: string };

/** Each reference's ledger or why not, and how many ledgers each model writes, where the list said. */
export async function resolveLedgerRefs(client: MangroveClient, refs: string[]): Promise<{ resolutions: Map<string, Resolution>; writtenBy: Map<string, number> }> {
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

function describeLedgers(ledgers: Ledger[]): string {
  if (ledgers.length === 0) return 'The token sees no ledgers at all.';
  const shown = ledgers.slice(0, 20).map((ledger) => `"${ledger.name}" (${ledger.id})`);
  const more = ledgers.length > shown.length ? ` and ${ledgers.length - shown.length} more` : '';
  return `Ledgers that exist: ${shown.join(', ')}${more}.`;
}

