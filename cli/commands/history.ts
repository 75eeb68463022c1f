/** `batch-autopilot history`: recent executions with their window, outcome and, for a failure, why. */
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { Command, Option } from 'commander';
import { readableCause } from '../../functions/shared/error-cause.js';
import { resolveRun } from '../../functions/resolve-run/resolve-run-plan.js';
import { executionInputSchema, type RunDefaults } from '../../functions/shared/run-plan.js';
import { read } from '../../functions/shared/state-contract.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { describeExecution, resolveStateMachineArn, terminalFailure } from '../aws.js';
import type { CommandContext } from '../io.js';
import { once, stateMachineOption, wholeNumber } from '../options.js';
import { formatDuration } from '../report/duration.js';
import { outcomeOf } from '../report/outcome.js';
import { table } from '../report/table.js';

interface HistoryOptions {
  limit?: number;
  json?: boolean;
  stateMachineArn?: string;
}

export interface HistoryRow {
  name: string;
  window: string;
  status: string;
  started: string;
  duration: string;
  outcome: string;
  error: string | null;
  cause: string | null;
}

export function historyCommand(context: CommandContext): Command {
  return new Command('history')
    .summary('recent executions of the deployed state machine and their outcomes')
    .description('Recent executions, newest first: name, window, status, start, duration, outcome, and for a failure its error and cause.')
    .addOption(new Option('--limit <n>', 'how many (default 10)').argParser(once('--limit', wholeNumber('--limit', { min: 1, max: 100 }))))
    .option('--json', 'print the rows as JSON')
    .addOption(stateMachineOption())
    .action(async (options: HistoryOptions) => context.exit(await history(options, context)));
}

async function history(options: HistoryOptions, context: CommandContext): Promise<number> {
  const { io, aws } = context;
  const stateMachineArn = resolveStateMachineArn(options.stateMachineArn, io.env);
  context.target(stateMachineArn);
  const defaults = runDefaultsOf(readCdkJsonConfig());
  const sfn = aws.sfnFor(stateMachineArn);

  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: options.limit ?? 10 }));
  const rows: HistoryRow[] = [];
  for (const execution of listed.executions ?? []) {
    if (!execution.executionArn) continue;
    const description = await describeExecution(sfn, execution.executionArn);
    const status = description.status ?? execution.status ?? 'UNKNOWN';
    const failure = status === 'SUCCEEDED' || status === 'RUNNING' ? null : await terminalFailure(sfn, execution.executionArn);
    const started = description.startDate ?? execution.startDate;
    const stopped = description.stopDate ?? execution.stopDate;
    rows.push({
      name: execution.name ?? '',
      window: windowOf(description.input, started, defaults),
      status,
      started: started ? started.toISOString().replace('.000Z', 'Z') : '-',
      duration: started && stopped ? formatDuration(stopped.getTime() - started.getTime()) : started ? `running ${formatDuration(aws.now() - started.getTime())}` : '-',
      outcome: status === 'RUNNING' ? '' : outcomeOf({ ...description, status }, failure),
      error: failure?.error ?? null,
      cause: failure ? readableCause(failure.cause) : null,
    });
  }

  if (options.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('No executions yet.\n');
    return 0;
  }
  const lines = table(
    ['Name', 'Window', 'Status', 'Started', 'Duration', 'Outcome'],
    rows.map((row) => [row.name, row.window, row.status, row.started, row.duration, row.outcome]),
  );
  const failures = rows.filter((row) => row.error).map((row) => `  ${row.name}: ${row.error}: ${row.cause}`);
  io.stdout(`${lines.join('\n')}\n${failures.length > 0 ? `\nFailures:\n${failures.join('\n')}\n` : ''}`);
  return 0;
}

/**
 * The window an execution input asked for, as ResolveRun resolved it at the execution's start
 * (a scheduled fire: the months it reconciles); `?` when it cannot tell.
 */
function windowOf(input: string | undefined, started: Date | undefined, defaults: RunDefaults): string {
  // No input at all is not `{}`: the execution data may simply be hidden from us.
  if (input === undefined) return '?';
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return '?';
  }
  const executionInput = read(executionInputSchema, parsed);
  if (!executionInput) return '?';
  try {
    return resolveRun(executionInput, defaults, started?.getTime() ?? Date.now()).window.label;
  } catch {
    return '?';
  }
}
