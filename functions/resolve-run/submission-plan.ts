/**
 * Which quarters a run submits, and to which report. A generating run looks at every quarter whose
 * last month its window reaches (a reconciliation touches the just-ended quarter on each fire, and a
 * quarter already recorded submitted costs a read); `submit-report --quarter` names its one quarter.
 */
import { monthsTouched } from '../shared/calendar.js';
import { MAX_QUARTERS_PER_RUN } from '../shared/limits.js';
import { quarterOf, quarterOfMonth, REPORT_ID, reportNameFor } from '../shared/reports.js';
import type { ExecutionInput, QuarterToSubmit, RunDefaults, SubmissionPlan, Window } from '../shared/run-plan.js';

const OFF: SubmissionPlan = { enabled: false, quarters: [], ledgers: [], onRequest: false };

export function resolveSubmission(input: ExecutionInput, defaults: RunDefaults, window: Window, timeZone: string, problems: string[]): SubmissionPlan {
  const configured = defaults.reports;
  const onRequest = input.quarter !== undefined;
  if (onRequest && input.submitReports === false) {
    problems.push('submitReports: expected true or nothing with quarter (a quarter-only run exists to submit its report)');
    return OFF;
  }
  const enabled = onRequest || (input.submitReports ?? configured?.submit ?? false);
  if (!enabled) {
    if (input.report !== undefined) problems.push('report: only with submitReports (or quarter): this run submits no report');
    return OFF;
  }
  // Dry runs look at the quarters too: they show the report and the batches a submission would add.
  const quarters = onRequest ? [input.quarter as string] : quartersEndingIn(window, timeZone);
  // A window that ends no quarter has nothing to submit: the stage is not entered at all.
  if (quarters.length === 0) return OFF;
  if (quarters.length > MAX_QUARTERS_PER_RUN) {
    problems.push(`submitReports: expected a window that ends at most ${MAX_QUARTERS_PER_RUN} quarters, got ${quarters.length}`);
    return OFF;
  }
  const selector = input.report;
  if (selector !== undefined && REPORT_ID.test(selector) && quarters.length > 1) {
    problems.push(`report: an id names one quarter's report, and this run submits ${quarters.join(', ')}: give a name pattern with {q} and {yyyy}, or one quarter`);
    return OFF;
  }
  const toSubmit = quarters.map((quarter): QuarterToSubmit => {
    const chosen = selector ?? configured?.reportIds?.[quarter] ?? configured?.namePattern;
    if (chosen === undefined) return { quarter, reportId: null, reportName: null };
    return REPORT_ID.test(chosen) ? { quarter, reportId: chosen, reportName: null } : { quarter, reportId: null, reportName: reportNameFor(chosen, quarter, 'report') };
  });
  if (onRequest && toSubmit.every((entry) => entry.reportId === null && entry.reportName === null)) {
    problems.push(`report: expected the report for ${input.quarter}: give its id (rpt_…) or a name pattern, or configure reports.namePattern or reports.reportIds`);
    return OFF;
  }
  return { enabled: true, quarters: toSubmit, ledgers: configured?.ledgers ?? defaults.ledgers, onRequest };
}

/** The quarters whose last month lies in the window, oldest first. */
function quartersEndingIn(window: Window, timeZone: string): string[] {
  const months = new Set(monthsTouched(window, timeZone));
  const quarters = [...new Set([...months].map(quarterOfMonth))];
  return quarters.filter((quarter) => months.has(quarterOf(quarter).months[2]));
}
