/** A finished execution in a few words, for the backfill and history tables. */
import { read } from '../../functions/shared/state-contract.js';
import { groupSummaryPart, outcomePart, quarterPart } from './readers.js';

/** "generated 3 batch(es)", "already generated", "nothing to generate", "dry run", or the failure. */
export function outcomeOf(description: { status?: string; output?: string }, failure?: { error: string } | null): string {
  if (description.status !== 'SUCCEEDED') return failure ? `${description.status}: ${failure.error}` : (description.status ?? 'UNKNOWN');
  const results = listOf(description.output, 'results');
  // Each quarter's report submission, as "2025-Q1 submitted".
  const quarters = listOf(description.output, 'submissions').flatMap((entry) => {
    const submission = read(quarterPart, entry);
    return submission ? [`${submission.quarter} ${submission.outcome.replaceAll('-', ' ')}`] : [];
  });
  if (results.length === 0) return quarters.length > 0 ? quarters.join(', ') : 'succeeded';
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
  return [
    ...[...batchesByOutcome.entries()].map(([outcome, batches]) =>
      outcome !== 'generated' ? outcome.replaceAll('-', ' ') : batches === null ? 'generated' : `generated ${batches} batch(es)`,
    ),
    ...quarters,
  ].join(', ');
}

/** A list of an execution's output (`results`, `submissions`); none when the output is missing, cut short or of another shape. */
function listOf(output: string | undefined, field: 'results' | 'submissions'): unknown[] {
  try {
    const list = (JSON.parse(output ?? '{}') as Record<string, unknown>)[field];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
