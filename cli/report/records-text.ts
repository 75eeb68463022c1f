/** The ledger-month records in words, as the progress view, the run report and `status` say them. */

/** A record's state for people; an operator's decision says which way it went. */
export function recordStateText(state: string | null, generated?: boolean): string {
  if (state === null) return 'no record';
  if (state === 'overridden') return generated ? 'resolved as generated' : 'resolved as not generated';
  return state.replaceAll('-', ' ');
}

interface MonthRecord {
  month: string;
  state: string | null;
  generated: boolean;
}

/**
 * `2025-01, 2025-02 generated; 2025-03 no record`: neighbouring months in the same state share one
 * label, so a reconciliation of many months stays one line.
 */
export function describeRecordMonths(months: readonly MonthRecord[]): string {
  const groups: Array<{ text: string; months: string[] }> = [];
  for (const entry of months) {
    const text = recordStateText(entry.state, entry.generated);
    const last = groups.at(-1);
    if (last?.text === text) last.months.push(entry.month);
    else groups.push({ text, months: [entry.month] });
  }
  return groups.map((group) => `${group.months.join(', ')} ${group.text}`).join('; ');
}

/** The months an `already-generated` outcome found recorded: plain months, a note where an operator decided. */
export function recordedMonthsText(months: readonly MonthRecord[]): string {
  return months.map((entry) => (entry.state === 'generated' || entry.state === null ? entry.month : `${entry.month} (${recordStateText(entry.state, entry.generated)})`)).join(', ');
}
