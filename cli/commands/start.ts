/** `batch-autopilot start`: one month on the deployed state machine, under a name that makes a repeat harmless. */
import { parseArgs } from 'node:util';
import { executionName } from '../../functions/shared/execution-name.js';
import type { ExecutionInput } from '../../functions/shared/run-plan.js';
import { runDefaultsOf, readCdkJsonConfig } from '../../lib/config.js';
import { defaultAwsDeps, executionConsoleUrl, resolveStateMachineArn, type AwsDeps } from '../aws.js';
import { checkPlan, executionInputFromFlags, UsageError } from '../execution-input.js';
import { startNamedExecution, type StartOutcome } from '../executions.js';
import { followExecutionView } from './follow.js';
import type { CommandIo } from './run.js';

export const START_USAGE = `Usage: batch-autopilot start --month YYYY-MM [--ledger <id|name>]... [--dry-run] [--force] [--follow]
  Starts the deployed state machine for one month. The execution is named manual-<ledgers>-<YYYY-MM>,
  so the same request twice is refused by Step Functions; --force generates again under a new name.
  --ledger defaults to the ledgers in cdk.json. Also: --time-zone, --auto-discover-data-points,
  --state-machine-arn (else ${'$'}BATCH_AUTOPILOT_STATE_MACHINE_ARN, else cdk-outputs.json), --json.`;

export const START_OPTIONS = {
  ledger: { type: 'string', multiple: true },
  month: { type: 'string' },
  'time-zone': { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  'auto-discover-data-points': { type: 'boolean' },
  'state-machine-arn': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `20250402T060003` for names that must be new on purpose (dry runs, forced runs). */
export function timestampSuffix(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/** The input and the deterministic name for one month, as `start` and `backfill` both build them. */
export function monthRequest(
  month: string,
  values: { ledger?: string[]; 'time-zone'?: string; 'dry-run'?: boolean; force?: boolean; 'auto-discover-data-points'?: boolean },
  nowMs: number,
): { input: ExecutionInput; baseName: string } {
  const defaults = runDefaultsOf(readCdkJsonConfig());
  // Named explicitly so the execution name and the run cover exactly the same ledger set.
  const ledgers = values.ledger ?? defaults.ledgers;
  const input = executionInputFromFlags({
    ledger: ledgers,
    month,
    'time-zone': values['time-zone'],
    'dry-run': values['dry-run'],
    force: values.force,
    'auto-discover-data-points': values['auto-discover-data-points'],
  });
  checkPlan(input, defaults, nowMs);
  const kind = values['dry-run'] ? 'dryrun' : 'manual';
  const suffix = values['dry-run'] || values.force ? `${values.force ? 'force-' : ''}${timestampSuffix(nowMs)}` : undefined;
  return { input, baseName: executionName(kind, ledgers, month, suffix) };
}

export function describeStart(outcome: StartOutcome): string {
  const link = executionConsoleUrl(outcome.executionArn);
  if (outcome.kind === 'started') {
    const retry = outcome.replacing ? ` (the previous attempt ${outcome.replacing.name} ended ${outcome.replacing.status})` : '';
    return `Started ${outcome.name}${retry}\n  ${link}`;
  }
  const when = outcome.startDate ? `, started ${outcome.startDate.toISOString()}` : '';
  return `Not started: execution ${outcome.name} already exists (${outcome.status}${when}); Step Functions refused a second one.\n  ${link}`;
}

export async function startCommand(args: string[], io: CommandIo, deps: AwsDeps = defaultAwsDeps): Promise<number> {
  const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: { ...START_OPTIONS, follow: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(`${START_USAGE}\n`);
    return 0;
  }
  if (!values.month) throw new UsageError('--month: expected the month to generate, as YYYY-MM');
  const stateMachineArn = resolveStateMachineArn(values['state-machine-arn'], io.env);
  const { input, baseName } = monthRequest(values.month, values, deps.now());
  const sfn = deps.sfnFor(stateMachineArn);

  const outcome = await startNamedExecution(sfn, stateMachineArn, baseName, input);
  if (values.json && !values.follow) io.stdout(`${JSON.stringify(outcome)}\n`);
  else io.stdout(`${describeStart(outcome)}\n`);
  if (values.follow && (outcome.kind === 'started' || outcome.status === 'RUNNING')) {
    return followExecutionView(sfn, outcome.executionArn, io, deps);
  }
  return 0;
}
