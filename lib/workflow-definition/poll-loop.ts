/**
 * The one poll loop: a Pass that sets the first wait (the plan's interval), a Wait that reads each
 * next one from the poll's result, the polling step, and a Choice that ends the loop on one of its
 * conditions or waits again. Generation's task poll and outcome-unknown watch, and the report
 * submission's poll, are built from it; the adaptive schedule and the deadline live in the polling
 * step (functions/shared/poll-schedule.ts).
 */
import { Choice, Pass, Wait, WaitTime, type Condition, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface PollLoopProps {
  /** State names: the first-wait Pass, the Wait and the Choice. */
  names: { start: string; wait: string; choice: string };
  /** Where the poll puts its result, `nextWaitSeconds` included (`$.status`). */
  resultPath: string;
  /** The polling step, its Retry and Catch already added. */
  poll: State & INextable;
  /** In order: the first that holds ends the loop there; none, and the loop waits again. */
  until: Array<[Condition, IChainable]>;
  /** Fields the first-wait Pass sets beside `nextWaitSeconds`, for the first poll to read from `resultPath` like every later one. */
  carry?: Record<string, string>;
}

/** Returns the loop's entry (the first-wait Pass). */
export function buildPollLoop(scope: Construct, props: PollLoopProps): State & INextable {
  // The first wait is the plan's interval; the polling step says each next one.
  const start = new Pass(scope, props.names.start, { parameters: { 'nextWaitSeconds.$': '$.plan.pollIntervalSeconds', ...props.carry }, resultPath: props.resultPath });
  const wait = new Wait(scope, props.names.wait, { time: WaitTime.secondsPath(`${props.resultPath}.nextWaitSeconds`) });
  const choice = new Choice(scope, props.names.choice);
  for (const [condition, next] of props.until) choice.when(condition, next);
  start.next(wait);
  wait.next(props.poll).next(choice.otherwise(wait));
  return start;
}
