import { describe, expect, it } from 'vitest';
import { resolveRunStep } from '../../functions/resolve-run/handler.js';
import { resolveRun, resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import { monthsWindow, previousMonth } from '../../functions/shared/calendar.js';
import { InvalidInputError } from '../../functions/shared/errors.js';
import type { RunDefaults } from '../../functions/shared/run-plan.js';
import { invokeStep, type StepRuntime } from '../../functions/shared/step.js';
import { StaticTokenSource } from '../../functions/shared/token-source.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const DEFAULTS: RunDefaults = {
  ledgers: ['lgr_default'],
  timeZone: 'UTC',
  pollIntervalSeconds: 30,
  maxWaitMinutes: 120,
  autoDiscoverDataPoints: false,
};
const runtime: StepRuntime = {
  tokens: new StaticTokenSource('unused'),
  client: { baseUrl: 'http://127.0.0.1:9/api/v1' },
  defaults: () => DEFAULTS,
  now: () => NOW,
};

function resolve(event: unknown) {
  return invokeStep(resolveRunStep, event, runtime);
}

async function rejection(event: unknown): Promise<InvalidInputError> {
  const error = await resolve(event).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('scheduled runs', () => {
  it('reconcile the last lookbackMonths months before the schedule time (not the clock), one slot per month, oldest first', async () => {
    const plan = await resolve({ source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z', ledgers: ['lgr_a', 'lgr_b'] });
    expect(plan.window).toEqual({ startTime: '2025-01-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-01..2025-03' });
    expect(plan).toMatchObject({ trigger: 'schedule', ledgers: ['lgr_a', 'lgr_b'], force: false, dryRun: false });
    expect(plan.slots.map((slot) => `${slot.month} ${slot.plan.window.label}`)).toEqual(['2025-01 2025-01', '2025-02 2025-02', '2025-03 2025-03']);
    expect(plan.slots[2]?.plan.window).toEqual({ startTime: '2025-03-01T00:00:00.000Z', endTime: '2025-03-31T23:59:59.000Z', label: '2025-03' });
  });

  it('call the previous month overdue from generateByDay on, and older months always', async () => {
    const early = await resolve({ source: 'schedule', scheduledTime: '2025-04-02T06:00:00Z' });
    expect(early.slots.map((slot) => [slot.month, slot.overdue])).toEqual([
      ['2025-01', true],
      ['2025-02', true],
      ['2025-03', false],
    ]);
    const late = resolveRun({ source: 'schedule', scheduledTime: '2025-04-10T06:00:00Z' }, { ...DEFAULTS, lookbackMonths: 1, generateByDay: 10 }, NOW);
    expect(late.slots.map((slot) => [slot.month, slot.overdue])).toEqual([['2025-03', true]]);
  });

  it('run one slot over its own window when the input names one, scheduled or not', async () => {
    const plan = await resolve({ month: '2025-03', ledgers: ['lgr_a', 'lgr_b'] });
    expect(plan.slots).toEqual([{ month: null, overdue: false, plan: { window: plan.window } }]);
  });

  it('take the month in the configured time zone', () => {
    // 23:30 UTC on 31 March is already 1 April in Berlin: the previous month there is March.
    const plan = resolveRunPlan({ source: 'schedule', scheduledTime: '2025-03-31T23:30:00Z' }, { ...DEFAULTS, timeZone: 'Europe/Berlin' }, NOW);
    expect(plan.window.label).toBe('2025-03');
    // Berlin switches to summer time on 30 March: the month starts at +01:00 and ends at +02:00.
    expect(plan.window.startTime).toBe('2025-02-28T23:00:00.000Z');
    expect(plan.window.endTime).toBe('2025-03-31T21:59:59.000Z');
  });

  it('require the schedule time', async () => {
    const error = await rejection({ source: 'schedule' });
    expect(error.message).toMatch(/scheduledTime: expected the schedule time/);
  });
});

describe('manual runs', () => {
  it.each([
    [{ month: '2025-03' }, '2025-03-01T00:00:00.000Z', '2025-03-31T23:59:59.000Z', '2025-03'],
    [{ from: '2025-01', to: '2025-03' }, '2025-01-01T00:00:00.000Z', '2025-03-31T23:59:59.000Z', '2025-01..2025-03'],
    [
      { startTime: '2025-01-15T00:00:00Z', endTime: '2025-02-15T12:00:00+01:00' },
      '2025-01-15T00:00:00.000Z',
      '2025-02-15T11:00:00.000Z',
      '2025-01-15T00:00:00.000Z..2025-02-15T11:00:00.000Z',
    ],
    [{}, '2026-10-01T00:00:00.000Z', '2026-10-31T23:59:59.000Z', '2026-10'],
  ])('%j → its window', async (input, startTime, endTime, label) => {
    const plan = await resolve(input);
    expect(plan.window).toEqual({ startTime, endTime, label });
  });

  it('carries the optional Mangrove parameters and options, always as complete fields', async () => {
    const plan = await resolve({
      ledgers: ['Net Carbon Removal', 'Net Carbon Removal', 'lgr_b'],
      month: '2025-03',
      dryRun: true,
      dataPointIds: ['in_abc'],
      batchAmounts: [{ batchId: 'bat_x1', primaryOutputAmount: 2.5, allocationGroup: 'default' }],
      pollIntervalSeconds: 10,
    });
    expect(plan).toMatchObject({
      ledgers: ['Net Carbon Removal', 'lgr_b'],
      dryRun: true,
      dataPointIds: ['in_abc'],
      skippedDataPointTypeIds: [],
      pollIntervalSeconds: 10,
      maxWaitSeconds: 7_200,
    });
  });
});

describe("the console's Start execution box", () => {
  it('runs the previous month for the configured ledgers from its pre-filled {"Comment": …}', async () => {
    const plan = await resolve({ Comment: 'Insert your JSON here' });
    expect(plan.ledgers).toEqual(DEFAULTS.ledgers);
    expect(plan.slots).toHaveLength(1);
    expect(plan.window.label).toBe(previousMonth(NOW, 'UTC'));
  });

  it('ignores a Comment at any depth and still checks every other field', async () => {
    const plan = await resolve({
      Comment: 'backfill for the audit',
      month: '2025-03',
      batchAmounts: [{ Comment: 'agreed with the registry', batchId: 'bat_x1', primaryOutputAmount: 2.5, allocationGroup: 'default' }],
    });
    expect(plan.batchAmounts).toEqual([{ batchId: 'bat_x1', primaryOutputAmount: 2.5, allocationGroup: 'default' }]);
    expect((await rejection({ Comment: 'typo below', mnth: '2025-03' })).issues).toEqual(['mnth: unknown field']);
  });
});

describe('bad input names the field and what was expected', () => {
  it.each([
    [{ month: '2025-3' }, /month: expected a month as YYYY-MM/],
    [{ month: '2025-13' }, /month: expected a month as YYYY-MM/],
    [{ month: '9999-12' }, /month: expected a year from 2000 to 2099/],
    [{ month: '0099-12' }, /month: expected a year from 2000 to 2099/],
    [{ from: '1999-12', to: '2000-01' }, /from: expected a year from 2000 to 2099/],
    [{ startTime: '0050-03-01T00:00:00Z', endTime: '2025-04-01T00:00:00Z' }, /startTime: expected a year from 2000 to 2099/],
    [{ month: '2026-11' }, /month: expected a window that is over by now/],
    [{ quarter: '2026-Q4' }, /: quarter: expected a window that is over by now/],
    [{ from: '2025-03', to: '2025-01' }, /to: expected a month on or after from \(2025-03\)/],
    [{ from: '2024-01', to: '2025-06' }, /to: expected at most 12 months/],
    [{ from: '2025-01' }, /to: expected a month as YYYY-MM \(from and to go together\)/],
    [{ startTime: '2025-03-01T00:00:00Z', endTime: '2025-02-01T00:00:00Z' }, /endTime: expected a date-time after startTime/],
    [{ startTime: '2025-03-01' , endTime: '2025-04-01T00:00:00Z' }, /startTime: expected an ISO-8601 date-time/],
    [{ month: '2025-03', from: '2025-01', to: '2025-02' }, /window: expected one of month, from\/to or startTime\/endTime/],
    [{ month: '2025-03', ledger: 'x' }, /ledger: unknown field/],
    [{ month: '2025-03', dryRun: 'yes' }, /dryRun: .*expected boolean/i],
    [{ month: '2025-03', ledgers: [] }, /ledgers: expected at least one ledger/],
    [{ month: '2025-03', timeZone: 'Mars/Olympus' }, /timeZone: expected an IANA time zone/],
    [{ month: '2025-03', batchAmounts: [{ batchId: 'bat_1', primaryOutputAmount: -1, allocationGroup: 'a' }] }, /batchAmounts\[0\]\.primaryOutputAmount: expected an amount of 0 or more/],
    [{ month: '2025-03', batchAmounts: [{ batchId: 'batch-1', primaryOutputAmount: 1, allocationGroup: 'a' }] }, /batchAmounts\[0\]\.batchId: expected a batch id/],
    [{ month: '2025-03', skippedDataPointTypeIds: [1.5] }, /skippedDataPointTypeIds\[0\]: expected an integer id/],
    [{ month: '2025-03', pollIntervalSeconds: 1 }, /pollIntervalSeconds: .*>=2/],
    [{ month: '2025-03', ledgers: Array.from({ length: 501 }, (_, index) => `l${index}`) }, /ledgers: expected at most 500 ledgers per run/],
    [{ month: '2025-03', ledgers: ['x'.repeat(65)] }, /ledgers\[0\]: expected at most 64 characters/],
    [{ month: '2025-03', dataPointIds: Array.from({ length: 101 }, (_, index) => `in_${index}`) }, /dataPointIds: expected at most 100 entries/],
    [{ month: '2025-03', dataPointIds: [`in_${'a'.repeat(62)}`] }, /dataPointIds\[0\]: expected at most 64 characters/],
    [{ month: '2025-03', batchAmounts: Array.from({ length: 51 }, () => ({ batchId: 'bat_1', primaryOutputAmount: 1, allocationGroup: 'a' })) }, /batchAmounts: expected at most 50 entries/],
    [{ month: '2025-03', skippedDataPointTypeIds: Array.from({ length: 51 }, (_, index) => index + 1) }, /skippedDataPointTypeIds: expected at most 50 entries/],
    [{ month: '2025-03', maxWaitMinutes: 600, pollIntervalSeconds: 2, maxPollIntervalSeconds: 2 }, /maxPollIntervalSeconds: polls growing to 2 s would still make 18001 polls for 1 ledger-month\(s\) in a row/],
    [{ month: '2025-03', maxWaitMinutes: 1440 }, /maxWaitMinutes: 1 ledger-month\(s\) in a row × \(1440 \+ 15\) minutes exceed the 24 h execution timeout/],
  ])('%j', async (input, message) => {
    const error = await rejection(input);
    expect(error.message).toMatch(message);
  });

  it.each([2, 3, 5])('accepts the cookbook\u2019s %i s interval with the default wait: the budget counts the polls the growing schedule makes', async (seconds) => {
    const plan = await resolve({ month: '2025-03', pollIntervalSeconds: seconds, ledgers: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] });
    expect(plan.pollIntervalSeconds).toBe(seconds);
    expect(plan.maxPollIntervalSeconds).toBe(60);
  });

  it('reports every wrong field at once', async () => {
    const error = await rejection({ month: 'March', force: 1, extra: true });
    expect(error.issues).toHaveLength(3);
  });
});

describe('calendar', () => {
  it('starts a month at its first instant that exists when DST skips midnight (America/Asuncion, October 2023)', () => {
    // 1 October 2023 00:00 did not exist there: clocks went from 23:59:59 (-04) to 01:00 (-03).
    expect(monthsWindow('2023-10', '2023-10', 'America/Asuncion').startTime).toBe('2023-10-01T04:00:00.000Z');
    expect(monthsWindow('2023-09', '2023-09', 'America/Asuncion').endTime).toBe('2023-10-01T03:59:59.000Z');
    // An ordinary change (not at midnight) is unaffected.
    expect(monthsWindow('2025-03', '2025-03', 'Europe/Berlin')).toEqual({ startTime: '2025-02-28T23:00:00.000Z', endTime: '2025-03-31T21:59:59.000Z' });
  });

  it('handles a zone west of UTC and the year boundary', () => {
    expect(monthsWindow('2024-12', '2024-12', 'America/New_York')).toEqual({
      startTime: '2024-12-01T05:00:00.000Z',
      endTime: '2025-01-01T04:59:59.000Z',
    });
    expect(previousMonth(Date.parse('2025-01-01T03:00:00Z'), 'America/New_York')).toBe('2024-11');
    expect(previousMonth(Date.parse('2025-01-01T03:00:00Z'), 'UTC')).toBe('2024-12');
  });
});

describe('report submission in the plan', () => {
  const REPORTS: RunDefaults = { ...DEFAULTS, reports: { submit: true, namePattern: 'Q{q} {yyyy} Carbon Report', reportIds: { '2025-Q2': 'rpt_q2only' } } };
  const plan = (input: Record<string, unknown>, defaults: RunDefaults = DEFAULTS) => resolveRunPlan(input, defaults, NOW).submission;

  it('is off unless the config or the input turns it on', () => {
    expect(plan({ from: '2025-01', to: '2025-03' })).toEqual({ enabled: false, quarters: [], ledgers: [], onRequest: false });
    expect(plan({ from: '2025-01', to: '2025-03', submitReports: false }, REPORTS).enabled).toBe(false);
  });

  it('looks at each quarter whose last month the window reaches, with its report by id or by the pattern\u2019s exact name', () => {
    expect(plan({ from: '2025-02', to: '2025-07' }, REPORTS)).toEqual({
      enabled: true,
      quarters: [
        { quarter: '2025-Q1', reportId: null, reportName: 'Q1 2025 Carbon Report' },
        { quarter: '2025-Q2', reportId: 'rpt_q2only', reportName: null },
      ],
      ledgers: ['lgr_default'],
      onRequest: false,
    });
    // A window inside a quarter does not end it.
    expect(plan({ month: '2025-02' }, REPORTS).quarters).toEqual([]);
  });

  it('a quarter-only run: the quarter\u2019s months as its window, an operator\u2019s request', () => {
    const resolved = resolveRunPlan({ quarter: '2025-Q1', report: 'rpt_abc123' }, DEFAULTS, NOW);
    expect(resolved.window).toMatchObject({ label: '2025-Q1', startTime: '2025-01-01T00:00:00.000Z', endTime: monthsWindow('2025-03', '2025-03', 'UTC').endTime });
    expect(resolved.submission).toEqual({ enabled: true, quarters: [{ quarter: '2025-Q1', reportId: 'rpt_abc123', reportName: null }], ledgers: ['lgr_default'], onRequest: true });
  });

  it.each([
    [{ quarter: '2025-Q1' }, /report: expected the report for 2025-Q1/],
    [{ quarter: '2025-Q1', month: '2025-02', report: 'rpt_abc' }, /quarter: expected no month with it/],
    [{ quarter: '2025-Q1', report: 'rpt_abc', submitReports: false }, /submitReports: expected true or nothing with quarter/],
    [{ from: '2025-01', to: '2025-06', submitReports: true, report: 'rpt_abc' }, /report: an id names one quarter's report, and this run submits 2025-Q1, 2025-Q2/],
  ])('refuses %j, naming the field', async (input, message) => {
    expect((await rejection(input)).issues.join('; ')).toMatch(message);
  });

  it.each([
    [{ quarter: '2025-Q5' }, 'quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1'],
    [{ quarter: '2025-Q1', report: 'Q1 2025' }, 'report: expected a report id like "rpt_abc123", or a name pattern with {q} and {yyyy}'],
    [{ quarter: '2025-Q1', report: 'rpt_' }, 'report: expected a report id like "rpt_abc123"'],
  ])('refuses the shape of %j before anything else', async (input, message) => {
    expect((await rejection(input)).issues.join('; ')).toContain(message);
  });
});
