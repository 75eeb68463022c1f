/** `batch-autopilot start`: one month on the deployed state machine, under a name that makes a repeat harmless. */
import { Command, Option } from 'commander';
import { executionName } from '../../functions/shared/execution-name.js';
import type { ExecutionInput } from '../../functions/shared/run-plan.js';
import { readCdkJsonConfig, runDefaultsOf } from '../../lib/config.js';
import { executionConsoleUrl, resolveStateMachineArn, startNamedExecution, type StartOutcome } from '../aws.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { addRunFlags, checkEveryOption, checkPlan, executionInputFromFlags, month, once, stateMachineOption, type RunFlags } from '../options.js';
import { DEFAULT_FOLLOW_POLL_SECONDS, followExecutionView } from './follow.js';

interface StartOptions extends RunFlags {
  stateMachineArn?: string;
  follow?: boolean;
  pollInterval?: number;
  json?: boolean;
}

export function startCommand(context: CommandContext): Command {
  const command = new Command('start')
    .summary('start one month on the deployed state machine')
    .description(
      'Start the deployed state machine for one month, as manual-<ledgers>-<hash>-<YYYY-MM>: the same request twice is refused by Step Functions; a month whose execution failed is retried as …-r2.',
    )
    .addOption(new Option('--month <YYYY-MM>', 'the month to generate (required)').argParser(once('--month', month('--month'))));
  addRunFlags(command, false)
    .addOption(stateMachineOption())
    .option('--follow', 'follow the execution to its end (exit 1 if it does not succeed)')
    .addOption(checkEveryOption(DEFAULT_FOLLOW_POLL_SECONDS))
    .option('--json', 'print the start outcome as JSON (without --follow)')
    .action(async (options: StartOptions) => context.exit(await start(options, context)));
  return command;
}

/** `20250402T060003` for names that must be new on purpose (dry runs, forced runs). */
export function timestampSuffix(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/** The input and the deterministic name for one month, as `start` and `backfill` both build them. */
export function monthRequest(monthText: string, flags: RunFlags, nowMs: number): { input: ExecutionInput; baseName: string } {
  const defaults = runDefaultsOf(readCdkJsonConfig());
  // Named explicitly so the execution name and the run cover exactly the same ledger set.
  const ledgers = flags.ledger ?? defaults.ledgers;
  const monthFlags: RunFlags = { ...flags, ledger: ledgers, month: monthText, from: undefined, to: undefined };
  const input = executionInputFromFlags(monthFlags);
  checkPlan(input, defaults, nowMs, monthFlags);
  const kind = flags.dryRun ? 'dryrun' : 'manual';
  const suffix = flags.dryRun || flags.force ? `${flags.force ? 'force-' : ''}${timestampSuffix(nowMs)}` : undefined;
  return { input, baseName: executionName(kind, ledgers, monthText, suffix) };
}

export function describeStart(outcome: StartOutcome): string {
  const link = executionConsoleUrl(outcome.executionArn);
  if (outcome.kind === 'started') {
    const retry = outcome.replacing ? ` (the previous attempt ${outcome.replacing.name} ended ${outcome.replacing.status})` : '';
    return `Started ${outcome.name}${retry}\n  ${link}`;
  }
  const when = outcome.startDate ? `, started ${outcome.startDate.toISOString()}` : '';
  return `Not started: execution ${outcome.name} already exists (${outcome.status}${when}); Step Functions refused a second one.\n  ${link}`;
}

async function start(options: StartOptions, context: CommandContext): Promise<number> {
  const { aws } = context;
  if (!options.month) throw new UsageError('--month', 'expected the month to generate, as YYYY-MM ("backfill" runs several months)', '');
  if (options.pollInterval !== undefined && !options.follow) throw new UsageError('--poll-interval', 'only means something with --follow');
  // Every flag is judged before the state machine is looked for or AWS is called.
  return startExecution(monthRequest(options.month, options, aws.now()), options, context);
}

/** Starts the named request on the deployed state machine, says how that went, and follows it if asked; returns the exit code. */
export async function startExecution(
  request: { input: ExecutionInput; baseName: string },
  options: Pick<StartOptions, 'stateMachineArn' | 'follow' | 'pollInterval' | 'json'>,
  context: CommandContext,
): Promise<number> {
  const { io, aws } = context;
  const stateMachineArn = resolveStateMachineArn(options.stateMachineArn, io.env);
  context.target(stateMachineArn);
  const sfn = aws.sfnFor(stateMachineArn);

  const outcome = await startNamedExecution(sfn, stateMachineArn, request.baseName, request.input);
  if (options.json && !options.follow) io.stdout(`${JSON.stringify(outcome)}\n`);
  else io.stdout(`${describeStart(outcome)}\n`);
  if (options.follow && (outcome.kind === 'started' || outcome.status === 'RUNNING')) {
    return followExecutionView(sfn, outcome.executionArn, context, (options.pollInterval ?? DEFAULT_FOLLOW_POLL_SECONDS) * 1000);
  }
  return 0;
}
