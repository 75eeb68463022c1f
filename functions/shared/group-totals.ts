/** A run's totals from its groups' summaries: what the success report and the run report add up. */
import type { GroupSummary } from './state-contract.js';

export interface GroupTotals {
  /** Ledger-months per outcome name. */
  outcomes: Record<string, number>;
  batchesGenerated: number;
  /** Amounts generated per unit, in the order the units first appear. */
  amounts: Array<{ unit: string | null; value: number }>;
}

/** `amounts` is optional: a report read from another definition's history may lack it. */
export function totalsOf(summaries: Array<Pick<GroupSummary, 'outcomes' | 'batchesGenerated'> & { amounts?: GroupSummary['amounts'] }>): GroupTotals {
  const outcomes: Record<string, number> = {};
  const amounts = new Map<string | null, number>();
  let batchesGenerated = 0;
  for (const summary of summaries) {
    for (const [outcome, count] of Object.entries(summary.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    for (const { unit, value } of summary.amounts ?? []) amounts.set(unit, (amounts.get(unit) ?? 0) + value);
    batchesGenerated += summary.batchesGenerated;
  }
  return { outcomes, batchesGenerated, amounts: [...amounts.entries()].map(([unit, value]) => ({ unit, value })) };
}
