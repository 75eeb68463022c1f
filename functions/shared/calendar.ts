/**
 * Calendar months in an IANA time zone, with Intl only (no date library in every Lambda bundle).
 * Mangrove takes UTC instants; a "month" is the operator's month, in the configured zone.
 */

/** `YYYY-MM`: the one month pattern of the product (execution input, CLI flags, calendar). */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
/**
 * The years a month or window may fall in. Carbon-removal accounting in Mangrove starts this
 * century; outside it a year is a typo (and years below 100 would silently become 19xx in Date.UTC).
 */
export const YEARS = { min: 2000, max: 2099 } as const;
export const YEARS_EXPECTATION = `expected a year from ${YEARS.min} to ${YEARS.max}`;

/** A month outside YEARS; one not in the YYYY-MM form is the format check's to report, not this one's. */
export function isSupportedMonth(month: string): boolean {
  const match = MONTH_PATTERN.exec(month);
  if (!match) return true;
  const year = Number(match[1]);
  return year >= YEARS.min && year <= YEARS.max;
}

/** An instant outside YEARS; an unreadable one is the format check's to report. */
export function isSupportedInstant(instant: number): boolean {
  if (Number.isNaN(instant)) return true;
  const year = new Date(instant).getUTCFullYear();
  return year >= YEARS.min && year <= YEARS.max;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function parseMonth(month: string): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`"${month}" is not a month in the form YYYY-MM`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatMonth(year: number, month: number): string {
  const normalized = new Date(Date.UTC(year, month - 1, 1));
  return `${normalized.getUTCFullYear()}-${String(normalized.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(month: string, delta: number): string {
  const { year, month: m } = parseMonth(month);
  return formatMonth(year, m + delta);
}

/** The wall-clock fields of `instant` in `timeZone`. */
function wallClock(instant: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value);
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

function offsetMs(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant of `month` in `timeZone`: local midnight of the 1st, or, where a DST change skips
 * midnight (America/Asuncion, 1 October 2023: 00:00 → 01:00), the first instant of the 1st that exists.
 */
export function monthStartInstant(month: string, timeZone: string): number {
  const { year, month: m } = parseMonth(month);
  const wallAsUtc = Date.UTC(year, m - 1, 1);
  // Midnight read with the offset before and after any change near it: where they differ, one lies in
  // the previous month (a skipped hour) and the other is the month's true start.
  const first = wallAsUtc - offsetMs(wallAsUtc, timeZone);
  const second = wallAsUtc - offsetMs(first, timeZone);
  const inMonth = [first, second].filter((instant) => monthOf(instant, timeZone) === month);
  return Math.min(...(inMonth.length > 0 ? inMonth : [second]));
}

/**
 * `[first instant, last second]` of the months `from`..`to` in `timeZone`, as Mangrove's monthly
 * batches are bounded (`…-31T23:59:59.000Z` in UTC).
 */
export function monthsWindow(from: string, to: string, timeZone: string): { startTime: string; endTime: string } {
  const start = monthStartInstant(from, timeZone);
  const end = monthStartInstant(addMonths(to, 1), timeZone) - 1_000;
  return { startTime: new Date(start).toISOString(), endTime: new Date(end).toISOString() };
}

/** The month before the one containing `instant`, in `timeZone`. */
export function previousMonth(instant: number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return formatMonth(wall.year, wall.month - 1);
}

/** The day of the month of `instant`, in `timeZone`. */
export function dayOfMonth(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone).day;
}

/** The month containing `instant`, in `timeZone`. */
export function monthOf(instant: number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return formatMonth(wall.year, wall.month);
}

/** Every month in `timeZone` that `window` has an instant in, oldest first. */
export function monthsTouched(window: { startTime: string; endTime: string }, timeZone: string): string[] {
  const first = monthOf(Date.parse(window.startTime), timeZone);
  const last = monthOf(Date.parse(window.endTime), timeZone);
  return Array.from({ length: Math.max(1, monthSpan(first, last)) }, (_, index) => addMonths(first, index));
}

/**
 * Whether `month`'s data should be in Mangrove by `instant`: every month before the previous one has
 * had a whole month for it; the previous month from `generateByDay` on.
 */
export function isPastGenerateBy(month: string, instant: number, timeZone: string, generateByDay: number): boolean {
  const previous = previousMonth(instant, timeZone);
  return month < previous || (month === previous && dayOfMonth(instant, timeZone) >= generateByDay);
}

/** Whole calendar months from `from` to `to`, both included (negative when `to` is earlier). */
export function monthSpan(from: string, to: string): number {
  const a = parseMonth(from);
  const b = parseMonth(to);
  return (b.year - a.year) * 12 + (b.month - a.month) + 1;
}
