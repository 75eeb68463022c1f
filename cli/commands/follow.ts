/** `batch-autopilot follow`: the live view of a deployed execution, as a local run shows it. */
import { parseArgs } from 'node:util';
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { executionArnOf } from '../../functions/shared/execution-name.js';
import { createProgressView } from '../report/progress-view.js';
import { buildRunReport, renderRunReport } from '../report/run-report.js';
import { defaultAwsDeps, executionConsoleUrl, resolveStateMachineArn, type AwsDeps } from '../aws.js';
import { integer, UsageError } from '../execution-input.js';
import { terminalFailure, watchExecution } from '../executions.js';
import { toRunEvents } from '../report/history-events.js';
import type { CommandIo } from './run.js';

export const FOLLOW_USAGE = `Usage: batch-autopilot follow <execution-arn|name> [--poll-interval <s>] [--state-machine-arn <arn>]
  Shows the execution step by step until it ends; exit 0 succeeded, 1 failed, timed out or aborted.`;

const DEFAULT_POLL_SECONDS = 5;

export async function followCommand(args: string[], io: CommandIo, deps: AwsDeps = defaultAwsDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { 'state-machine-arn': { type: 'string' }, 'poll-interval': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(`${FOLLOW_USAGE}\n`);
    return 0;
  }
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new UsageError('follow: expected one execution ARN or name');
  const executionArn = target.startsWith('arn:')
    ? target
    : executionArnOf(resolveStateMachineArn(values['state-machine-arn'], io.env), target);
  const stateMachineArn = executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
  const pollMs = (integer(values['poll-interval'], '--poll-interval') ?? DEFAULT_POLL_SECONDS) * 1000;
  io.stdout(`Following ${executionArn}\n  ${executionConsoleUrl(executionArn)}\n`);
  return followExecutionView(deps.sfnFor(stateMachineArn), executionArn, io, deps, pollMs);
}

/** Polls the execution, feeds its history to the progress view, prints the final table; returns the exit code. */
export async function followExecutionView(
  sfn: SFNClient,
  executionArn: string,
  io: CommandIo,
  deps: AwsDeps,
  pollMs = DEFAULT_POLL_SECONDS * 1000,
): Promise<number> {
  const history: HistoryEvent[] = [];
  let shown = 0;
  const view = createProgressView(io.stdout, io.interactive, () => false);
  const started = deps.now();
  const description = await watchExecution(sfn, executionArn, {
    pollMs,
    sleep: deps.sleep,
    onEvents: (fresh) => {
      history.push(...fresh);
      // Converted as a whole so a failure can find the task state it happened in.
      const events = toRunEvents(history);
      for (const event of events.slice(shown)) view.onEvent(event);
      shown = events.length;
    },
  });
  view.finish();

  const events = toRunEvents(history);
  const succeeded = description.status === 'SUCCEEDED';
  const failure = succeeded ? undefined : ((await terminalFailure(sfn, executionArn)) ?? { error: description.status ?? 'UNKNOWN', cause: '' });
  const report = buildRunReport(succeeded ? 'succeeded' : 'failed', events, failure);
  const elapsed = description.stopDate && description.startDate ? description.stopDate.getTime() - description.startDate.getTime() : deps.now() - started;
  io.stdout(`${renderRunReport(report, elapsed)}\n`);
  if (!succeeded) io.stdout(`Execution ended ${description.status}.\n`);
  return succeeded ? 0 : 1;
}
