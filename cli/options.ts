/**
 * Flags: their parsers (each value checked as it is read, so a typo fails before any network or AWS
 * call), the execution input they make, and the workflow's field names said as the flags that set them.
 */
import { Option, type Command } from 'commander';
import { resolveRunPlan } from '../functions/resolve-run/resolve-run-plan.js';
import { InvalidInputError } from '../functions/shared/errors.js';
import { MAX_WAIT_MINUTES, POLL_INTERVAL_SECONDS } from '../functions/shared/limits.js';
import { quarterProblem, reportSelectorProblem } from '../functions/shared/reports.js';
import { executionInputSchema, type ExecutionInput, type RunDefaults, type RunPlan } from '../functions/shared/run-plan.js';
import { describeIssues } from '../functions/shared/zod-issues.js';
import { UsageError, type UsageProblem } from './errors.js';
import { parseMonthFlag } from './month.js';

type Parse<T> = (raw: string) => T;

/** A flag that takes one value: given twice is a mistake, not "the last one wins". */
export function once<T>(flag: string, parse: Parse<T>): (raw: string, previous: T | undefined) => T {
  let first: string | undefined;
  return (raw, previous) => {
    if (previous !== undefined) throw new UsageError(flag, `given more than once (${first} and ${raw}); give it once`);
    first = raw;
    return parse(raw);
  };
}

export function repeatable<T>(parse: Parse<T>): (raw: string, previous: T[] | undefined) => T[] {
  return (raw, previous) => [...(previous ?? []), parse(raw)];
}

export function wholeNumber(flag: string, range: { min: number; max: number }): Parse<number> {
  return (raw) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= range.min && value <= range.max)) throw new UsageError(flag, `expected a whole number from ${range.min} to ${range.max}`, raw);
    return value;
  };
}

export function nonEmpty(flag: string, what: string): Parse<string> {
  return (raw) => {
    if (raw.trim() === '') throw new UsageError(flag, `expected ${what}`, raw);
    return raw.trim();
  };
}

export function choice<T extends string>(flag: string, choices: readonly T[]): Parse<T> {
  return (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new UsageError(flag, `expected ${choices.join(' or ')}`, raw);
    return raw as T;
  };
}

export const month = (flag: string): Parse<string> => (raw) => parseMonthFlag(flag, raw);

/** `YYYY-Qn`, as the records and the workflow name quarters. */
export const quarter =
  (flag: string): Parse<string> =>
  (raw) => {
    const problem = quarterProblem(raw.trim());
    if (problem !== null) throw new UsageError(flag, problem);
    return raw.trim();
  };

/** A report id or a name pattern, judged as the workflow will judge it (a pattern without {yyyy} is refused here, not in the run). */
export const reportSelector =
  (flag: string): Parse<string> =>
  (raw) => {
    const value = nonEmpty(flag, 'a report id (rpt_…) or a name pattern')(raw);
    const problem = reportSelectorProblem(value, flag);
    // The problem starts with the field, and most of them quote the value already.
    if (problem !== null) throw new UsageError(flag, problem.slice(`${flag}: `.length), problem.includes(JSON.stringify(value)) ? undefined : value);
    return value;
  };

/** The flags every command that makes a run takes (besides its window flags). */
export interface RunFlags {
  ledger?: string[];
  month?: string;
  from?: string;
  to?: string;
  timeZone?: string;
  dryRun?: boolean;
  force?: boolean;
  autoDiscoverDataPoints?: boolean;
  dataPoint?: string[];
  skipDataPointType?: number[];
  pollInterval?: number;
  maxWait?: number;
  submitReport?: boolean;
  report?: string;
  quarter?: string;
}

export function addRunFlags(command: Command, polling: boolean): Command {
  command
    .addOption(new Option('--ledger <id|name>', 'ledger to generate for, lgr_… or exact name (repeatable; default: cdk.json "ledgers")').argParser(repeatable(nonEmpty('--ledger', 'a ledger id (lgr_…) or exact name'))))
    .addOption(new Option('--time-zone <IANA>', 'whose calendar months (default: cdk.json "timeZone")').argParser(once('--time-zone', nonEmpty('--time-zone', 'an IANA time zone'))))
    .option('--dry-run', 'preview only; generate nothing')
    .option('--force', 'generate even when batches already exist in the window')
    .option('--auto-discover-data-points', 'let Mangrove pick manual-select inputs\u2019 data points from the window (default: cdk.json "autoDiscoverDataPoints")')
    .option('--no-auto-discover-data-points', 'do not, whatever cdk.json says')
    .addOption(new Option('--data-point <in_…>', 'data point for manual-select inputs (repeatable)').argParser(repeatable(nonEmpty('--data-point', 'a data point id (in_…)'))))
    .addOption(new Option('--skip-data-point-type <id>', 'data point type to exclude (repeatable)').argParser(repeatable(wholeNumber('--skip-data-point-type', { min: 1, max: Number.MAX_SAFE_INTEGER }))))
    .option('--submit-report', 'then submit each quarter the window completes to its report, which cannot be undone (default: cdk.json "reports.submit")')
    .addOption(reportOption());
  if (polling) {
    command
      .addOption(new Option('--poll-interval <s>', 'seconds between task status checks (default: cdk.json "pollIntervalSeconds")').argParser(once('--poll-interval', wholeNumber('--poll-interval', POLL_INTERVAL_SECONDS))))
      .addOption(new Option('--max-wait <min>', 'minutes to wait for the task (default: cdk.json "maxWaitMinutes")').argParser(once('--max-wait', wholeNumber('--max-wait', MAX_WAIT_MINUTES))));
  }
  return command;
}

