/** The one plain-text table of the CLI (batches, backfill months, executions). */

export interface TableOptions {
  indent?: string;
  /** Columns whose cells line up on the right (numbers). */
  alignRight?: number[];
}

/** Lines of a table with a header row; every cell already a string; trailing spaces trimmed. */
export function table(header: string[], rows: string[][], options: TableOptions = {}): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const right = new Set(options.alignRight ?? []);
  return all.map((row) =>
    `${options.indent ?? ''}${row.map((cell, column) => (right.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ')}`.trimEnd(),
  );
}
