/** What a run produced, as the CLI reports it: the `--json` summary and the human tables. */
import * as z from 'zod';
import { readableCause } from '../../functions/shared/error-cause.js';
import { totalsOf } from '../../functions/shared/group-totals.js';
import { windowSchema } from '../../functions/shared/run-plan.js';
import { read, type BatchSummary, type FailureAlert } from '../../functions/shared/state-contract.js';
import type { Paint } from '../io.js';
import { itemKeyOf, type RunEvent } from './run-event.js';
import { formatDuration } from './duration.js';
import { alertPart, at, groupSummaryPart, outcomePart, planPart, quarterPart, type OutcomePart, type QuarterPart } from './readers.js';
import { describeQuarter } from './submission-text.js';
import { recordedMonthsText } from './records-text.js';
import { table } from './table.js';

export interface LedgerReport {
  id: string | null;
  name: string | null;
  /** The id or name the run was given, for a ledger that could not be resolved. */
  ref: string | null;
  /** The month this entry reconciled (a scheduled run's items are ledger × month); null for a manual window. */
  month: string | null;
  outcome: string;
  previewCount: number | null;
  taskId: number | null;
  batches: BatchSummary[];
  /** `already-generated` from the records alone: what they said of each month (nothing was asked of Mangrove). */
  records?: Array<{ month: string; state: string | null; generated: boolean; batches: number }>;
  step?: string;
  error?: string;
  cause?: string;
  advice?: string;
}

export interface RunReport {
  status: 'succeeded' | 'failed';
  window: { startTime: string; endTime: string; label: string } | null;
  ledgers: LedgerReport[];
  error?: string;
  cause?: string;
  /** What the run's failure alert says (published to SNS when deployed). */
  alert?: { subject: string; message: string };
  /**
   * The groups' summaries, when the history holds no branch of its own (a deployed run: each
   * group's steps are in its child execution); `ledgers` then holds only the failures they name.
   */
  groups?: { count: number; outcomes: Record<string, number>; batchesGenerated: number };
  /** References GroupLedgers could not resolve beyond those it listed (it lists the first few). */
  unlistedUnresolved?: number;
  /** Each quarter's report submission, when the run submitted reports. */
  submissions?: Array<QuarterPart & { advice?: string }>;
}

const planWindowSchema = z.object({ plan: z.object({ window: windowSchema }) });
const planSlotsSchema = at('plan', planPart);
const unresolvedSchema = z.object({ grouping: z.object({ unresolved: z.array(z.unknown()), unresolvedTotal: z.number().optional() }) });
const resultsSchema = z.object({ results: z.array(z.unknown()) });
const groupFailuresSchema = z.object({ failures: z.array(z.unknown()) });
const summariesSchema = z.object({ results: z.array(groupSummaryPart) });
const alertStateSchema = z.object({ alert: alertPart });
const submissionsSchema = z.object({ submissions: z.array(z.unknown()) });

/** Builds the report from the run's events, which hold the per-ledger outcomes even when the run failed. */
export function buildRunReport(status: RunReport['status'], events: RunEvent[], failure?: { error: string; cause: string }): RunReport {
  const window = read(planWindowSchema, stateOutput(events, 'ResolveRun'))?.plan.window ?? null;
  const alert = read(alertStateSchema, stateOutput(events, 'DescribeFailure'))?.alert;
  // A reconciliation's outcomes are one per month: each names its month.
  const reconciles = (read(planSlotsSchema, stateOutput(events, 'ResolveRun'))?.plan?.slots ?? []).some((slot) => slot.month !== null);
  const sections = adviceSections(alert);
  let failures = 0;
  const found = outcomesIn(events);
  const ledgers = found.outcomes.flatMap((outcome) => {
    // The alert has one section per failure, in the order of the outcomes.
    const section = outcome.outcome === 'failed' ? sections[failures++] : undefined;
    return reportLedger(outcome, reconciles ? (outcome.window?.label ?? null) : null, alert, section);
  });
  const report: RunReport = { status, window, ledgers };
  if (failure) {
    report.error = failure.error;
    report.cause = readableCause(failure.cause);
  }
  if (alert) report.alert = { subject: alert.subject, message: alert.message };
  if (found.unlistedUnresolved > 0) report.unlistedUnresolved = found.unlistedUnresolved;
  const summaries = found.fromBranches ? [] : (read(summariesSchema, stateOutput(events, 'ForEachGroup'))?.results ?? []);
  if (summaries.length > 0) {
    const { outcomes, batchesGenerated } = totalsOf(summaries);
    report.groups = { count: summaries.length, outcomes, batchesGenerated };
  }
  const submissions = (read(submissionsSchema, stateOutput(events, 'ForEachQuarter'))?.submissions ?? []).flatMap((entry) => read(quarterPart, entry) ?? []);
  if (submissions.length > 0) {
    const quarterSections = alert?.message.split('\n\n').filter((part) => part.startsWith('Quarter: ')) ?? [];
    report.submissions = submissions.map((submission) => {
      const advice = /^What to do: (.*)$/m.exec(quarterSections.find((part) => part.startsWith(`Quarter: ${submission.quarter}`)) ?? '')?.[1];
      return advice && submission.outcome === 'failed' ? { ...submission, advice } : submission;
    });
  }
  return report;
}

