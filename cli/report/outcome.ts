/** A finished execution in a few words, for the backfill and history tables. */
import { read } from '../../functions/shared/state-contract.js';
import { groupSummaryPart, outcomePart } from './readers.js';

/** "generated 3 batch(es)", "already generated", "nothing to generate", "dry run", or the failure. */
export function outcomeOf(description: { status?: string; output?: string }, failure?: { error: string } | null): string {
  if (description.status !== 'SUCCEEDED') return failure ? `${description.status}: ${failure.error}` : (description.status ?? 'UNKNOWN');
  const results = resultsOf(description.output);
  if (results.length === 0) return 'succeeded';
  // Batches per outcome; null where an entry could not say how many.
  const batchesByOutcome = new Map<string, number | null>();
  const add = (key: string, found: number | null): void => {
    const sum = batchesByOutcome.has(key) ? (batchesByOutcome.get(key) ?? null) : 0;
    batchesByOutcome.set(key, sum === null || found === null ? null : sum + found);
  };
  for (const result of results) {
    // A group's summary (this definition): its outcomes counted, its batches in one figure.
    const summary = read(groupSummaryPart, result);
    if (summary) {
      for (const outcome of Object.keys(summary.outcomes)) add(outcome, 0);
      if (summary.outcomes.generated) add('generated', summary.batchesGenerated);
      continue;
    }
    const outcome = read(outcomePart, result);
    const key = outcome?.outcome ?? 'unknown outcome';
    add(key, key !== 'generated' ? 0 : outcome?.verification ? outcome.verification.ledgers.reduce((sum, ledger) => sum + ledger.found, 0) : null);
  }
  return [...batchesByOutcome.entries()]
    .map(([outcome, batches]) => (outcome !== 'generated' ? outcome.replaceAll('-', ' ') : batches === null ? 'generated' : `generated ${batches} batch(es)`))
    .join(', ');
}

/** The `results` of an execution's output; none when the output is missing, cut short or of another shape. */
function resultsOf(output: string | undefined): unknown[] {
  try {
    const results = (JSON.parse(output ?? '{}') as { results?: unknown }).results;
    return Array.isArray(results) ? results : [];
  } catch {
    return [];
  }
}
