/** Turns an execution input into a run plan, rejecting a bad window before anything reaches Mangrove. */
import { addMonths, isPastGenerateBy, monthSpan, monthsWindow, previousMonth } from '../shared/calendar.js';
import { InvalidInputError } from '../shared/errors.js';
import { DEFAULT_GENERATE_BY_DAY, DEFAULT_LOOKBACK_MONTHS, DEFAULT_MAX_POLL_INTERVAL_SECONDS, MAX_WINDOW_MONTHS } from '../shared/limits.js';
import { pollBudgetOf, runBudgetProblems } from '../shared/run-budget.js';
import { quarterOf } from '../shared/reports.js';
import type { ExecutionInput, ResolvedRun, RunDefaults, RunPlan, RunSlot, Window } from '../shared/run-plan.js';
import { resolveSubmission } from './submission-plan.js';

/**
 * The run and its slots. A scheduled run without a window of its own reconciles: each configured
 * ledger's last `lookbackMonths` months, one slot per month, oldest first, so a month missed while the
 * stack was off or its data was late is caught up by the next fire. Any other run has one slot.
 */
export function resolveRun(input: ExecutionInput, defaults: RunDefaults, nowMs: number): ResolvedRun {
  const plan = resolveRunPlan(input, defaults, nowMs);
  if (plan.trigger !== 'schedule' || windowForms(input).length > 0 || !input.scheduledTime) {
    return { ...plan, slots: [{ month: null, overdue: false, plan: { window: plan.window } }] };
  }
  const lookback = defaults.lookbackMonths ?? DEFAULT_LOOKBACK_MONTHS;
  const generateByDay = defaults.generateByDay ?? DEFAULT_GENERATE_BY_DAY;
  const scheduledAt = Date.parse(input.scheduledTime);
  const last = previousMonth(scheduledAt, plan.timeZone);
  const months = Array.from({ length: lookback }, (_, index) => addMonths(last, index - lookback + 1));
  const first = months[0] ?? last;
  const slots = months.map(
    (month): RunSlot => ({
      month,
      overdue: isPastGenerateBy(month, scheduledAt, plan.timeZone, generateByDay),
      plan: { window: { ...monthsWindow(month, month, plan.timeZone), label: month } },
    }),
  );
  const window = { ...monthsWindow(first, last, plan.timeZone), label: lookback === 1 ? last : `${first}..${last}` };
  // Each ledger's months wait for their tasks one after another, in one child execution.
  const problems = runBudgetProblems(slots.length, pollBudgetOf(plan));
  if (problems.length > 0) throw new InvalidInputError('execution input', problems);
  return { ...plan, window, slots };
}

export function resolveRunPlan(input: ExecutionInput, defaults: RunDefaults, nowMs: number): RunPlan {
  const problems: string[] = [];
  const timeZone = input.timeZone ?? defaults.timeZone;
  const trigger = input.source === 'schedule' ? 'schedule' : 'manual';

  const window = resolveWindow(input, timeZone, nowMs, problems);

  const ledgers = [...new Set(input.ledgers ?? defaults.ledgers)];
  if (ledgers.length === 0) problems.push('ledgers: expected at least one ledger id or name (none given and no default configured)');

  const pollIntervalSeconds = input.pollIntervalSeconds ?? defaults.pollIntervalSeconds;
  const maxWaitMinutes = input.maxWaitMinutes ?? defaults.maxWaitMinutes;
  const maxWaitSeconds = maxWaitMinutes * 60;
  const maxPollIntervalSeconds = Math.max(pollIntervalSeconds, input.maxPollIntervalSeconds ?? defaults.maxPollIntervalSeconds ?? DEFAULT_MAX_POLL_INTERVAL_SECONDS);
  problems.push(...runBudgetProblems(1, { pollIntervalSeconds, maxWaitMinutes, maxPollIntervalSeconds }));

  const submission = window ? resolveSubmission(input, defaults, window, timeZone, problems) : null;

  if (problems.length > 0 || !window || !submission) throw new InvalidInputError('execution input', problems);
  return {
    trigger,
    requestedAt: new Date(nowMs).toISOString(),
    window,
    timeZone,
    ledgers,
    dryRun: input.dryRun ?? false,
    force: input.force ?? false,
    autoDiscoverDataPoints: input.autoDiscoverDataPoints ?? defaults.autoDiscoverDataPoints,
    notifyOnSuccess: input.notifyOnSuccess ?? defaults.notifyOnSuccess ?? false,
    pollIntervalSeconds,
    maxPollIntervalSeconds,
    maxWaitSeconds,
    dataPointIds: input.dataPointIds ?? [],
    batchAmounts: input.batchAmounts ?? [],
    skippedDataPointTypeIds: input.skippedDataPointTypeIds ?? [],
    submission,
  };
}

