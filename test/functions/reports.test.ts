import { describe, expect, it } from 'vitest';
import { inclusionBatchIds, quarterOf, quarterOfMonth, quarterProblem, reportNameFor, reportSelectorProblem } from '../../functions/shared/reports.js';

describe('quarterOf', () => {
  it.each([
    ['2025-Q1', 2025, 1, ['2025-01', '2025-02', '2025-03']],
    ['2024-Q4', 2024, 4, ['2024-10', '2024-11', '2024-12']],
    ['2000-Q2', 2000, 2, ['2000-04', '2000-05', '2000-06']],
    ['2099-Q3', 2099, 3, ['2099-07', '2099-08', '2099-09']],
  ])('%s → its three months', (value, year, quarter, months) => {
    expect(quarterOf(value)).toEqual({ year, quarter, months });
    expect(quarterProblem(value)).toBeNull();
  });

  it.each([
    ['2025-Q5', 'quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1, got "2025-Q5"'],
    ['2025-q1', 'quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1, got "2025-q1"'],
    ['2025-01', 'quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1, got "2025-01"'],
    [' 2025-Q1', 'quarter: expected a quarter in the form YYYY-Qn, e.g. 2025-Q1, got " 2025-Q1"'],
    ['1999-Q4', 'quarter: expected a year from 2000 to 2099, got 1999'],
    ['2100-Q1', 'quarter: expected a year from 2000 to 2099, got 2100'],
  ])('refuses %j, naming the field', (value, message) => {
    expect(() => quarterOf(value)).toThrow(new RangeError(message));
  });

  it('names the caller\u2019s field', () => {
    expect(() => quarterOf('soon', '--quarter')).toThrow(/^--quarter: /);
  });
});

describe('reportNameFor', () => {
  it.each([
    ['Q{q} {yyyy}', '2025-Q1', 'Q1 2025'],
    ['Q{q} {yyyy} Carbon Report', '2024-Q4', 'Q4 2024 Carbon Report'],
    ['{yyyy} / Q{q} / Q{q}', '2026-Q2', '2026 / Q2 / Q2'],
  ])('%s for %s → %s', (pattern, quarter, name) => {
    expect(reportNameFor(pattern, quarter)).toBe(name);
  });

  it('refuses a pattern that would name the same report for several quarters', () => {
    expect(() => reportNameFor('Q{q} Carbon Report', '2025-Q1')).toThrow('reportName: "Q{q} Carbon Report" lacks {yyyy}');
    expect(() => reportNameFor('Annual report', '2025-Q1', 'reports.name')).toThrow('reports.name: "Annual report" lacks {q} and {yyyy}');
  });

  it('refuses an unknown placeholder and a bad quarter, naming the field', () => {
    expect(() => reportNameFor('Q{Q} {year}', '2025-Q1')).toThrow('reportName: unknown placeholder {Q}, {year} (use {q} and {yyyy})');
    expect(() => reportNameFor('Q{q} {yyyy}', '2025-Q9')).toThrow(/^quarter: /);
  });
});

describe('inclusionBatchIds', () => {
  it('reads a batch id from each shape an inclusion may take, once each', () => {
    expect(inclusionBatchIds(['bat_a', { batch_id: 'bat_b', amount: 1 }, { batch: { id: 'bat_c' } }, { id: 'bat_d' }, 'bat_a'])).toEqual(['bat_a', 'bat_b', 'bat_c', 'bat_d']);
    expect(inclusionBatchIds([])).toEqual([]);
  });

  it.each([[[{ id: 'inc_1', amount: 2 }]], [[42]], [[null]], [['bat_a', { tracking_id: 'Jan-2025-001' }]]])('gives up on %j rather than guess: a union without it could drop a batch', (inclusions) => {
    expect(inclusionBatchIds(inclusions)).toBeNull();
  });
});

describe('report selectors and quarters of months', () => {
  it.each([
    ['rpt_q12025carbon', null],
    ['Q{q} {yyyy} Carbon Report', null],
    ['rpt_', 'report: expected a report id like "rpt_abc123", or a name pattern with {q} and {yyyy}, e.g. "Q{q} {yyyy} Carbon Report", got "rpt_"'],
    ['Q1 2025 Carbon Report', 'report: "Q1 2025 Carbon Report" lacks {q} and {yyyy}, so it would name the same report for more than one quarter'],
    ['{quarter} {yyyy}', 'report: unknown placeholder {quarter} (use {q} and {yyyy})'],
  ])('%j → %j', (value, problem) => {
    expect(reportSelectorProblem(value)).toBe(problem);
  });

  it.each([['2025-01', '2025-Q1'], ['2025-03', '2025-Q1'], ['2025-04', '2025-Q2'], ['2024-12', '2024-Q4']])('%s is in %s', (month, quarter) => {
    expect(quarterOfMonth(month)).toBe(quarter);
  });
});
