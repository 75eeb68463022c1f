/**
 * When to look at a Mangrove task (or the ledger) next. The cookbook polls every 2–5 s; a fixed
 * short interval makes a 2 h task cost thousands of polls, a fixed long one notices a 15 s task late.
 * So: start at the plan's interval, grow by POLL_GROWTH to the cap, aim at the end when Mangrove's
 * progress lets us predict it, and never sleep past the deadline, so the last poll lands on it.
 */
import { POLL_GROWTH } from './limits.js';

export interface PollScheduleInput {
  /** The wait before the poll that just happened; absent before the first poll. */
  previousWaitSeconds?: number | null;
  pollIntervalSeconds: number;
  maxPollIntervalSeconds: number;
  nowMs: number;
  /** When the task (or the watch) began, for predicting the end from progress. */
  startedAtMs: number;
  deadlineMs: number;
  /** Mangrove's 0–100 progress, when it gives one. */
  progress?: number | null;
}

export function nextWaitSeconds(input: PollScheduleInput): number {
  const grown = input.previousWaitSeconds
    ? Math.min(input.maxPollIntervalSeconds, Math.ceil(input.previousWaitSeconds * POLL_GROWTH))
    : input.pollIntervalSeconds;
  let wait = grown;
  const progress = input.progress ?? 0;
  if (progress > 0 && progress < 100) {
    // Linear from what has been done so far: a task half done after 40 s has about 40 s to go.
    const elapsedSeconds = Math.max(0, (input.nowMs - input.startedAtMs) / 1000);
    const remaining = Math.ceil((elapsedSeconds * (100 - progress)) / progress);
    wait = Math.min(grown, Math.max(input.pollIntervalSeconds, remaining));
  }
  const toDeadline = Math.ceil((input.deadlineMs - input.nowMs) / 1000);
  if (toDeadline > 0) wait = Math.min(wait, toDeadline);
  return Math.max(1, wait);
}

/** How many polls this schedule makes at most while waiting `maxWaitSeconds` (no progress to aim with). */
export function pollsWithin(maxWaitSeconds: number, pollIntervalSeconds: number, maxPollIntervalSeconds: number): number {
  let waited = 0;
  let polls = 0;
  let previous: number | null = null;
  while (waited < maxWaitSeconds) {
    const wait = nextWaitSeconds({
      previousWaitSeconds: previous,
      pollIntervalSeconds,
      maxPollIntervalSeconds,
      nowMs: waited * 1000,
      startedAtMs: 0,
      deadlineMs: maxWaitSeconds * 1000,
    });
    waited += wait;
    previous = wait;
    polls += 1;
  }
  // The poll at the deadline itself.
  return polls + 1;
}
