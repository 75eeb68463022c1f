/**
 * Writes the alert a person reads when a run fails. A Lambda rather than States.Format in the
 * definition because the Cause it starts from differs by source (JSON from a Lambda error, plain
 * text from a Choice or a service) and an alert path must not itself fail on a shape it did not expect.
 */
import * as z from 'zod/mini';
import { readableCause } from '../shared/error-cause.js';
import { InvalidInputError } from '../shared/errors.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import type { Window } from '../shared/run-plan.js';
import { MAX_FAILURES_IN_ALERT } from '../shared/limits.js';
import { failureAlertSchema, groupSummarySchema, ledgerFailureSchema, quarterOutcomeSchema, read, runStateSchema, type FailureAlert, type ListedFailure } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { toSnsSubject } from '../shared/sns-subject.js';
import { adviceFor } from './advice.js';

export const describeFailureStep = defineStep({
  name: 'DescribeFailure',
  output: failureAlertSchema,
  result: 'alert',
  input: z.object({
    executionName: z.string(),
    run: runStateSchema,
  }),
  run: async ({ executionName, run }) => {
    const unresolved = (run.grouping?.unresolved ?? []).flatMap((outcome) => read(ledgerFailureSchema, outcome) ?? []);
    const summaries = run.results.flatMap((result) => read(groupSummarySchema, result) ?? []);
    // Before any group ran, `results` holds the run's one failure itself.
    const runFailures = run.results.flatMap((result) => read(ledgerFailureSchema, result) ?? []);
    const submissionFailures = (run.submissions ?? []).flatMap((outcome) => {
      const submission = read(quarterOutcomeSchema, outcome);
      if (!submission?.failed) return [];
      return [{ ledger: null, quarter: submission.quarter, report: submission.report, step: submission.step ?? 'PrepareSubmission', error: submission.error ?? 'SubmissionFailedError', cause: submission.cause }];
    });
    const failures = [...unresolved, ...runFailures, ...summaries.flatMap((summary) => summary.failures), ...submissionFailures];
    const total = (run.grouping?.unresolvedTotal ?? unresolved.length) + runFailures.length + summaries.reduce((sum, summary) => sum + summary.failed, 0) + submissionFailures.length;
    if (failures.length === 0) throw new InvalidInputError('DescribeFailure input', ['run.results: expected at least one failed outcome']);
    return describeFailure(executionName, run.plan?.window ?? null, failures, total, run.plan?.ledgers ?? []);
  },
});

/** `total`: every failure of the run, of which `failures` are those known in full (the first of each group). */
export function describeFailure(executionName: string, window: Window | null, failures: ListedFailure[], total = failures.length, runLedgers: string[] = []): FailureAlert {
  // A failure before any ledger resolved (GroupLedgers) still names the ledgers the run was for.
  const describeLedger = (ledger: ListedFailure['ledger']): string => describeOneLedger(ledger, runLedgers);
  const windowText = window ? `${window.label} (${window.startTime} to ${window.endTime})` : 'not resolved';
  const listed = failures.slice(0, MAX_FAILURES_IN_ALERT);
  const sections = listed.map((failure) => {
    if (failure.quarter) return describeSubmissionFailure(failure);
    const ledger = describeLedger(failure.ledger);
    // In a reconciliation each failure is one month's: its own window, not the run's span.
    const own = failure.window ?? window;
    const hint = adviceFor(failure.error)
      .replaceAll('{ledger}', ledger)
      .replaceAll('{window}', own ? own.label : 'the window');
    return [
      `Ledger: ${ledger}`,
      ...(failure.window && failure.window.label !== window?.label ? [`Month: ${failure.window.label}`] : []),
      `Failed step: ${failure.step}`,
      `Error: ${failure.error}`,
      `Details: ${readableCause(failure.cause)}`,
      `What to do: ${hint}`,
    ].join('\n');
  });
  const first = failures[0] as ListedFailure;
  const who = total === 1 ? (first.quarter ? `report for ${first.quarter}` : (first.ledger?.name ?? first.ledger?.ref ?? 'run')) : `${total} ledger-months or quarters`;
  const when = first.quarter && total === 1 ? '' : ` ${(total === 1 ? first.window : null)?.label ?? window?.label ?? ''}`;
  const subject = toSnsSubject(`Batch Autopilot failed: ${who}${when} (${first.error})`);
  const unlisted = total - listed.length;
  const message = [
    `Batch Autopilot could not finish ${failures.every((failure) => failure.quarter) ? "submitting the quarter's report" : failures.some((failure) => failure.quarter) ? "generating batches and submitting the quarter's report" : 'generating batches'}.`,
    ``,
    `Execution: ${executionName}`,
    `Window: ${windowText}`,
    ``,
    sections.join('\n\n'),
    ...(unlisted > 0 ? ['', `…and ${unlisted} more failed ledger-month(s): \`batch-autopilot status\` and the execution's group runs list every one.`] : []),
  ].join('\n');
  const where = first.quarter ? `${first.quarter} report ${describeReport(first.report)}` : describeLedger(first.ledger);
  return { subject, message, error: first.error, cause: `${where} at ${first.step}: ${readableCause(first.cause)}` };
}

function describeReport(report: ListedFailure['report']): string {
  return report ? `"${report.name}" (${report.id}, ${report.status})` : '(not found)';
}

/** A quarter's report submission that failed: its quarter and report in place of a ledger. */
function describeSubmissionFailure(failure: ListedFailure): string {
  const quarter = failure.quarter ?? '';
  const hint = adviceFor(failure.error).replaceAll('{quarter}', quarter).replaceAll('{report}', failure.report ? `"${failure.report.name}"` : 'the report');
  return [
    `Quarter: ${quarter}`,
    `Report: ${describeReport(failure.report)}`,
    `Failed step: ${failure.step}`,
    `Error: ${failure.error}`,
    `Details: ${readableCause(failure.cause)}`,
    `What to do: ${hint}`,
  ].join('\n');
}

function describeOneLedger(ledger: ListedFailure['ledger'], runLedgers: string[]): string {
  if (!ledger && runLedgers.length > 0) {
    const named = runLedgers.slice(0, 5).map((ref) => `"${ref}"`).join(', ');
    return `none resolved yet (the run's ledgers: ${named}${runLedgers.length > 5 ? ` and ${runLedgers.length - 5} more` : ''})`;
  }
  if (!ledger) return 'none (the run stopped before any ledger)';
  if (ledger.id) return `"${ledger.name ?? ledger.ref}" (${ledger.id})`;
  return `"${ledger.ref}"`;
}


export const handler = lambdaHandler(describeFailureStep, runtimeFromEnvironment);
