// A task's state is a pure function of its creation time and the clock: nothing runs in the
// background, so an injected clock moves every task exactly and tests never sleep.

export interface TaskTiming {
  /** How long a task waits in `pending` before a worker picks it up. */
  pendingMs: number;
  /** How long each batch takes while `running`. */
  perBatchMs: number;
}

export type TaskOutcome =
  | { kind: 'complete' }
  | { kind: 'failed'; message: string }
  /** Stays `running` at this progress for ever (a stuck worker). */
  | { kind: 'stalled'; atProgress: number };

export interface TaskSchedule {
  createdAtMs: number;
  /** The batches the task writes (or would have written): the n of "Processing batch k of n". */
  batchCount: number;
  outcome: TaskOutcome;
}

export interface TaskPhase {
  state: 'pending' | 'running' | 'complete' | 'failed';
  progress: number;
  progress_description: string | null;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  error_message: string | null;
}

/**
 * Progress while processing batch k of n is 100·k/(n+1): batch 2 of 3 reads 50, as in Mangrove's
 * documented example, and 100 is left for `complete`.
 */
function runningPhase(startedAtMs: number, k: number, n: number, progress = Math.round((100 * k) / (n + 1))): TaskPhase {
  return {
    state: 'running',
    progress,
    progress_description: `Processing batch ${k} of ${n}`,
    startedAtMs,
    finishedAtMs: null,
    error_message: null,
  };
}

/** When the task leaves `running` for good; null for a task that never does. */
export function settleTime(task: TaskSchedule, timing: TaskTiming): number | null {
  const startedAtMs = task.createdAtMs + timing.pendingMs;
  switch (task.outcome.kind) {
    case 'complete':
      return startedAtMs + task.batchCount * timing.perBatchMs;
    // A failing task is seen working on its first batch before it fails.
    case 'failed':
      return startedAtMs + timing.perBatchMs;
    case 'stalled':
      return null;
  }
}

export function taskPhase(task: TaskSchedule, nowMs: number, timing: TaskTiming): TaskPhase {
  const startedAtMs = task.createdAtMs + timing.pendingMs;
  if (nowMs < startedAtMs) {
    return { state: 'pending', progress: 0, progress_description: null, startedAtMs: null, finishedAtMs: null, error_message: null };
  }
  const n = Math.max(task.batchCount, 1);
  const { outcome } = task;
  if (outcome.kind === 'stalled') {
    const k = Math.min(n, Math.max(1, Math.round((outcome.atProgress * (n + 1)) / 100)));
    return runningPhase(startedAtMs, k, n, outcome.atProgress);
  }
  const finishedAtMs = settleTime(task, timing)!;
  if (nowMs < finishedAtMs) {
    return runningPhase(startedAtMs, Math.floor((nowMs - startedAtMs) / timing.perBatchMs) + 1, n);
  }
  if (outcome.kind === 'failed') {
    const { progress } = runningPhase(startedAtMs, 1, n);
    return { state: 'failed', progress, progress_description: null, startedAtMs, finishedAtMs, error_message: outcome.message };
  }
  return { state: 'complete', progress: 100, progress_description: null, startedAtMs, finishedAtMs, error_message: null };
}
