/** A finished execution in a few words, for the backfill and history tables. */
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';

interface LedgerResult {
  outcome?: string;
  verification?: { ledgers?: Array<{ found?: number }> };
}

/** "generated 3", "already generated", "nothing to generate", "dry run", or the failure. */
export function outcomeOf(description: Pick<DescribeExecutionCommandOutput, 'status' | 'output'>, failure?: { error: string } | null): string {
  if (description.status !== 'SUCCEEDED') return failure ? `${description.status}: ${failure.error}` : (description.status ?? 'UNKNOWN');
  let results: LedgerResult[] = [];
  try {
    results = (JSON.parse(description.output ?? '{}') as { results?: LedgerResult[] }).results ?? [];
  } catch {
    return 'succeeded';
  }
  const outcomes = new Map<string, number>();
  for (const result of results) {
    const key = result.outcome ?? 'unknown';
    const batches = key === 'generated' ? (result.verification?.ledgers ?? []).reduce((sum, ledger) => sum + (ledger.found ?? 0), 0) : 0;
    outcomes.set(key, (outcomes.get(key) ?? 0) + batches);
  }
  return [...outcomes.entries()]
    .map(([outcome, batches]) => (outcome === 'generated' ? `generated ${batches} batch(es)` : outcome.replaceAll('-', ' ')))
    .join(', ');
}

/** Plain-text table with a header row; every cell already a string. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}
