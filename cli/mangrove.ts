/**
 * Which Mangrove a command means (a URL flag, the environment, or cdk.json with a token; none of
 * them: the embedded demo), the one read `run` makes before it starts, and ledger names → ids for
 * the commands that read the records (kept by id).
 */
import { MangroveClient } from '../functions/mangrove/client.js';
import { MangroveAuthError, MangroveNotFoundError, MangroveResponseError, UpstreamUnavailableError } from '../functions/mangrove/errors.js';
import type { Ledger } from '../functions/mangrove/schemas.js';
import type { BatchAutopilotConfig } from '../lib/config.js';
import { UsageError } from './errors.js';
import { API_URL_EXPECTATION, isAllowedApiUrl } from '../functions/mangrove/api-url.js';

export interface MangroveTarget {
  baseUrl: string;
  /** What set the URL, for messages: the flag, the environment or cdk.json. */
  source: string;
  /** Read from MANGROVE_API_TOKEN; never printed. */
  token: string | undefined;
  authScheme: 'bearer' | 'raw';
}

export function apiUrl(flag: string): (raw: string) => string {
  return (raw) => {
    if (!isAllowedApiUrl(raw)) throw new UsageError(flag, API_URL_EXPECTATION, raw);
    return raw;
  };
}

/** Mangrove itself when a URL or a token is given; undefined means the embedded demo (the simulator). */
export function mangroveTarget(flags: { apiUrl?: string; authScheme?: 'bearer' | 'raw' }, env: NodeJS.ProcessEnv, config: BatchAutopilotConfig): MangroveTarget | undefined {
  const token = env.MANGROVE_API_TOKEN || undefined;
  const fromEnv = env.MANGROVE_API_URL ? apiUrl('MANGROVE_API_URL')(env.MANGROVE_API_URL) : undefined;
  const authScheme = flags.authScheme ?? config.authScheme;
  if (flags.apiUrl) return { baseUrl: flags.apiUrl, source: '--api-url', token, authScheme };
  if (fromEnv) return { baseUrl: fromEnv, source: 'MANGROVE_API_URL', token, authScheme };
  return token ? { baseUrl: config.apiBaseUrl, source: 'cdk.json apiBaseUrl', token, authScheme } : undefined;
}

/** `run` against a real URL cannot do without the token. */
export function requireToken(target: MangroveTarget): string {
  if (!target.token) throw new UsageError('MANGROVE_API_TOKEN', `not set: Mangrove at ${target.baseUrl} needs a token (leave out ${target.source} to use the embedded simulator)`);
  return target.token;
}

export function clientFor(target: MangroveTarget & { token: string }, sleep: (ms: number) => Promise<void>): MangroveClient {
  return new MangroveClient({ baseUrl: target.baseUrl, token: target.token, authScheme: target.authScheme, sleep });
}

/**
 * One read before the run. A wrong URL or token is the caller's to fix, and inside the workflow it
 * would be retried by every layer for a minute before saying so; here it is one line after the
 * client's own retries.
 */
export async function checkMangrove(target: MangroveTarget & { token: string }, sleep: (ms: number) => Promise<void>): Promise<Ledger[]> {
  try {
    return await clientFor(target, sleep).listLedgers();
  } catch (error) {
    if (error instanceof UpstreamUnavailableError && error.status === null) {
      throw new UsageError(target.source, `cannot reach Mangrove (${error.message.replace(/^.*got no response: /, '')})`, target.baseUrl);
    }
    if (error instanceof MangroveAuthError) throw new UsageError('MANGROVE_API_TOKEN', `refused by Mangrove at ${target.baseUrl} (HTTP ${error.status}); check the token and --auth-scheme`);
    if (error instanceof MangroveNotFoundError || error instanceof MangroveResponseError) {
      throw new UsageError(target.source, `does not answer as Mangrove's API base URL does (e.g. https://app.gomangrove.com/api/v1): ${error.message}`, target.baseUrl);
    }
    throw error;
  }
}

const LEDGER_ID = /^lgr_/;

export interface LedgerRef {
  /** As given: an id or an exact name. */
  ref: string;
  /** The records' key; null when a name could not be resolved. */
  id: string | null;
  name: string | null;
  /** Why `id` is null. */
  problem?: string;
}

/**
 * Ids as they are; names through Mangrove's ledger list (exact and unique, as FindLedger matches
 * them), when there is a token to ask with. Without one a name stays unresolved, and says why.
 */
export async function resolveLedgerRefs(refs: readonly string[], target: MangroveTarget | undefined, sleep: (ms: number) => Promise<void>): Promise<LedgerRef[]> {
  const needsList = refs.some((ref) => !LEDGER_ID.test(ref));
  let ledgers: Ledger[] | undefined;
  let unavailable = 'a ledger name needs MANGROVE_API_TOKEN to be looked up (give its id, lgr_…, instead)';
  if (target?.token) {
    try {
      ledgers = await clientFor({ ...target, token: target.token }, sleep).listLedgers();
    } catch (error) {
      // Only names need the list: a grid of ids still shows without Mangrove.
      if (needsList) unavailable = `Mangrove at ${target.baseUrl} could not be asked (${(error as Error).message})`;
    }
  }
  return refs.map((ref): LedgerRef => {
    if (LEDGER_ID.test(ref)) return { ref, id: ref, name: ledgers?.find((ledger) => ledger.id === ref)?.name ?? null };
    if (!ledgers) return { ref, id: null, name: ref, problem: unavailable };
    const matches = ledgers.filter((ledger) => ledger.name === ref);
    if (matches.length === 1) return { ref, id: matches[0]?.id ?? null, name: ref };
    return { ref, id: null, name: ref, problem: matches.length === 0 ? `no ledger of ${target?.baseUrl} is named "${ref}"` : `${matches.length} ledgers are named "${ref}": give its id` };
  });
}
