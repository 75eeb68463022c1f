/**
 * The fewest Mangrove calls a run can make, per endpoint, from what it had to do: the cookbook's
 * calls once per generation, the polls the default schedule needs to reach the task's end, and per
 * written ledger one verify read plus one look for batches already there (Mangrove has no idempotency
 * key, so "never twice" costs that read before every POST).
 */
import { nextWaitSeconds } from '../../functions/shared/poll-schedule.js';
import type { RunDefaults } from '../../functions/shared/run-plan.js';

export interface RunFacts {
  /** Ledgers in the account: GET /ledgers lists them a page of 100 at a time. */
  accountLedgers: number;
  /** One per model that wrote in the run. */
  generations: Array<{ writtenLedgers: number; durationSeconds: number }>;
}

/** Polls of the growing schedule (no progress to aim with) until one lands at or after the end. */
export function schedulePollsFor(durationSeconds: number, defaults: Pick<RunDefaults, 'pollIntervalSeconds' | 'maxPollIntervalSeconds'>): number {
  let waited = 0;
  let previous: number | null = null;
  let polls = 0;
  while (polls === 0 || waited < durationSeconds) {
    const wait = nextWaitSeconds({
      previousWaitSeconds: previous,
      pollIntervalSeconds: defaults.pollIntervalSeconds,
      maxPollIntervalSeconds: defaults.maxPollIntervalSeconds ?? defaults.pollIntervalSeconds,
      nowMs: waited * 1000,
      startedAtMs: 0,
      deadlineMs: Number.POSITIVE_INFINITY,
    });
    waited += wait;
    previous = wait;
    polls += 1;
  }
  return polls;
}

export function minimumCalls(facts: RunFacts, defaults: Pick<RunDefaults, 'pollIntervalSeconds' | 'maxPollIntervalSeconds'>): Map<string, number> {
  const written = facts.generations.reduce((sum, generation) => sum + generation.writtenLedgers, 0);
  const n = facts.generations.length;
  return new Map([
    ['GET /ledgers', Math.ceil(facts.accountLedgers / 100)],
    ['GET /ledgers/:id/required_inputs', n],
    ['POST /ledgers/:id/generate_preview', n],
    ['POST /ledgers/:id/batch_generations', n],
    ['GET /async_tasks/:id', facts.generations.reduce((sum, generation) => sum + schedulePollsFor(generation.durationSeconds, defaults), 0)],
    ['GET /ledgers/:id/batches', 2 * written],
  ]);
}
