// Calendar arithmetic in an IANA time zone with Intl only: months are the unit of a monthly ledger,
// and a project outside UTC must see its own month boundaries.
// Deliberately not shared with functions/shared/calendar.ts: the simulator is the oracle the product
// is tested against, so a month-boundary bug in the product must not be mirrored here.

const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export interface CalendarMonth {
  year: number;
  /** 1–12 */
  month: number;
}

export interface MonthSpan extends CalendarMonth {
  startMs: number;
  /** The last whole second of the month, as Mangrove writes batch end times (`…T23:59:59.000Z`). */
  endMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type in parts) parts[part.type as keyof typeof parts] = Number(part.value);
  }
  return parts;
}

function offsetMs(ms: number, timeZone: string): number {
  const local = wallClock(ms, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export function monthOf(ms: number, timeZone: string): CalendarMonth {
  const { year, month } = wallClock(ms, timeZone);
  return { year, month };
}

function nextMonth({ year, month }: CalendarMonth): CalendarMonth {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

/** The instant local midnight starts the 1st of the month; re-checked once because the guess's own offset may sit across a DST change. */
function monthStartMs({ year, month }: CalendarMonth, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, 1);
  const firstGuess = naive - offsetMs(naive, timeZone);
  return naive - offsetMs(firstGuess, timeZone);
}

export function monthSpan(calendarMonth: CalendarMonth, timeZone: string): MonthSpan {
  return {
    ...calendarMonth,
    startMs: monthStartMs(calendarMonth, timeZone),
    endMs: monthStartMs(nextMonth(calendarMonth), timeZone) - 1000,
  };
}

/** Every calendar month that intersects [startMs, endMs], in order. */
export function monthsIntersecting(startMs: number, endMs: number, timeZone: string): MonthSpan[] {
  const spans: MonthSpan[] = [];
  for (let current = monthOf(startMs, timeZone); ; current = nextMonth(current)) {
    const span = monthSpan(current, timeZone);
    if (span.startMs > endMs) return spans;
    spans.push(span);
  }
}

export function monthLabel({ year, month }: CalendarMonth): string {
  return `${MONTH_ABBREVIATIONS[month - 1]}-${year}`;
}

export function monthDisplayName({ year, month }: CalendarMonth): string {
  return `${MONTH_ABBREVIATIONS[month - 1]} ${year}`;
}

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
