/**
 * Writes the one success report a person reads after a run that generated something (opt-in,
 * `notifyOnSuccess`): which ledgers and months, how many batches, the amounts per unit, and where
 * to look. A run that generated nothing sends nothing: a quiet month is not news.
 */
import * as z from 'zod/mini';
import { executionConsoleUrl } from '../shared/console-urls.js';
import { totalsOf } from '../shared/group-totals.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { groupSummarySchema, quarterOutcomeSchema, read, successReportSchema, type GroupSummary, type QuarterOutcome, type SuccessReport } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { windowSchema } from '../shared/run-plan.js';
import { toSnsSubject } from '../shared/sns-subject.js';

/** Ledgers the report names; the rest are counted. */
const LEDGERS_NAMED = 10;

export const describeSuccessStep = defineStep({
  name: 'DescribeSuccess',
  output: successReportSchema,
  result: 'success',
  input: z.object({
    executionName: z.string(),
    executionArn: z.string(),
    run: z.object({
      plan: z.looseObject({ window: windowSchema, ledgers: z.array(z.string()), slots: z.optional(z.array(z.object({ month: z.nullable(z.string()) }))) }),
      results: z.array(z.unknown()),
      submissions: z.optional(z.array(z.unknown())),
    }),
  }),
  run: async ({ executionName, executionArn, run }) =>
    describeSuccess({
      executionName,
      executionArn,
      window: run.plan.window,
      ledgers: run.plan.ledgers,
      months: (run.plan.slots ?? []).flatMap((slot) => (slot.month ? [slot.month] : [])),
      summaries: run.results.flatMap((result) => read(groupSummarySchema, result) ?? []),
      submissions: (run.submissions ?? []).flatMap((outcome) => read(quarterOutcomeSchema, outcome) ?? []),
    }),
});

export interface SuccessFacts {
  executionName: string;
  executionArn: string;
  window: z.infer<typeof windowSchema>;
  ledgers: string[];
  /** A reconciliation's months; empty for a manual window. */
  months: string[];
  summaries: GroupSummary[];
  /** Each quarter's report submission, when the run submits reports. */
  submissions?: QuarterOutcome[];
}

export function describeSuccess(facts: SuccessFacts): SuccessReport {
  const { outcomes, batchesGenerated: batches, amounts } = totalsOf(facts.summaries);
  const submitted = (facts.submissions ?? []).filter((submission) => submission.outcome === 'submitted');
  if (batches === 0 && submitted.length === 0) return { send: false, subject: '', message: '' };
  const submittedLines = submitted.map(
    (submission) => `Submitted to the registry: ${submission.quarter}, report "${submission.report?.name ?? '?'}" (${submission.report?.id ?? '?'}), ${submission.batches?.inQuarter ?? 0} batch(es)${submission.taskId != null ? `, task ${submission.taskId}` : ''}`,
  );
  const headline = [
    batches > 0 && `${batches} batch(es) generated for ${facts.window.label}`,
    submitted.length > 0 && `${submitted.map((submission) => submission.quarter).join(', ')} submitted to the registry`,
  ]
    .filter(Boolean)
    .join('; ');
  const named = facts.ledgers.slice(0, LEDGERS_NAMED).map((ref) => `"${ref}"`).join(', ');
  const more = facts.ledgers.length > LEDGERS_NAMED ? ` and ${facts.ledgers.length - LEDGERS_NAMED} more` : '';
  const region = facts.executionArn.split(':')[3] ?? '';
  const message = [
    `Batch Autopilot: ${headline}.`,
    ``,
    `Window: ${facts.window.label} (${facts.window.startTime} to ${facts.window.endTime})`,
    ...(facts.months.length > 0 ? [`Months: ${facts.months.join(', ')}`] : []),
    `Ledgers: ${named}${more}`,
    `Ledger-months: ${Object.entries(outcomes).map(([outcome, count]) => `${count} ${outcome}`).join(', ')}`,
    `Batches generated: ${batches}`,
    ...(batches > 0 ? [`Amounts generated: ${amounts.map(({ unit, value }) => `${value.toFixed(3)}${unit ? ` ${unit}` : ' (no unit)'}`).join(', ')}`] : []),
    ...submittedLines,
    ``,
    `Execution: ${facts.executionName}`,
    `  ${executionConsoleUrl(region, facts.executionArn)}`,
    `Each ledger and month: batch-autopilot status`,
  ].join('\n');
  return { send: true, subject: toSnsSubject(`Batch Autopilot: ${headline}`), message };
}

export const handler = lambdaHandler(describeSuccessStep, runtimeFromEnvironment);
