/**
 * A Step Functions execution history → the interpreter-style events the progress view and run report
 * read, so `follow` on AWS shows what a local run shows. Any history converts: unknown states and
 * event types, inputs and outputs that are missing (includeExecutionData: false), cut short
 * (`truncated`) or not JSON become events with less in them, never an error.
 */
import type { HistoryEvent, HistoryEventExecutionDataDetails } from '@aws-sdk/client-sfn';
import type { RunEvent } from './run-event.js';

const STATE_EVENT = /^(Task|Choice|Pass|Wait|Map|Parallel|Succeed|Fail)State(Entered|Exited)$/;
const SCHEDULED = new Set(['LambdaFunctionScheduled', 'TaskScheduled']);
const FAILED = new Set([
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
]);
/** Map events that are the Map's own, outside any iteration. */
const MAP_LEVEL = new Set(['MapStateEntered', 'MapStateStarted', 'MapStateSucceeded', 'MapStateFailed', 'MapStateAborted', 'MapStateExited']);

function json(text: string | undefined, details: HistoryEventExecutionDataDetails | undefined): unknown {
  if (text === undefined || details?.truncated) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface OpenTask {
  name: string;
  input: unknown;
  failures: number;
  /** Set from a failure until the task is scheduled again (a retry) or the state exits (caught). */
  failedAt?: Date;
}

export function toRunEvents(history: HistoryEvent[]): RunEvent[] {
  const events: RunEvent[] = [];
  const iterationOf = new Map<number, number | undefined>();
  const open = new Map<number | undefined, OpenTask>();

  for (const event of history) {
    const type = event.type ?? '';
    const iteration = iterationIndex(event, iterationOf);
    const at = (runEvent: RunEvent): void => {
      events.push(iteration === undefined ? runEvent : { ...runEvent, index: iteration });
    };
    const state = STATE_EVENT.exec(type);
    if (state) {
      const [, stateType = '', edge] = state;
      if (edge === 'Entered') {
        const details = event.stateEnteredEventDetails;
        const input = json(details?.input, details?.inputDetails);
        if (stateType === 'Task') open.set(iteration, { name: details?.name ?? '', input, failures: 0 });
        at({ type: 'StateEntered', state: { name: details?.name ?? '', type: stateType, input } });
      } else {
        const details = event.stateExitedEventDetails;
        const task = stateType === 'Task' ? open.get(iteration) : undefined;
        if (task?.failedAt) at({ type: 'StateCaught', state: { name: task.name, type: 'Task', input: task.input } });
        if (stateType === 'Task') open.delete(iteration);
        at({ type: 'StateExited', state: { name: details?.name ?? '', type: stateType, input: task?.input, output: json(details?.output, details?.outputDetails) } });
      }
    } else if (SCHEDULED.has(type)) {
      const task = open.get(iteration);
      if (task?.failedAt) {
        const delayMs = event.timestamp ? event.timestamp.getTime() - task.failedAt.getTime() : null;
        at({ type: 'StateRetried', state: { name: task.name, type: 'Task', input: task.input }, retry: { attempt: task.failures, delayMs } });
        task.failedAt = undefined;
      }
    } else if (FAILED.has(type)) {
      const details = failureDetails(event);
      const task = open.get(iteration);
      if (task) {
        task.failures += 1;
        task.failedAt = event.timestamp ?? new Date(0);
      }
      at({ type: 'StateFailed', state: { name: task?.name ?? '', type: 'Task', input: task?.input }, Error: details?.error ?? type, Cause: details?.cause ?? '' });
    } else if (type === 'MapIterationStarted') {
      at({ type: 'MapIterationStarted' });
    } else if (executionEnd(event)) {
      const end = executionEnd(event);
      at({ type: 'ExecutionFailed', Error: end?.error, Cause: end?.cause });
    } else if (type === 'ExecutionSucceeded') {
      at({ type: 'ExecutionSucceeded', output: json(event.executionSucceededEventDetails?.output, event.executionSucceededEventDetails?.outputDetails) });
    }
  }
  return events;
}

/** What an event that ends an execution unsuccessfully says, with words for what it leaves out. */
export function executionEnd(event: HistoryEvent): { error: string; cause: string } | undefined {
  const fallback = UNSUCCESSFUL_ENDS[event.type ?? ''];
  if (!fallback) return undefined;
  const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  return { error: details?.error ?? fallback.error, cause: details?.cause ?? fallback.cause };
}

const UNSUCCESSFUL_ENDS: Record<string, { error: string; cause: string }> = {
  ExecutionFailed: { error: 'ExecutionFailed', cause: '' },
  ExecutionTimedOut: { error: 'States.Timeout', cause: 'the execution timed out' },
  ExecutionAborted: { error: 'ExecutionAborted', cause: 'the execution was stopped' },
};

function failureDetails(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  return (
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails
  );
}

/** Which Map iteration an event belongs to: its own index for iteration events, else its predecessor's. */
function iterationIndex(event: HistoryEvent, iterationOf: Map<number, number | undefined>): number | undefined {
  const type = event.type ?? '';
  let index: number | undefined;
  if (type.startsWith('MapIteration')) {
    const details = event.mapIterationStartedEventDetails ?? event.mapIterationSucceededEventDetails ?? event.mapIterationFailedEventDetails ?? event.mapIterationAbortedEventDetails;
    index = details?.index;
  } else if (!MAP_LEVEL.has(type) && event.previousEventId !== undefined) {
    index = iterationOf.get(event.previousEventId);
  }
  if (event.id !== undefined) iterationOf.set(event.id, index);
  return index;
}
