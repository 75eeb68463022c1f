/** `batch-autopilot backfill`: one execution per month, oldest first, skipping months already done. */
import { Command, Option } from 'commander';
import { MAX_BACKFILL_MONTHS } from '../../functions/shared/limits.js';
import { describeExecution, resolveStateMachineArn, startNamedExecution, terminalFailure, watchExecution } from '../aws.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { monthsFromTo } from '../month.js';
import { addRunFlags, checkEveryOption, month, once, stateMachineOption, wholeNumber, type RunFlags } from '../options.js';
import { outcomeOf } from '../report/outcome.js';
import { table } from '../report/table.js';
import { monthRequest } from './start.js';

const DEFAULT_POLL_SECONDS = 10;
const MAX_CONCURRENCY = 10;

interface BackfillOptions extends RunFlags {
  concurrency?: number;
  keepGoing?: boolean;
  pollInterval?: number;
  stateMachineArn?: string;
  json?: boolean;
}

interface MonthRow {
  month: string;
  execution: string;
  status: string;
  outcome: string;
}

export function backfillCommand(context: CommandContext): Command {
  const command = new Command('backfill')
    .summary('one execution per month over a range, on the deployed state machine')
    .description(
      'One execution per month (manual-<ledgers>-<hash>-<YYYY-MM>), oldest first. Stops at the first month that does not succeed unless --keep-going; months whose execution succeeded are skipped, so it can be run again.',
    )
    .addOption(new Option('--from <YYYY-MM>', 'first month (required)').argParser(once('--from', month('--from'))))
    .addOption(new Option('--to <YYYY-MM>', `last month (required; at most ${MAX_BACKFILL_MONTHS} months)`).argParser(once('--to', month('--to'))));
  addRunFlags(command, false)
    .addOption(new Option('--concurrency <n>', 'months side by side (default 1)').argParser(once('--concurrency', wholeNumber('--concurrency', { min: 1, max: MAX_CONCURRENCY }))))
    .option('--keep-going', 'run the remaining months after one fails')
    .addOption(checkEveryOption(DEFAULT_POLL_SECONDS))
    .addOption(stateMachineOption())
    .option('--json', 'print the rows as JSON')
    .action(async (options: BackfillOptions) => context.exit(await backfill(options, context)));
  return command;
}

async function backfill(options: BackfillOptions, context: CommandContext): Promise<number> {
  const { io, aws } = context;
  for (const flag of ['from', 'to'] as const) {
    if (!options[flag]) throw new UsageError(`--${flag}`, `expected a month as YYYY-MM (backfill takes --from and --to; "start" runs one month)`, '');
  }
  const months = monthsFromTo(options.from as string, options.to as string, MAX_BACKFILL_MONTHS);
  // Every month is judged before the first one starts: a bad flag must not leave a half-done backfill.
  const requests = months.map((month) => ({ month, ...monthRequest(month, options, aws.now()) }));
  const stateMachineArn = resolveStateMachineArn(options.stateMachineArn, io.env);
  context.target(stateMachineArn);
  const sfn = aws.sfnFor(stateMachineArn);
  const pollMs = (options.pollInterval ?? DEFAULT_POLL_SECONDS) * 1000;

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
      const doneEarlier = outcome.kind === 'exists' && outcome.status === 'SUCCEEDED';
      const description = doneEarlier ? await describeExecution(sfn, outcome.executionArn) : await watchExecution(sfn, outcome.executionArn, { pollMs, sleep: aws.sleep });
      const failure = description.status === 'SUCCEEDED' ? null : await terminalFailure(sfn, outcome.executionArn);
      row.status = doneEarlier ? 'done earlier' : (description.status ?? 'UNKNOWN');
      row.outcome = outcomeOf(description, failure);
      if (!options.json) io.stderr(`${row.month}: ${row.status}, ${row.outcome}\n`);
      if (description.status !== 'SUCCEEDED' && !options.keepGoing) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 1, requests.length) }, worker));

  if (options.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else io.stdout(`${table(['Month', 'Execution', 'Status', 'Outcome'], rows.map((row) => [row.month, row.execution || '-', row.status, row.outcome || '-'])).join('\n')}\n`);
  const failed = rows.filter((row) => !['SUCCEEDED', 'done earlier', 'not started'].includes(row.status));
  if (failed.length > 0 && stopped) io.stderr(`batch-autopilot: stopped after ${failed[0]?.month} did not succeed (--keep-going runs the rest)\n`);
  return failed.length > 0 ? 1 : 0;
}
