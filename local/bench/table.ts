/** The bench's one table: every figure beside issue 11's figure for it ("today", before the work) and its target. */
export interface Row {
  figure: string;
  measured: string;
  before: string;
  target: string;
  /** null: no target, a figure to read. */
  holds: boolean | null;
}

export function renderTable(rows: Row[]): string {
  const header = ['figure', 'measured', 'today (before)', 'target', 'holds'];
  const lines = rows.map((row) => [row.figure, row.measured, row.before, row.target, row.holds === null ? '' : row.holds ? 'yes' : 'NO']);
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}