/** The ways the input names its own window; none means the schedule's or the previous month. */
function windowForms(input: ExecutionInput): string[] {
  return [
    input.month !== undefined && 'month',
    (input.from !== undefined || input.to !== undefined) && 'from/to',
    (input.startTime !== undefined || input.endTime !== undefined) && 'startTime/endTime',
  ].filter((form): form is string => Boolean(form));
}

function resolveWindow(input: ExecutionInput, timeZone: string, nowMs: number, problems: string[]): Window | null {
  const forms = windowForms(input);
  if (forms.length > 1) {
    problems.push(`window: expected one of month, from/to or startTime/endTime, got ${forms.join(' and ')}`);
    return null;
  }

  let window: Window;
  if (input.quarter !== undefined) {
    if (forms.length > 0) {
      problems.push(`quarter: expected no ${forms.join(' or ')} with it (a quarter-only run submits the quarter's report and generates nothing)`);
      return null;
    }
    const { months } = quarterOf(input.quarter);
    window = { ...monthsWindow(months[0], months[2], timeZone), label: input.quarter };
  } else if (input.month) {
    window = { ...monthsWindow(input.month, input.month, timeZone), label: input.month };
  } else if (input.from !== undefined || input.to !== undefined) {
    if (!input.from || !input.to) {
      problems.push(`${input.from ? 'to' : 'from'}: expected a month as YYYY-MM (from and to go together)`);
      return null;
    }
    const span = monthSpan(input.from, input.to);
    if (span < 1) {
      problems.push(`to: expected a month on or after from (${input.from}), got ${input.to}`);
      return null;
    }
    if (span > MAX_WINDOW_MONTHS) {
      problems.push(`to: expected at most ${MAX_WINDOW_MONTHS} months from ${input.from}, got ${span}; run a backfill month by month instead`);
      return null;
    }
    window = { ...monthsWindow(input.from, input.to, timeZone), label: `${input.from}..${input.to}` };
  } else if (input.startTime !== undefined || input.endTime !== undefined) {
    if (!input.startTime || !input.endTime) {
      problems.push(`${input.startTime ? 'endTime' : 'startTime'}: expected an ISO-8601 date-time (startTime and endTime go together)`);
      return null;
    }
    const start = Date.parse(input.startTime);
    const end = Date.parse(input.endTime);
    if (end <= start) {
      problems.push(`endTime: expected a date-time after startTime (${input.startTime}), got ${input.endTime}`);
      return null;
    }
    const startTime = new Date(start).toISOString();
    const endTime = new Date(end).toISOString();
    window = { startTime, endTime, label: `${startTime}..${endTime}` };
    const maxSpanMs = MAX_WINDOW_MONTHS * 31 * 86_400_000;
    if (end - start > maxSpanMs) {
      problems.push(`endTime: expected a window of at most ${MAX_WINDOW_MONTHS} months`);
      return null;
    }
  } else if (input.source === 'schedule') {
    if (!input.scheduledTime) {
      problems.push('scheduledTime: expected the schedule time (ISO-8601) for a scheduled run');
      return null;
    }
    // The schedule's own time, not the Lambda's clock: a delayed or redelivered start still means the same month.
    const month = previousMonth(Date.parse(input.scheduledTime), timeZone);
    window = { ...monthsWindow(month, month, timeZone), label: month };
  } else {
    const month = previousMonth(nowMs, timeZone);
    window = { ...monthsWindow(month, month, timeZone), label: month };
  }

  if (Date.parse(window.endTime) > nowMs) {
    const field = input.quarter ? 'quarter' : input.month ? 'month' : input.to ? 'to' : 'endTime';
    problems.push(`${field}: expected a window that is over by now (${new Date(nowMs).toISOString()}), but it ends ${window.endTime}`);
    return null;
  }
  return window;
}