function stateOutput(events: RunEvent[], stateName: string): unknown {
  return events.findLast((event) => event.type === 'StateExited' && event.state?.name === stateName && event.index === undefined)?.state?.output;
}

/**
 * Every ledger-month's outcome: the references GroupLedgers could not resolve, then what each
 * branch ended with, one per ledger and window (a retried or resumed branch: its last). A history
 * without the branches' events (a deployed run's children keep theirs) falls back to the failures
 * the groups' summaries carry, or the run's one failure before any group.
 */
export function itemOutcomes(events: RunEvent[]): OutcomePart[] {
  return outcomesIn(events).outcomes;
}

/** The outcomes, whether they came from the branches' own events, and the unresolved references GroupLedgers only counted. */
function outcomesIn(events: RunEvent[]): { outcomes: OutcomePart[]; fromBranches: boolean; unlistedUnresolved: number } {
  const grouping = read(unresolvedSchema, stateOutput(events, 'GroupLedgers'))?.grouping;
  const unresolved = (grouping?.unresolved ?? []).flatMap((entry) => read(outcomePart, entry) ?? []);
  const unlistedUnresolved = (grouping?.unresolvedTotal ?? 0) - (grouping?.unresolved.length ?? 0);
  const byItem = new Map<string, OutcomePart>();
  for (const event of events) {
    // Only a branch's last state holds its outcome; earlier states hold the branch's working state.
    if (event.type !== 'StateExited' || event.index === undefined || event.state?.type !== 'Pass') continue;
    // A quarter's submission ends in a Pass of its own Map: not a ledger's outcome.
    if (read(quarterPart, event.state?.output)) continue;
    const outcome = read(outcomePart, event.state?.output);
    // Older definitions' outcomes carry no window: the state's input still names the item, or its index does.
    const key = itemKeyOf(event.state?.output) || itemKeyOf(event.state?.input) || `#${event.index}`;
    if (outcome) byItem.set(key, outcome);
  }
  if (byItem.size > 0) return { outcomes: [...unresolved, ...byItem.values()], fromBranches: true, unlistedUnresolved };
  const results = read(resultsSchema, stateOutput(events, 'ForEachGroup') ?? stateOutput(events, 'ForEachLedger') ?? stateOutput(events, 'ListRunFailure') ?? stateOutput(events, 'ListPlannedRunFailure'))?.results ?? [];
  // A summary's failures are failed outcomes named briefly.
  const listed = results.flatMap((result) => read(groupFailuresSchema, result)?.failures.map((failure) => ({ ...(failure as object), outcome: 'failed' })) ?? [result]);
  return { outcomes: [...unresolved, ...listed.flatMap((entry) => read(outcomePart, entry) ?? [])], fromBranches: false, unlistedUnresolved };
}

