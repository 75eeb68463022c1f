/** The bench's one table: every figure beside what it was before and its target. */
export interface Row {
  figure: string;
  measured: string;
  before: string;
  target: string;
  /** null: no target, a figure to read. */
  holds: boolean | null;
}

export function renderTable(rows: Row[]): string {
  const header = ['figure', 'measured', 'before (issue 11)', 'target', 'holds'];
  const lines = rows.map((row) => [row.figure, row.measured, row.before, row.target, row.holds === null ? '' : row.holds ? 'yes' : 'NO']);
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}
