/**
 * The one shape of a step's log line: JSON with level, step, execution, ledger and month, so a
 * CloudWatch Logs Insights query can find one ledger-month's lines across every step. Written
 * straight to stdout: Lambda's console adds a text prefix that would hide the JSON from Insights.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogContext {
  step: string;
  executionName: string | null;
  ledger: string | null;
  month: string | null;
}

/** Where this event is in the run, read from the fields the state machine passes (any may be missing). */
export function logContextOf(step: string, event: unknown): LogContext {
  const input = (event ?? {}) as {
    executionName?: unknown;
    ledgerRef?: unknown;
    ledger?: { id?: unknown; ref?: unknown };
    plan?: { window?: { label?: unknown } };
  };
  const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
  return {
    step,
    executionName: text(input.executionName),
    ledger: text(input.ledger?.id) ?? text(input.ledger?.ref) ?? text(input.ledgerRef),
    month: text(input.plan?.window?.label),
  };
}

export function logLine(level: LogLevel, context: LogContext, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, ...context, message, ...fields });
}

/** In Lambda: one line per event, unprefixed. */
export function writeLogLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
