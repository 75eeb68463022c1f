/**
 * `status` as data and as text: one cell per ledger × month, judged from the month's record and
 * today's date (overdue is a matter of the calendar as well as of the record).
 */
import type { LedgerMonthRecord } from '../../functions/shared/ledger-month-record.js';
import { table } from './table.js';

export type CellStatus =
  | 'not-due'
  | 'no-record'
  | 'generated'
  | 'waiting-for-data'
  | 'overdue'
  | 'generating'
  | 'claimed'
  | 'outcome-unknown'
  | 'failed'
  | 'overridden';

export interface StatusCell {
  month: string;
  status: CellStatus;
  /** What the grid shows. */
  text: string;
  /** A line under the grid for what does not fit in a cell (an error, who decided, who holds it). */
  detail?: string;
  record: LedgerMonthRecord | null;
}

export interface Calendar {
  /** The month today is in (configured time zone): not over, so not due. */
  currentMonth: string;
  /** Whether a month's data should be in by now (functions/shared/calendar.ts isPastGenerateBy). */
  pastGenerateBy(month: string): boolean;
  /** From this day on the previous month's data should be in (cdk.json generateByDay). */
  generateByDay: number;
}

export function statusCell(month: string, record: LedgerMonthRecord | null, calendar: Calendar): StatusCell {
  const cell = (status: CellStatus, text: string, detail?: string): StatusCell => ({ month, status, text, ...(detail ? { detail } : {}), record });
  if (month >= calendar.currentMonth) return cell('not-due', 'not due');
  if (!record) return cell('no-record', '—');
  const since = `since ${record.updatedAt}`;
  switch (record.state) {
    case 'generated':
      return cell('generated', generatedText(record));
    case 'waiting-for-data': {
      const late = record.overdueAlertedAt !== undefined || calendar.pastGenerateBy(month);
      if (!late) return cell('waiting-for-data', 'waiting for data');
      return cell('overdue', 'overdue', record.overdueAlertedAt ? `no data yet; the overdue alert went out ${record.overdueAlertedAt}` : `no data yet, past the generate-by day (${calendar.generateByDay}); ${since}`);
    }
    case 'generating':
      return cell('generating', record.taskId === undefined ? 'generating' : `generating: task ${record.taskId}`, `held by ${record.owner ?? 'a run'}, ${since}`);
    case 'claimed':
      return cell('claimed', 'claimed', `held by ${record.owner ?? 'a run'}, ${since}; a run is about to generate it`);
    case 'outcome-unknown':
      return cell(
        'outcome-unknown',
        'outcome unknown',
        `a generation${record.taskId === undefined ? '' : ` (task ${record.taskId})`} may or may not have happened, ${since}: check the ledger in Mangrove, then "batch-autopilot resolve … generated|not-generated"`,
      );
    case 'failed':
      return cell('failed', `failed: ${short(record.error ?? 'unknown error')}`, `${record.error ?? 'no error recorded'} (${since}); the next run tries again`);
    case 'overridden': {
      const decision = record.decision ?? 'decided';
      return cell('overridden', `overridden: ${decision}${record.by ? ` (${shortBy(record.by)})` : ''}`, `${decision}, by ${record.by ?? 'an operator'}, at ${record.updatedAt}`);
    }
    default:
      return cell('no-record', String(record.state));
  }
}

function generatedText(record: LedgerMonthRecord): string {
  const parts: string[] = [];
  if (record.batchIds) parts.push(`${record.batchIds.length} batch(es)`);
  if (record.total) parts.push(`${record.total.value.toFixed(3)}${record.total.unit ? ` ${record.total.unit}` : ''}`);
  return parts.length > 0 ? `generated: ${parts.join(', ')}` : 'generated';
}

/** `arn:aws:sts::1…:assumed-role/Ops/alice` → `alice`: the person, in a cell. */
function shortBy(by: string): string {
  return by.split('/').at(-1) ?? by;
}

function short(text: string): string {
  return text.length <= 32 ? text : `${text.slice(0, 31)}…`;
}

export interface StatusRow {
  ref: string;
  id: string;
  name: string | null;
  cells: StatusCell[];
}

/** Months down, ledgers across: a few ledgers fit a terminal's width, many months its height. */
export function renderStatus(months: readonly string[], rows: readonly StatusRow[]): string[] {
  const label = (row: StatusRow): string => (row.name ? `${row.name} (${row.id})` : row.id);
  const lines = table(['Month', ...rows.map(label)], months.map((month, index) => [month, ...rows.map((row) => row.cells[index]?.text ?? '')]));
  const details = months.flatMap((month, index) =>
    rows.flatMap((row) => {
      const cell = row.cells[index];
      return cell?.detail ? [`  ${month} ${label(row)}: ${cell.text.split(':')[0]}: ${cell.detail}`] : [];
    }),
  );
  return details.length > 0 ? [...lines, '', ...details] : lines;
}
