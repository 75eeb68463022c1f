/** Months as the commands take them: `YYYY-MM` flags, and the months of a backfill. */
import { addMonths, isSupportedMonth, MONTH_PATTERN, monthSpan, YEARS_EXPECTATION } from '../functions/shared/calendar.js';
import { UsageError } from './errors.js';

export function parseMonthFlag(flag: string, raw: string): string {
  if (!MONTH_PATTERN.test(raw)) throw new UsageError(flag, 'expected a month as YYYY-MM, e.g. 2025-03', raw);
  if (!isSupportedMonth(raw)) throw new UsageError(flag, YEARS_EXPECTATION, raw);
  return raw;
}

/** Every month from `from` to `to`, both included, oldest first. */
export function monthsFromTo(from: string, to: string, max: number): string[] {
  const span = monthSpan(from, to);
  if (span < 1) throw new UsageError('--to', `expected a month on or after --from (${from})`, to);
  if (span > max) throw new UsageError('--to', `expected at most ${max} months from --from (${from}), got ${span} months`);
  return Array.from({ length: span }, (_, index) => addMonths(from, index));
}
