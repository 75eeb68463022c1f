/**
 * Quarters and report names: which months a quarter's report covers, and which report a name
 * pattern picks for it. Errors start with the field they are about, as every input error does.
 */
import { formatMonth, YEARS, YEARS_EXPECTATION } from './calendar.js';

/** `YYYY-Qn`: the one quarter form of the product (CLI flag, records, config). */
export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;
export const QUARTER_EXPECTATION = 'expected a quarter in the form YYYY-Qn, e.g. 2025-Q1';

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

/** A Mangrove report id: the one form of a report selector that names a single quarter's report. */
export const REPORT_ID = /^rpt_[A-Za-z0-9]+$/;
export const REPORT_SELECTOR_EXPECTATION = 'expected a report id like "rpt_abc123", or a name pattern with {q} and {yyyy}, e.g. "Q{q} {yyyy} Carbon Report"';

/** What is wrong with `value` as a report id or name pattern, or null when it is one. */
export function reportSelectorProblem(value: string, field = 'report'): string | null {
  if (REPORT_ID.test(value)) return null;
  if (value.startsWith('rpt_')) return `${field}: ${REPORT_SELECTOR_EXPECTATION}, got ${JSON.stringify(value)}`;
  try {
    reportNameFor(value, '2025-Q1', field);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The quarter (`YYYY-Qn`) a month (`YYYY-MM`) falls in. */
export function quarterOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return `${year}-Q${Math.ceil(monthNumber / 3)}`;
}

/**
 * The batch ids a report holds now, read from its `inclusions`, whose item shape is undocumented:
 * an id string, or an object naming the batch as `batch_id`, `batch.id` or a `bat_` `id`. Null when
 * any item names no batch this way: a union computed without it could drop a batch from the report.
 */
export function inclusionBatchIds(inclusions: readonly unknown[]): string[] | null {
  const ids: string[] = [];
  for (const item of inclusions) {
    const id = batchIdOf(item);
    if (id === null) return null;
    ids.push(id);
  }
  return [...new Set(ids)];
}

function batchIdOf(item: unknown): string | null {
  const isBatchId = (value: unknown): value is string => typeof value === 'string' && value.startsWith('bat_');
  if (isBatchId(item)) return item;
  if (item === null || typeof item !== 'object') return null;
  const fields = item as Record<string, unknown>;
  if (isBatchId(fields.batch_id)) return fields.batch_id;
  const batch = fields.batch as Record<string, unknown> | null | undefined;
  if (batch && typeof batch === 'object' && isBatchId(batch.id)) return batch.id;
  if (isBatchId(fields.id)) return fields.id;
  return null;
}

/**
 * What a report's status means here (case aside). The contract shows draft, submitting and complete
 * and says others may exist: only these few are read as submitted; any other is `unexpected`, never
 * taken as proof of a submission nor patched.
 */
const SUBMITTED_STATUSES = new Set(['submitted', 'complete', 'completed', 'accepted', 'approved', 'issued']);
export type ReportStatusKind = 'draft' | 'submitting' | 'submitted' | 'unexpected';

export function reportStatusKind(status: string): ReportStatusKind {
  const normalized = status.trim().toLowerCase();
  if (normalized === 'draft' || normalized === 'submitting') return normalized;
  return SUBMITTED_STATUSES.has(normalized) ? 'submitted' : 'unexpected';
}
