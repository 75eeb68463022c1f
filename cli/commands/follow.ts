/** `batch-autopilot follow`: the live view of a deployed execution, as a local run shows it. */
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { Command } from 'commander';
import { executionArnOf } from '../../functions/shared/execution-name.js';
import { executionConsoleUrl, resolveStateMachineArn, terminalFailure, watchExecution } from '../aws.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { checkEveryOption, inFlagTerms, stateMachineOption } from '../options.js';
import { toRunEvents } from '../report/history-events.js';
import { ChildHistories } from '../child-histories.js';
import { createProgressView, type ProgressView } from '../report/progress-view.js';
import { ledgerKeyOf } from '../report/run-event.js';
import { buildRunReport, renderRunReport } from '../report/run-report.js';

export const DEFAULT_FOLLOW_POLL_SECONDS = 5;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]+:[^:\s]+$/;
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;

interface FollowOptions {
  stateMachineArn?: string;
  pollInterval?: number;
}

export function followCommand(context: CommandContext): Command {
  return new Command('follow')
    .summary('watch a deployed execution step by step until it ends')
    .description('Show a deployed execution step by step until it ends; exit 0 if it succeeded, 1 if it failed, timed out or was aborted.')
    .argument('<execution>', 'execution ARN, or its name (of the state machine below)')
    .addOption(stateMachineOption())
    .addOption(checkEveryOption(DEFAULT_FOLLOW_POLL_SECONDS))
    .action(async (target: string, options: FollowOptions) => context.exit(await follow(target, options, context)));
}

async function follow(target: string, options: FollowOptions, context: CommandContext): Promise<number> {
  const isArn = target.startsWith('arn:');
  if (isArn && !EXECUTION_ARN.test(target)) throw new UsageError('<execution>', 'expected an execution ARN (arn:aws:states:<region>:<account>:execution:<state machine>:<name>) or a name', target);
  if (!isArn && !EXECUTION_NAME.test(target)) throw new UsageError('<execution>', 'expected an execution name (1 to 80 characters, no spaces) or an execution ARN', target);
  const executionArn = isArn ? target : executionArnOf(resolveStateMachineArn(options.stateMachineArn, context.io.env), target);
  const stateMachineArn = executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
  context.target(stateMachineArn);
  context.io.stdout(`Following ${executionArn}\n  ${executionConsoleUrl(executionArn)}\n`);
  return followExecutionView(context.aws.sfnFor(stateMachineArn), executionArn, context, (options.pollInterval ?? DEFAULT_FOLLOW_POLL_SECONDS) * 1000);
}

/**
 * Polls the execution and its groups' child executions, feeds their histories to the progress view
 * (one per child, so a child's retry is told from its failure by its own next event), prints the
 * report; returns the exit code.
 */
export async function followExecutionView(sfn: SFNClient, executionArn: string, context: CommandContext, pollMs: number): Promise<number> {
  const { io, aws, paint } = context;
  const history: HistoryEvent[] = [];
  const children = new ChildHistories(sfn);
  const childViews = new Map<string, { view: ProgressView; shown: number }>();
  let shown = 0;
  let ledgers = 0;
  const newView = (multipleLedgers: () => boolean) => createProgressView({ write: io.stdout, interactive: io.interactive, multipleLedgers, paint, terms: inFlagTerms });
  const view = newView(() => ledgers > 1);
  const started = aws.now();
  const description = await watchExecution(sfn, executionArn, {
    pollMs,
    sleep: aws.sleep,
    onEvents: (fresh) => {
      history.push(...fresh);
      // Converted as a whole: a failure or a retry is placed by the events before it.
      const events = toRunEvents(history);
      ledgers = new Set(events.map((event) => ledgerKeyOf(event.state?.input)).filter(Boolean)).size;
      for (const event of events.slice(shown)) view.onEvent(event);
      shown = events.length;
    },
    afterPoll: async () => {
      for (const child of await children.poll(history)) {
        const entry = childViews.get(child.executionArn) ?? { view: newView(() => true), shown: 0 };
        childViews.set(child.executionArn, entry);
        const events = toRunEvents(child.events);
        for (const event of events.slice(entry.shown)) entry.view.onEvent(event);
        entry.shown = events.length;
      }
    },
  });
  for (const { view: childView } of childViews.values()) childView.finish();
  view.finish();

  const status = description.status ?? 'UNKNOWN';
  const succeeded = status === 'SUCCEEDED';
  const failure = succeeded ? undefined : ((await terminalFailure(sfn, executionArn)) ?? { error: status, cause: '' });
  const events = [history, ...children.histories()].flatMap((events) => toRunEvents(events));
  const report = buildRunReport(succeeded ? 'succeeded' : 'failed', events, failure);
  const elapsed = description.stopDate && description.startDate ? description.stopDate.getTime() - description.startDate.getTime() : aws.now() - started;
  io.stdout(`${renderRunReport(report, elapsed, { paint, executionStatus: status, terms: inFlagTerms })}\n`);
  return succeeded ? 0 : 1;
}