/** One entry per ledger the model wrote: a model may write several ledgers from one request. */
function reportLedger(result: OutcomePart, month: string | null, alert: FailureAlert | undefined, section: string | undefined): LedgerReport[] {
  const base = { ref: result.ledger?.ref ?? null, month, outcome: result.outcome };
  const taskId = result.generation?.taskId ?? result.taskId ?? null;
  if (result.outcome === 'failed' || !result.preview) {
    const ledger = result.ledger?.id ?? result.ledger?.ref ?? '';
    const advice = adviceIn(section !== undefined && section.includes(ledger) ? [section] : adviceSections(alert), ledger);
    return [
      {
        ...base,
        id: result.ledger?.id ?? null,
        // A summary's failure names a resolved ledger by its name in `ref`, beside its id.
        name: result.ledger?.name ?? (result.ledger?.id ? result.ledger.ref : null),
        previewCount: null,
        taskId,
        batches: [],
        ...(result.records ? { records: result.records.months } : {}),
        ...(result.outcome === 'failed' ? { step: result.step ?? 'an unknown step', error: result.error ?? 'an unknown error', cause: readableCause(result.cause) } : {}),
        ...(advice ? { advice } : {}),
      },
    ];
  }
  return result.preview.ledgers.map((entry) => ({
    ...base,
    id: entry.id,
    name: entry.name,
    previewCount: entry.count,
    taskId,
    batches: result.verification?.ledgers.find((verified) => verified.id === entry.id)?.batches ?? [],
  }));
}

/** The alert's per-ledger sections, in the order of the failures. */
function adviceSections(alert: FailureAlert | undefined): string[] {
  return alert?.message.split('\n\n').filter((part) => part.startsWith('Ledger: ')) ?? [];
}

/** The "What to do" of the first of `sections` that names the ledger. */
function adviceIn(sections: string[], ledger: string): string | undefined {
  const section = sections.find((part) => part.includes(ledger));
  return /^What to do: (.*)$/m.exec(section ?? '')?.[1];
}

const OUTCOME_TEXT: Record<string, string> = {
  generated: 'generated',
  'already-generated': 'already generated: batches exist in this window, nothing was sent (use --force to generate anyway)',
  'nothing-to-generate': 'nothing to generate: Mangrove previews 0 batches for this window; recorded as waiting for data',
  'dry-run': 'dry run: previewed only, nothing generated',
  'generating-elsewhere': 'being generated by another run right now: nothing was sent (that run reports the batches)',
};

export interface RenderOptions {
  paint: Paint;
  /** The execution's own status (follow); a local run says Succeeded / Failed. */
  executionStatus?: string;
  /** Rewrites workflow wording (field names) for the reader. */
  terms?: (text: string) => string;
}

export function renderRunReport(report: RunReport, elapsedMs: number, options: RenderOptions): string {
  const { paint } = options;
  const terms = options.terms ?? ((text: string) => text);
  const lines: string[] = [''];
  for (const ledger of report.ledgers) {
    const who = ledger.name ? `${ledger.name} (${ledger.id})` : ledger.ref ? `"${ledger.ref}"` : 'A ledger the history does not name';
    const title = ledger.month ? `${who} ${ledger.month}` : who;
    if (ledger.outcome === 'failed') {
      lines.push(`${title}: ${paint.red('FAILED')} at ${ledger.step} (${ledger.error})`);
      if (ledger.advice) lines.push(`  What to do: ${terms(ledger.advice)}`);
      continue;
    }
    const preview = ledger.previewCount === null ? '' : `, preview ${ledger.previewCount}`;
    // Already generated by the records' word: Mangrove was not asked, so no preview and no batch list.
    const text = ledger.records ? `already generated (records: ${recordedMonthsText(ledger.records)}): nothing was asked of Mangrove` : (OUTCOME_TEXT[ledger.outcome] ?? ledger.outcome);
    lines.push(`${title}: ${text}${preview}`);
    if (ledger.batches.length > 0) lines.push(...batchTable(ledger.batches));
  }
  if (report.groups) {
    const counts = Object.entries(report.groups.outcomes).map(([outcome, count]) => `${count} ${outcome}`).join(', ');
    lines.push(`${report.groups.count} group(s) of ledgers, each in a child execution of its own (the ForEachGroup map run in the console): ${counts}`);
  }
  for (const submission of report.submissions ?? []) {
    if (submission.outcome === 'failed') {
      const where = submission.report ? ` "${submission.report.name}" (${submission.report.id}, ${submission.report.status})` : '';
      lines.push(`Report for ${submission.quarter}${where}: ${paint.red('FAILED')} at ${submission.step ?? 'an unknown step'} (${submission.error ?? 'an unknown error'}): ${readableCause(submission.cause)}`);
      if (submission.advice) lines.push(`  What to do: ${terms(submission.advice)}`);
    } else lines.push(`Report for ${describeQuarter(submission)}`);
  }
  if (report.ledgers.length > 0 || report.groups || report.submissions) lines.push('');
  lines.push(summary(report, elapsedMs, options));
  return lines.join('\n');
}

