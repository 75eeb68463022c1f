/**
 * Step Functions execution history → the interpreter-style events the progress view and run report
 * read, so `follow` on AWS shows what a local run shows.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { RunEvent } from './run-event.js';

const STATE_TYPE_OF_EVENT: Record<string, string> = {
  Task: 'Task',
  Choice: 'Choice',
  Pass: 'Pass',
  Wait: 'Wait',
  Map: 'Map',
  Parallel: 'Parallel',
  Succeed: 'Succeed',
  Fail: 'Fail',
};

function parse(json: string | undefined): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** Converts events in order; `byId` lets a failure find the task state it belongs to. */
export function toRunEvents(history: HistoryEvent[]): RunEvent[] {
  const byId = new Map<number, HistoryEvent>(history.map((event) => [event.id ?? 0, event]));
  const events: RunEvent[] = [];
  for (const event of history) {
    const type = event.type ?? '';
    const entered = /^(\w+)StateEntered$/.exec(type);
    const exited = /^(\w+)StateExited$/.exec(type);
    if (entered && event.stateEnteredEventDetails) {
      const details = event.stateEnteredEventDetails;
      events.push({ type: 'StateEntered', state: { name: details.name ?? '', type: STATE_TYPE_OF_EVENT[entered[1] ?? ''] ?? entered[1] ?? '', input: parse(details.input) } });
    } else if (exited && event.stateExitedEventDetails) {
      const details = event.stateExitedEventDetails;
      events.push({ type: 'StateExited', state: { name: details.name ?? '', type: STATE_TYPE_OF_EVENT[exited[1] ?? ''] ?? exited[1] ?? '', output: parse(details.output) } });
    } else if (type === 'LambdaFunctionFailed' || type === 'TaskFailed' || type === 'LambdaFunctionTimedOut' || type === 'TaskTimedOut') {
      const details = event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails ?? event.lambdaFunctionTimedOutEventDetails ?? event.taskTimedOutEventDetails;
      const state = enclosingTaskState(event, byId);
      events.push({ type: 'StateFailed', state: { name: state?.name ?? '', type: 'Task', input: parse(state?.input) }, Error: details?.error ?? type, Cause: details?.cause ?? '' });
    } else if (type === 'ExecutionFailed') {
      events.push({ type: 'ExecutionFailed', Error: event.executionFailedEventDetails?.error, Cause: event.executionFailedEventDetails?.cause });
    } else if (type === 'ExecutionTimedOut') {
      events.push({ type: 'ExecutionFailed', Error: event.executionTimedOutEventDetails?.error ?? 'States.Timeout', Cause: event.executionTimedOutEventDetails?.cause ?? 'the execution timed out' });
    } else if (type === 'ExecutionAborted') {
      events.push({ type: 'ExecutionFailed', Error: event.executionAbortedEventDetails?.error ?? 'ExecutionAborted', Cause: event.executionAbortedEventDetails?.cause ?? 'the execution was stopped' });
    } else if (type === 'ExecutionSucceeded') {
      events.push({ type: 'ExecutionSucceeded', output: parse(event.executionSucceededEventDetails?.output) });
    }
  }
  return events;
}

function enclosingTaskState(event: HistoryEvent, byId: Map<number, HistoryEvent>): { name?: string; input?: string } | undefined {
  let current: HistoryEvent | undefined = event;
  for (let hops = 0; current && hops < 10; hops += 1) {
    if (current.type === 'TaskStateEntered') return current.stateEnteredEventDetails;
    current = current.previousEventId === undefined ? undefined : byId.get(current.previousEventId);
  }
  return undefined;
}
