import { describe, expect, it } from 'vitest';
import { quarterStatus } from '../../../cli/report/quarter-status.js';
import type { QuarterSubmission } from '../../../functions/shared/quarter-submission-record.js';

const CURRENT = '2026-11';
const record = (fields: Partial<QuarterSubmission>): QuarterSubmission => ({ quarter: '2026-Q3', state: 'submitted', updatedAt: '2026-10-03T06:01:12.000Z', ...fields });
const text = (fields: Partial<QuarterSubmission> | null, quarter = '2026-Q3') => quarterStatus(quarter, fields && record(fields), CURRENT).text;

describe('a quarter in the Reports section of status', () => {
  it('says each state of the record in a line', () => {
    expect(text({ submittedAt: '2026-10-03T06:01:12Z', taskId: 7, reportName: 'Q3 2026 Carbon Report', reportId: 'rpt_q3' })).toBe('submitted 2026-10-03T06:01:12Z (task 7, "Q3 2026 Carbon Report" rpt_q3)');
    expect(text({ state: 'submitted', evidence: 'report found complete', reportId: 'rpt_q3' })).toBe('submitted (report found complete, rpt_q3, recorded 2026-10-03T06:01:12.000Z)');
    expect(text({ state: 'submitting', owner: 'scheduled-x#2026-Q3' })).toBe('submitting (held by scheduled-x#2026-Q3, since 2026-10-03T06:01:12.000Z)');
    expect(text({ state: 'outcome-unknown' })).toBe(
      'in doubt since 2026-10-03T06:01:12.000Z (submit POST unanswered); "batch-autopilot submit-report --quarter 2026-Q3" settles it, submitting again only if the report is still draft',
    );
    expect(text({ state: 'outcome-unknown', taskId: 9 })).toMatch(/^in doubt since \S+ \(task 9 not seen to end\);/);
    expect(text({ state: 'failed', error: 'ReportNotFoundError: no report is named "Q3 2026 Carbon Report"' })).toBe(
      'failed: ReportNotFoundError: no report is named "Q3 2026 Carbon Report" (since 2026-10-03T06:01:12.000Z); not submitted',
    );
    expect(text(null)).toBe('not submitted');
    expect(text(null, '2026-Q4')).toBe('not due');
  });

  it('a record missing its fields still prints', () => {
    expect(text({ updatedAt: '' })).toBe('submitted');
    expect(text({ state: 'submitting', updatedAt: '' })).toBe('submitting (held by a run)');
    expect(text({ state: 'failed', updatedAt: '' })).toBe('failed: no error recorded; not submitted');
    expect(text({ state: 'paused' as QuarterSubmission['state'] })).toBe('paused');
  });
});
