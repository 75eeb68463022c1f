/** Whether a run's waits fit one execution: its history (25,000 events) and its timeout. */
import { DEFAULT_MAX_POLL_INTERVAL_SECONDS, EXECUTION_TIMEOUT_MINUTES, MAX_POLLS, PER_LEDGER_OVERHEAD_MINUTES } from './limits.js';
import { pollsWithin } from './poll-schedule.js';

/**
 * Why `ledgerCount` ledgers polled every `pollIntervalSeconds` for up to `maxWaitMinutes` each do
 * not fit one execution, as `field: problem` lines; empty when they fit.
 */
export function runBudgetProblems(
  ledgerCount: number,
  pollIntervalSeconds: number,
  maxWaitMinutes: number,
  maxPollIntervalSeconds = DEFAULT_MAX_POLL_INTERVAL_SECONDS,
): string[] {
  const problems: string[] = [];
  const ledgers = Math.max(1, ledgerCount);
  const maxWaitSeconds = maxWaitMinutes * 60;
  // The polls the adaptive schedule really makes, not maxWait ÷ interval.
  const polls = ledgers * pollsWithin(maxWaitSeconds, pollIntervalSeconds, Math.max(pollIntervalSeconds, maxPollIntervalSeconds));
  const fewer = ledgers > 1 ? ', fewer ledgers per run' : '';
  if (polls > MAX_POLLS) {
    problems.push(
      `maxPollIntervalSeconds: polls growing to ${maxPollIntervalSeconds} s would still make ${polls} polls for ${ledgers} ledger(s) over ${maxWaitMinutes} minutes each, more than the ${MAX_POLLS} an execution's history holds; expected a cap of at least ${Math.ceil((ledgers * maxWaitSeconds) / MAX_POLLS)} s${fewer} or a shorter maxWaitMinutes`,
    );
  }
  if (ledgers * (maxWaitMinutes + PER_LEDGER_OVERHEAD_MINUTES) > EXECUTION_TIMEOUT_MINUTES) {
    problems.push(
      `maxWaitMinutes: ${ledgers} ledger(s) × (${maxWaitMinutes} + ${PER_LEDGER_OVERHEAD_MINUTES}) minutes exceed the ${EXECUTION_TIMEOUT_MINUTES / 60} h execution timeout; expected a shorter wait${fewer}`,
    );
  }
  return problems;
}
