/** Execution input from command-line flags, judged by the same schema and rules as the ResolveRun step. */
import { resolveRunPlan } from '../functions/resolve-run/resolve-run-plan.js';
import { InvalidInputError } from '../functions/shared/errors.js';
import { executionInputSchema, type ExecutionInput, type RunDefaults } from '../functions/shared/run-plan.js';

/** A mistake in how the command was called: exit 2, one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The flags every command that starts a run understands (parseArgs options). */
export const RUN_INPUT_OPTIONS = {
  ledger: { type: 'string', multiple: true },
  month: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'time-zone': { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  'auto-discover-data-points': { type: 'boolean' },
  'data-point': { type: 'string', multiple: true },
  'skip-data-point-type': { type: 'string', multiple: true },
  'poll-interval': { type: 'string' },
  'max-wait': { type: 'string' },
} as const;

/** Same validation as the ResolveRun step, before anything starts: a typo is a usage error (exit 2), not a failed run. */
export function checkPlan(input: ExecutionInput, defaults: RunDefaults, nowMs: number): void {
  try {
    resolveRunPlan(input, defaults, nowMs);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new UsageError(error.issues.map((issue) => issue.replace(/^(\w+):/, (_, field: string) => `${flagName(field)}:`)).join('; '));
  }
}

export function executionInputFromFlags(values: Record<string, string | boolean | string[] | undefined>): ExecutionInput {
  const candidate = {
    source: 'manual',
    ledgers: values.ledger,
    month: values.month,
    from: values.from,
    to: values.to,
    timeZone: values['time-zone'],
    dryRun: values['dry-run'],
    force: values.force,
    autoDiscoverDataPoints: values['auto-discover-data-points'],
    dataPointIds: values['data-point'],
    skippedDataPointTypeIds: integers(values['skip-data-point-type'] as string[] | undefined, '--skip-data-point-type'),
    pollIntervalSeconds: integer(values['poll-interval'] as string | undefined, '--poll-interval'),
    maxWaitMinutes: integer(values['max-wait'] as string | undefined, '--max-wait'),
  };
  const parsed = executionInputSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)));
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `${flagName(String(issue.path[0] ?? 'input'))}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

const FLAG_OF_FIELD: Record<string, string> = {
  ledgers: '--ledger',
  dataPointIds: '--data-point',
  skippedDataPointTypeIds: '--skip-data-point-type',
  pollIntervalSeconds: '--poll-interval',
  maxWaitMinutes: '--max-wait',
  endTime: '--to',
  window: '--month/--from/--to',
};

function flagName(field: string): string {
  return FLAG_OF_FIELD[field] ?? `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function integer(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  return Number(text);
}

function integers(texts: string[] | undefined, flag: string): number[] | undefined {
  return texts?.map((text) => integer(text, flag) as number);
}

