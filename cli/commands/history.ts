/** `batch-autopilot history`: recent executions with their window, outcome and, for a failure, why. */
import { parseArgs } from 'node:util';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { resolveRunPlan } from '../../functions/resolve-run/resolve-run-plan.js';
import { executionInputSchema } from '../../functions/shared/run-plan.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { readableCause } from '../../functions/shared/error-cause.js';
import { defaultAwsDeps, resolveStateMachineArn, type AwsDeps } from '../aws.js';
import { integer, UsageError } from '../execution-input.js';
import { describeExecution, terminalFailure } from '../executions.js';
import { outcomeOf, table } from '../report/outcome.js';
import type { CommandIo } from './run.js';

export const HISTORY_USAGE = `Usage: batch-autopilot history [--limit N] [--json] [--state-machine-arn <arn>]
  Recent executions, newest first: name, window, status, start, duration, and for a failure its error and cause.`;

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

export async function historyCommand(args: string[], io: CommandIo, deps: AwsDeps = defaultAwsDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { limit: { type: 'string' }, json: { type: 'boolean' }, 'state-machine-arn': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(`${HISTORY_USAGE}\n`);
    return 0;
  }
  const limit = integer(values.limit, '--limit') ?? 10;
  if (limit < 1 || limit > 100) throw new UsageError('--limit: expected 1 to 100');
  const stateMachineArn = resolveStateMachineArn(values['state-machine-arn'], io.env);
  const sfn = deps.sfnFor(stateMachineArn);

  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: limit }));
  const rows: HistoryRow[] = [];
  for (const execution of listed.executions ?? []) {
    const description = await describeExecution(sfn, execution.executionArn as string);
    const failure = description.status === 'SUCCEEDED' || description.status === 'RUNNING' ? null : await terminalFailure(sfn, execution.executionArn as string);
    const started = description.startDate ?? execution.startDate;
    const stopped = description.stopDate ?? execution.stopDate;
    rows.push({
      name: execution.name ?? '',
      window: windowOf(description.input, started),
      status: description.status ?? execution.status ?? 'UNKNOWN',
      started: started ? started.toISOString().replace('.000Z', 'Z') : '-',
      duration: started && stopped ? formatDuration(stopped.getTime() - started.getTime()) : started ? `running ${formatDuration(deps.now() - started.getTime())}` : '-',
      outcome: description.status === 'RUNNING' ? '' : outcomeOf(description, failure),
      error: failure?.error ?? null,
      cause: failure ? readableCause(failure.cause) : null,
    });
  }

  if (values.json) {
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
  const failures = rows.filter((row) => row.error).map((row) => `${row.name}: ${row.error}: ${row.cause}`);
  io.stdout(`${lines}\n${failures.length > 0 ? `\nFailures:\n${failures.map((line) => `  ${line}`).join('\n')}\n` : ''}`);
  return 0;
}

/** The window an execution input asked for, as ResolveRun resolved it at the execution's start. */
function windowOf(input: string | undefined, started: Date | undefined): string {
  try {
    const parsed = executionInputSchema.parse(JSON.parse(input ?? '{}'));
    return resolveRunPlan(parsed, runDefaultsOf(readCdkJsonConfig()), started?.getTime() ?? Date.now()).window.label;
  } catch {
    return '?';
  }
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
