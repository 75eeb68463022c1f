/** `batch-autopilot backfill`: one execution per month, oldest first, skipping months already done. */
import { parseArgs } from 'node:util';
import { addMonths, MONTH_PATTERN, monthSpan } from '../../functions/shared/calendar.js';
import { MAX_BACKFILL_MONTHS } from '../../functions/shared/limits.js';
import { defaultAwsDeps, resolveStateMachineArn, type AwsDeps } from '../aws.js';
import { integer, UsageError } from '../execution-input.js';
import { describeExecution, startNamedExecution, terminalFailure, watchExecution } from '../executions.js';
import { outcomeOf, table } from '../report/outcome.js';
import type { CommandIo } from './run.js';
import { monthRequest, START_OPTIONS } from './start.js';

export const BACKFILL_USAGE = `Usage: batch-autopilot backfill --from YYYY-MM --to YYYY-MM [--ledger <id|name>]... [--concurrency N] [--keep-going]
  One execution per month (manual-<ledgers>-<YYYY-MM>), oldest first, one at a time unless --concurrency.
  Stops at the first failure unless --keep-going. Months already generated are skipped, so it can be re-run.
  Also: --dry-run, --force, --time-zone, --auto-discover-data-points, --poll-interval <s>, --state-machine-arn, --json.`;


interface MonthRow {
  month: string;
  execution: string;
  status: string;
  outcome: string;
}

export async function backfillCommand(args: string[], io: CommandIo, deps: AwsDeps = defaultAwsDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      ...START_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      concurrency: { type: 'string' },
      'keep-going': { type: 'boolean' },
      'poll-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${BACKFILL_USAGE}\n`);
    return 0;
  }
  if (values.month) throw new UsageError('--month: backfill takes --from and --to (use "start" for one month)');
  for (const flag of ['from', 'to'] as const) {
    if (!values[flag] || !MONTH_PATTERN.test(values[flag])) throw new UsageError(`--${flag}: expected a month as YYYY-MM`);
  }
  const span = monthSpan(values.from as string, values.to as string);
  if (span < 1) throw new UsageError(`--to: expected a month on or after --from (${values.from})`);
  if (span > MAX_BACKFILL_MONTHS) throw new UsageError(`--to: expected at most ${MAX_BACKFILL_MONTHS} months from --from, got ${span}`);
  const concurrency = integer(values.concurrency, '--concurrency') ?? 1;
  if (concurrency < 1 || concurrency > 10) throw new UsageError('--concurrency: expected 1 to 10');
  const pollMs = (integer(values['poll-interval'], '--poll-interval') ?? 10) * 1000;

  const stateMachineArn = resolveStateMachineArn(values['state-machine-arn'], io.env);
  const months = Array.from({ length: span }, (_, index) => addMonths(values.from as string, index));
  // Every month is validated before the first one starts: a bad flag must not leave a half-done backfill.
  const requests = months.map((month) => ({ month, ...monthRequest(month, values, deps.now()) }));
  const sfn = deps.sfnFor(stateMachineArn);

  const rows: MonthRow[] = months.map((month) => ({ month, execution: '', status: 'not started', outcome: '' }));
  let stopped = false;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stopped && next < requests.length) {
      const index = next;
      next += 1;
      const request = requests[index] as (typeof requests)[number];
      const row = rows[index] as MonthRow;
      const outcome = await startNamedExecution(sfn, stateMachineArn, request.baseName, request.input);
      row.execution = outcome.name;
      const description =
        outcome.kind === 'exists' && outcome.status === 'SUCCEEDED'
          ? await describeExecution(sfn, outcome.executionArn)
          : await watchExecution(sfn, outcome.executionArn, { pollMs, sleep: deps.sleep });
      const failure = description.status === 'SUCCEEDED' ? null : await terminalFailure(sfn, outcome.executionArn);
      row.status = outcome.kind === 'exists' && outcome.status === 'SUCCEEDED' ? 'done earlier' : (description.status ?? 'UNKNOWN');
      row.outcome = outcomeOf(description, failure);
      if (!values.json) io.stderr(`${row.month}: ${row.status} ${row.outcome}\n`);
      if (description.status !== 'SUCCEEDED' && !values['keep-going']) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));

  if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else io.stdout(`${table(['Month', 'Execution', 'Status', 'Outcome'], rows.map((row) => [row.month, row.execution || '-', row.status, row.outcome || '-']))}\n`);
  const failed = rows.filter((row) => !['SUCCEEDED', 'done earlier', 'not started'].includes(row.status));
  if (failed.length > 0 && stopped) io.stderr(`batch-autopilot: stopped after ${failed[0]?.month} did not succeed (--keep-going runs the rest)\n`);
  return failed.length > 0 ? 1 : 0;
}