/** The execution input fields and the flags that set them, for messages. */
const FLAG_OF_FIELD: Record<string, { flag: string; value?: (flags: RunFlags) => unknown }> = {
  ledgers: { flag: '--ledger', value: (flags) => flags.ledger },
  month: { flag: '--month', value: (flags) => flags.month },
  from: { flag: '--from', value: (flags) => flags.from },
  to: { flag: '--to', value: (flags) => flags.to },
  endTime: { flag: '--to', value: (flags) => flags.to },
  window: { flag: '--month/--from/--to' },
  timeZone: { flag: '--time-zone', value: (flags) => flags.timeZone },
  dataPointIds: { flag: '--data-point', value: (flags) => flags.dataPoint },
  skippedDataPointTypeIds: { flag: '--skip-data-point-type', value: (flags) => flags.skipDataPointType },
  pollIntervalSeconds: { flag: '--poll-interval', value: (flags) => flags.pollInterval },
  maxWaitMinutes: { flag: '--max-wait', value: (flags) => flags.maxWait },
  autoDiscoverDataPoints: { flag: '--auto-discover-data-points' },
  dryRun: { flag: '--dry-run' },
  force: { flag: '--force' },
  submitReports: { flag: '--submit-report' },
  report: { flag: '--report', value: (flags) => flags.report },
  quarter: { flag: '--quarter', value: (flags) => flags.quarter },
};

/** The report a submission goes to, for this run. */
export const reportOption = (): Option =>
  new Option('--report <rpt_…|pattern>', 'the report: its id, or a name pattern with {q} and {yyyy} (default: cdk.json "reports")').argParser(once('--report', reportSelector('--report')));

/** `field[1]: problem` lines from the workflow's validation, as problems with the flags. */
function asFlagProblems(issues: readonly string[], flags: RunFlags): UsageProblem[] {
  return issues.map((issue) => {
    const match = /^(\w+)(?:\[(\d+)\])?[^:]*: (.*)$/s.exec(issue);
    const known = match ? FLAG_OF_FIELD[match[1] ?? ''] : undefined;
    if (!match || !known) return { subject: 'input', problem: inFlagTerms(issue) };
    const value = known.value?.(flags);
    const item = Array.isArray(value) ? (match[2] === undefined ? value.join(' ') : value[Number(match[2])]) : value;
    return { subject: known.flag, problem: inFlagTerms(match[3] ?? ''), got: item === undefined ? undefined : String(item) };
  });
}

export function executionInputFromFlags(flags: RunFlags): ExecutionInput {
  const candidate = {
    source: 'manual',
    ledgers: flags.ledger,
    month: flags.month,
    from: flags.from,
    to: flags.to,
    timeZone: flags.timeZone,
    dryRun: flags.dryRun,
    force: flags.force,
    autoDiscoverDataPoints: flags.autoDiscoverDataPoints,
    dataPointIds: flags.dataPoint,
    skippedDataPointTypeIds: flags.skipDataPointType,
    pollIntervalSeconds: flags.pollInterval,
    maxWaitMinutes: flags.maxWait,
    submitReports: flags.submitReport,
    report: flags.report,
    quarter: flags.quarter,
  };
  const parsed = executionInputSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)));
  if (!parsed.success) throw new UsageError(asFlagProblems(describeIssues(parsed.error.issues), flags));
  return parsed.data;
}

/** ResolveRun's own judgement, before anything starts: a bad window is a usage error (exit 2), not a failed run. */
export function checkPlan(input: ExecutionInput, defaults: RunDefaults, nowMs: number, flags: RunFlags): RunPlan {
  try {
    return resolveRunPlan(input, defaults, nowMs);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new UsageError(asFlagProblems(error.issues, flags));
  }
}

const PHRASES: Array<[RegExp, string]> = [
  [/(name) (?:their|the) data points in dataPointIds/gi, '$1 the data points with --data-point'],
  [/set autoDiscoverDataPoints: true/g, 'pass --auto-discover-data-points'],
  [/\bwith force\b/g, 'with --force'],
];

/**
 * The workflow speaks in execution-input fields (`dataPointIds`); at the command line the same
 * advice has to name the flags, or it sends people to a config file they did not use.
 */
export function inFlagTerms(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PHRASES) result = result.replace(pattern, replacement);
  for (const [field, { flag }] of Object.entries(FLAG_OF_FIELD)) {
    if (/[A-Z]/.test(field)) result = result.replace(new RegExp(`\\b${field}\\b`, 'g'), flag);
  }
  return result;
}

export const stateMachineOption = (): Option =>
  new Option('--state-machine-arn <arn>', 'the state machine (default: $BATCH_AUTOPILOT_STATE_MACHINE_ARN, else cdk-outputs.json)').argParser(
    once('--state-machine-arn', nonEmpty('--state-machine-arn', 'a state machine ARN')),
  );

/** How often a command looks at an execution; not the workflow's own --poll-interval of `run`. */
export const checkEveryOption = (defaultSeconds: number): Option =>
  new Option('--poll-interval <s>', `seconds between looks at the execution (default ${defaultSeconds})`).argParser(
    once('--poll-interval', wholeNumber('--poll-interval', { min: 1, max: 3_600 })),
  );

export const stateDirOption = (description: string): Option =>
  new Option('--state-dir <dir>', description).argParser(once('--state-dir', nonEmpty('--state-dir', 'a directory')));

/** DynamoDB's own rule for table names; an ARN or a typo is refused before any call. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export const tableOption = (): Option =>
  new Option('--table <name>', 'the deployed LedgerMonths table (default: $BATCH_AUTOPILOT_TABLE, else cdk-outputs.json)').argParser(
    once('--table', (raw) => {
      if (!TABLE_NAME.test(raw)) throw new UsageError('--table', 'expected a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -), as cdk-outputs.json names it', raw);
      return raw;
    }),
  );
