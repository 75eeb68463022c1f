/**
 * `status`'s Reports section: each quarter the shown months touch, and what its submission record
 * says. Read tolerantly: a record written by an older or newer version, missing a field, still prints.
 */
import type { QuarterSubmission } from '../../functions/shared/quarter-submission-record.js';
import { quarterOf } from '../../functions/shared/reports.js';

export type QuarterStatusName = 'not-due' | 'not-submitted' | 'submitted' | 'submitting' | 'outcome-unknown' | 'failed';

export interface QuarterStatus {
  quarter: string;
  status: QuarterStatusName;
  /** What the Reports section shows after the quarter. */
  text: string;
  record: QuarterSubmission | null;
}

/** Whether the quarter has ended by `currentMonth`: one that has not cannot be submitted, so its record is not read. */
export function quarterIsOver(quarter: string, currentMonth: string): boolean {
  return quarterOf(quarter).months[2] < currentMonth;
}

export function quarterStatus(quarter: string, record: QuarterSubmission | null, currentMonth: string): QuarterStatus {
  const status = (name: QuarterStatusName, text: string): QuarterStatus => ({ quarter, status: name, text, record });
  if (!record) return quarterIsOver(quarter, currentMonth) ? status('not-submitted', 'not submitted') : status('not-due', 'not due');
  const since = record.updatedAt ? ` since ${record.updatedAt}` : '';
  switch (record.state) {
    case 'submitted': {
      const how = record.taskId !== undefined ? `task ${record.taskId}` : record.evidence;
      const recorded = !record.submittedAt && record.updatedAt ? `recorded ${record.updatedAt}` : '';
      const parts = [how, reportText(record), recorded].filter(Boolean);
      return status('submitted', ['submitted', record.submittedAt, parts.length > 0 ? `(${parts.join(', ')})` : ''].filter(Boolean).join(' '));
    }
    case 'submitting':
      return status('submitting', `submitting${record.taskId !== undefined ? `: task ${record.taskId}` : ''} (held by ${record.owner ?? 'a run'}${since ? `,${since}` : ''})`);
    case 'outcome-unknown': {
      const why = record.taskId !== undefined ? `task ${record.taskId} not seen to end` : 'submit POST unanswered';
      return status('outcome-unknown', `in doubt${since} (${why}); "batch-autopilot submit-report --quarter ${quarter}" settles it, submitting again only if the report is still draft`);
    }
    case 'failed':
      return status('failed', `failed: ${record.error ?? 'no error recorded'}${since ? ` (${since.trim()})` : ''}; not submitted`);
    default:
      return status('not-submitted', String(record.state ?? 'no state recorded'));
  }
}

function reportText(record: QuarterSubmission): string {
  return [record.reportName ? `"${record.reportName}"` : '', record.reportId ?? ''].filter(Boolean).join(' ');
}

/** `Reports` and a line per quarter, oldest first. */
export function renderQuarterStatus(quarters: readonly QuarterStatus[]): string[] {
  return ['Reports', ...quarters.map((entry) => `  ${entry.quarter}  ${entry.text}`)];
}
