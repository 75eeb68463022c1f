/**
 * Whether the ledger-months one child execution works through, one after another, fit it: its
 * history (25,000 events) and its timeout.
 */
import {
  DEFAULT_MAX_POLL_INTERVAL_SECONDS,
  EXECUTION_TIMEOUT_MINUTES,
  MAX_GROUP_OUTCOME_BYTES,
  MAX_ITEMS_PER_GROUP,
  MAX_POLLS,
  OUTCOME_BYTES,
  PER_LEDGER_OVERHEAD_MINUTES,
} from './limits.js';
import { pollsWithin } from './poll-schedule.js';
import type { RunPlan } from './run-plan.js';

export interface PollBudget {
  pollIntervalSeconds: number;
  maxWaitMinutes: number;
  maxPollIntervalSeconds?: number;
}

/** A plan's poll budget: the plan keeps its wait in seconds, the budget speaks in minutes. */
export function pollBudgetOf(plan: Pick<RunPlan, 'pollIntervalSeconds' | 'maxPollIntervalSeconds' | 'maxWaitSeconds'>): PollBudget {
  return { pollIntervalSeconds: plan.pollIntervalSeconds, maxPollIntervalSeconds: plan.maxPollIntervalSeconds, maxWaitMinutes: plan.maxWaitSeconds / 60 };
}

/**
 * Why `itemCount` ledger-months in a row, each polled from `pollIntervalSeconds` for up to
 * `maxWaitMinutes`, do not fit one execution, as `field: problem` lines; empty when they fit.
 */
export function runBudgetProblems(itemCount: number, budget: PollBudget): string[] {
  const { pollIntervalSeconds, maxWaitMinutes } = budget;
  const maxPollIntervalSeconds = Math.max(pollIntervalSeconds, budget.maxPollIntervalSeconds ?? DEFAULT_MAX_POLL_INTERVAL_SECONDS);
  const problems: string[] = [];
  const items = Math.max(1, itemCount);
  const maxWaitSeconds = maxWaitMinutes * 60;
  // The polls the adaptive schedule really makes, not maxWait ÷ interval.
  const polls = items * pollsWithin(maxWaitSeconds, pollIntervalSeconds, maxPollIntervalSeconds);
  const fewer = items > 1 ? ', fewer months per run' : '';
  if (polls > MAX_POLLS) {
    problems.push(
      `maxPollIntervalSeconds: polls growing to ${maxPollIntervalSeconds} s would still make ${polls} polls for ${items} ledger-month(s) in a row over ${maxWaitMinutes} minutes each, more than the ${MAX_POLLS} an execution's history holds; expected a cap of at least ${Math.ceil((items * maxWaitSeconds) / MAX_POLLS)} s${fewer} or a shorter maxWaitMinutes`,
    );
  }
  if (items * (maxWaitMinutes + PER_LEDGER_OVERHEAD_MINUTES) > EXECUTION_TIMEOUT_MINUTES) {
    problems.push(
      `maxWaitMinutes: ${items} ledger-month(s) in a row × (${maxWaitMinutes} + ${PER_LEDGER_OVERHEAD_MINUTES}) minutes exceed the ${EXECUTION_TIMEOUT_MINUTES / 60} h execution timeout; expected a shorter wait${fewer}`,
    );
  }
  return problems;
}

/** The ledger-months whose outcomes one child can hold, for a model that writes `writtenLedgers` ledgers. */
export function itemsPerGroupFor(writtenLedgers: number): number {
  const outcomeBytes = OUTCOME_BYTES.base + Math.max(1, writtenLedgers) * OUTCOME_BYTES.perWrittenLedger;
  return Math.min(MAX_ITEMS_PER_GROUP, Math.floor(MAX_GROUP_OUTCOME_BYTES / outcomeBytes));
}

/**
 * How many co-written ledgers of `slotCount` months each one child execution takes: as many as fit
 * its budget and its outcomes' bytes, and never fewer than one (ResolveRun has refused a plan where
 * one ledger's months do not fit the budget; GroupLedgers refuses a ledger whose months' outcomes
 * alone would not fit).
 */
export function ledgersPerGroup(slotCount: number, budget: PollBudget, writtenLedgers = 1): number {
  let ledgers = Math.max(1, Math.floor(itemsPerGroupFor(writtenLedgers) / Math.max(1, slotCount)));
  while (ledgers > 1 && runBudgetProblems(ledgers * slotCount, budget).length > 0) ledgers -= 1;
  return ledgers;
}
