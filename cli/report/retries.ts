/**
 * When a task fails, whether the state machine will retry it, which attempt and after how long —
 * as the definition's Retry says. The local interpreter reports a retry only after its wait, and a
 * line that appears after a silent minute explains nothing; predicting it shows the line at once.
 */

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

interface StateLike {
  Type: string;
  Retry?: Retrier[];
  ItemProcessor?: { States: Record<string, StateLike> };
}

export interface RetryPlan {
  attempt: number;
  maxAttempts: number;
  /** Null when jitter makes it unknowable. */
  delayMs: number | null;
}

export interface RetryPlanner {
  /** A new entry into the state: its retry counts start again. */
  entered(key: string, stateName: string): void;
  failed(key: string, stateName: string, error: string): RetryPlan | null;
}

// The Amazon States Language defaults.
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

/** `intervalOverrideMs`: what the local runner waits instead of every backoff (see runLocally's retryIntervalMs). */
export function retryPlanner(definition: { States: Record<string, unknown> }, intervalOverrideMs?: number): RetryPlanner {
  const retriers = new Map<string, { type: string; retry: Retrier[] }>();
  const collect = (states: Record<string, StateLike>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Retry) retriers.set(name, { type: state.Type, retry: state.Retry });
      if (state.ItemProcessor) collect(state.ItemProcessor.States);
    }
  };
  collect(definition.States as Record<string, StateLike>);
  const attempts = new Map<string, number[]>();

  return {
    entered(key) {
      attempts.delete(key);
    },
    failed(key, stateName, error) {
      const state = retriers.get(stateName);
      if (!state) return null;
      const counts = attempts.get(key) ?? state.retry.map(() => 0);
      attempts.set(key, counts);
      const index = state.retry.findIndex((retrier) =>
        retrier.ErrorEquals.some((name) => name === error || name === 'States.ALL' || (name === 'States.TaskFailed' && state.type === 'Task' && error !== 'States.Timeout')),
      );
      const retrier = state.retry[index];
      if (!retrier) return null;
      const maxAttempts = retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const done = counts[index] ?? 0;
      if (done >= maxAttempts) return null;
      counts[index] = done + 1;
      return { attempt: done + 1, maxAttempts, delayMs: delayOf(retrier, done, intervalOverrideMs) };
    },
  };
}

function delayOf(retrier: Retrier, retriesSoFar: number, overrideMs: number | undefined): number | null {
  if (overrideMs !== undefined) return overrideMs;
  if (retrier.JitterStrategy === 'FULL') return null;
  const seconds = (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** retriesSoFar;
  return Math.min(seconds, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
}

/** `retry 2/5 in 1.6 s`; the parts that are not known are left out. */
export function describeRetry(retry: { attempt?: number; maxAttempts?: number; delayMs?: number | null }): string {
  const count = retry.attempt === undefined ? 'retry' : `retry ${retry.attempt}${retry.maxAttempts === undefined ? '' : `/${retry.maxAttempts}`}`;
  const delay = retry.delayMs === null || retry.delayMs === undefined ? '' : ` in ${formatSeconds(retry.delayMs)}`;
  return `${count}${delay}`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds < 10 ? Number(seconds.toFixed(1)) : Math.round(seconds)} s`;
}
