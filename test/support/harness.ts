/** Runs the synthesized state machine locally against a simulator, for workflow tests and drills. */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { RunDefaults } from '../../functions/shared/run-plan.js';
import type { LedgerMonthRecords } from '../../functions/shared/ledger-month-record.js';
import { StaticTokenSource, type TokenSource } from '../../functions/shared/token-source.js';
import { readCdkJsonConfig } from '../../lib/config.js';
import { loadLocalDefinition } from '../../local/runner/definition-cache.js';
import { itemKeyOf, type RunEvent } from '../../cli/report/run-event.js';
import { runLocally, type LocalRunOptions, type LocalRunResult } from '../../local/runner/run-locally.js';
import { DEMO_TOKEN, type Simulator } from '../../local/simulator/index.js';
import { currentRecords } from './records.js';

export const TEST_DEFAULTS: RunDefaults = {
  ledgers: ['Net Carbon Removal'],
  timeZone: 'UTC',
  pollIntervalSeconds: 30,
  maxWaitMinutes: 120,
  autoDiscoverDataPoints: true,
};

/**
 * The definition `npm run synth` deploys, through the runner's disk cache: the first test file
 * synthesizes it (loading aws-cdk-lib, seconds), the others read it; a change to lib/ or functions/
 * is a new cache key.
 */
const DEFINITION = await loadLocalDefinition(readCdkJsonConfig());

export function workflowDefinition(): StateMachineDefinition {
  return DEFINITION;
}

export interface RunOptions extends Partial<Pick<LocalRunOptions, 'wrapTask' | 'executionName' | 'onAlert'>> {
  tokens?: TokenSource;
  /** @default the file's record store (useRecordStore), shared by its runs as the table is in AWS */
  records?: LedgerMonthRecords;
  now?: () => number;
}

export function runWorkflow(sim: Simulator, input: unknown, options: RunOptions = {}): Promise<LocalRunResult> {
  const records = options.records ?? currentRecords();
  return runLocally({
    definition: workflowDefinition(),
    input,
    executionName: options.executionName ?? 'test-execution',
    runtime: {
      tokens: options.tokens ?? new StaticTokenSource(DEMO_TOKEN),
      // Client backoff in milliseconds: the tests are about which path is taken, not how long it waits.
      client: { baseUrl: sim.url, timeoutMs: 300, retry: { baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2_000 } },
      defaults: () => TEST_DEFAULTS,
      records: () => records,
      now: options.now,
    },
    waitMs: 15,
    retryIntervalMs: 5,
    wrapTask: options.wrapTask,
    onAlert: options.onAlert,
  });
}

/** State names in the order they were entered (Map iterations included). */
export function statesEntered(events: RunEvent[]): string[] {
  return events.filter((event) => event.type === 'StateEntered').map((event) => event.state?.name ?? '');
}

/** The error a step's Catch delivered to its `<Step>Failed` state: proves which error took the failure path. */
export function caughtError(events: RunEvent[], stepName: string): { Error: string; Cause: string } | undefined {
  const entered = events.find((event) => event.type === 'StateEntered' && event.state?.name === `${stepName}Failed`);
  return (entered?.state?.input as { error?: { Error: string; Cause: string } } | undefined)?.error;
}

/**
 * Every ledger-month's outcome as the run left it, raw: the references GroupLedgers could not
 * resolve, then each branch's last outcome (by ledger and window), in the order branches ended.
 */
export function ledgerResults(result: LocalRunResult): Array<Record<string, unknown>> {
  const grouping = result.events.findLast((event) => event.type === 'StateExited' && event.state?.name === 'GroupLedgers')?.state?.output as
    | { grouping?: { unresolved?: Array<Record<string, unknown>> } }
    | undefined;
  const byItem = new Map<string, Record<string, unknown>>();
  for (const event of result.events) {
    if (event.type !== 'StateExited' || event.state?.type !== 'Pass') continue;
    const output = event.state.output as Record<string, unknown> | undefined;
    const key = itemKeyOf(output);
    if (key && typeof output?.outcome === 'string') byItem.set(key, output);
  }
  return [...(grouping?.grouping?.unresolved ?? []), ...byItem.values()];
}