function summary(report: RunReport, elapsedMs: number, { paint, executionStatus, terms = (text) => text }: RenderOptions): string {
  const seconds = formatDuration(elapsedMs);
  const created = report.groups?.batchesGenerated ?? report.ledgers.reduce((sum, ledger) => sum + ledger.batches.length, 0);
  const submitted = (report.submissions ?? []).filter((submission) => submission.outcome === 'submitted').map((submission) => submission.quarter);
  const generated = `${created} batch(es) generated for ${report.window?.label ?? 'the window'}${submitted.length > 0 ? `; ${submitted.join(', ')} submitted to the registry` : ''}`;
  if (report.status === 'succeeded') {
    // No outcomes to count (a history without execution data): say so rather than "0 batch(es)".
    const what = report.ledgers.length > 0 || report.groups ? generated : report.submissions ? (report.submissions.map((submission) => describeQuarter(submission)).join('; ')) : 'no ledger outcomes in the history to report';
    return paint.green(`${executionStatus ? `Execution ${executionStatus}` : 'Succeeded'} in ${seconds}: ${what}.`);
  }
  const failed = report.ledgers.filter((ledger) => ledger.outcome === 'failed');
  const noun = report.groups || report.ledgers.some((ledger) => ledger.month !== null) ? 'ledger-month(s)' : 'ledger(s)';
  // From the summaries the counts are whole; the failures listed may be only the first of each group.
  const unresolved = failed.filter((ledger) => ledger.step === 'GroupLedgers').length + (report.unlistedUnresolved ?? 0);
  const failedCount = report.groups ? (report.groups.outcomes.failed ?? 0) + unresolved : failed.length + (report.unlistedUnresolved ?? 0);
  const total = report.groups ? Object.values(report.groups.outcomes).reduce((sum, count) => sum + count, 0) + unresolved : report.ledgers.length + (report.unlistedUnresolved ?? 0);
  const failedQuarters = (report.submissions ?? []).filter((submission) => submission.outcome === 'failed');
  const quarters = failedQuarters.length > 0 ? `the report for ${failedQuarters.map((submission) => `${submission.quarter} (${submission.error ?? 'error'})`).join(', ')} failed` : '';
  const why =
    failed.length > 0
      ? `${failedCount} of ${total} ${noun} failed (${[...new Set(failed.map((ledger) => ledger.error))].join(', ')})${quarters ? `; ${quarters}` : ''}${created > 0 ? `; ${generated}` : ''}`
      : quarters
        ? `${quarters}${created > 0 ? `; ${generated}` : ''}`
        : `${report.error ?? 'error'}: ${terms(report.cause ?? '')}`;
  return paint.red(`${executionStatus ? `Execution ${executionStatus}` : 'Failed'} after ${seconds}: ${why.replace(/[.!?]$/, '')}.`);
}

function batchTable(batches: BatchSummary[]): string[] {
  const rows = batches.map((batch) => [
    batch.trackingId ?? batch.id,
    `${batch.startTime.slice(0, 10)} to ${batch.endTime.slice(0, 10)}`,
    batch.value === null ? '-' : batch.value.toFixed(3),
    batch.unit ?? '',
  ]);
  const total = batches.reduce((sum, batch) => sum + (batch.value ?? 0), 0);
  const units = [...new Set(batches.map((batch) => batch.unit ?? ''))];
  const footer = ['Total', '', total.toFixed(3), units.length === 1 ? (units[0] ?? '') : 'mixed units'];
  return table(['Tracking ID', 'Window', 'Value', 'Unit'], [...rows, footer], { indent: '  ', alignRight: [2] });
}
