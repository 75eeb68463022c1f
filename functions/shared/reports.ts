/**
 * Quarters and report names: which months a quarter's report covers, and which report a name
 * pattern picks for it. Errors start with the field they are about, as every input error does.
 */
import { formatMonth, YEARS, YEARS_EXPECTATION } from './calendar.js';

/** `YYYY-Qn`: the one quarter form of the product (CLI flag, records, config). */
export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;
const QUARTER_EXPECTATION = 'expected a quarter in the form YYYY-Qn, e.g. 2025-Q1';

export interface Quarter {
  year: number;
  /** 1–4 */
  quarter: number;
  /** The quarter's three months, `YYYY-MM`, in order. */
  months: [string, string, string];
}

/** What is wrong with `value` as a quarter, or null when it is one. */
export function quarterProblem(value: string): string | null {
  const match = QUARTER_PATTERN.exec(value);
  if (!match) return `${QUARTER_EXPECTATION}, got ${JSON.stringify(value)}`;
  const year = Number(match[1]);
  return year >= YEARS.min && year <= YEARS.max ? null : `${YEARS_EXPECTATION}, got ${year}`;
}

export function quarterOf(value: string, field = 'quarter'): Quarter {
  const problem = quarterProblem(value);
  if (problem !== null) throw new RangeError(`${field}: ${problem}`);
  const [, year = '', quarter = ''] = QUARTER_PATTERN.exec(value) ?? [];
  const first = (Number(quarter) - 1) * 3 + 1;
  return {
    year: Number(year),
    quarter: Number(quarter),
    months: [formatMonth(Number(year), first), formatMonth(Number(year), first + 1), formatMonth(Number(year), first + 2)],
  };
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDERS = ['q', 'yyyy'] as const;

/**
 * The report name `pattern` gives `quarter`: `Q{q} {yyyy}` → `Q1 2025`. Both placeholders are
 * required: without the year (or the quarter) one name would pick the same report every year.
 */
export function reportNameFor(pattern: string, quarter: string, field = 'reportName'): string {
  const { year, quarter: q } = quarterOf(quarter);
  const used = [...pattern.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const unknown = used.filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new RangeError(`${field}: unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')} (use {q} and {yyyy})`);
  }
  const missing = PLACEHOLDERS.filter((name) => !used.includes(name));
  if (missing.length > 0) {
    throw new RangeError(`${field}: ${JSON.stringify(pattern)} lacks ${missing.map((name) => `{${name}}`).join(' and ')}, so it would name the same report for more than one quarter`);
  }
  return pattern.replace(PLACEHOLDER, (_, name: string) => (name === 'q' ? String(q) : String(year)));
}
