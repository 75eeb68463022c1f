/**
 * The schedule's target: each fire starts one reconciliation of the last months. EventBridge
 * Scheduler delivers at least once; starting under the deterministic name
 * `scheduled-<ledgers>-<hash>-<YYYY-MM-DD>` (the fire's day in the configured zone) lets Step
 * Functions itself refuse a duplicate delivery. The ledger-month records, not the name, keep two
 * reconciliations from generating a month twice.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { dayOfMonth, monthOf } from '../shared/calendar.js';
import { InvalidInputError } from '../shared/errors.js';
import { executionArnOf, executionName } from '../shared/execution-name.js';
import { runDefaultsSchema, type RunDefaults } from '../shared/run-plan.js';
import { describeIssues } from '../shared/zod-issues.js';

const eventSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true, message: 'expected the schedule time (ISO-8601)' }) });

export interface ScheduledStart {
  executionName: string;
  executionArn: string;
  /** False when an execution with this name already existed: a duplicate delivery, ignored. */
  started: boolean;
}

export interface ScheduledStarterDeps {
  sfn: SFNClient;
  stateMachineArn: string;
  defaults: RunDefaults;
  log?: (line: string) => void;
}

export async function startScheduledRun(event: unknown, deps: ScheduledStarterDeps): Promise<ScheduledStart> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidInputError('schedule event', describeIssues(parsed.error.issues, '(event)'));
  }
  const { scheduledTime } = parsed.data;
  const instant = Date.parse(scheduledTime);
  const day = `${monthOf(instant, deps.defaults.timeZone)}-${String(dayOfMonth(instant, deps.defaults.timeZone)).padStart(2, '0')}`;
  const name = executionName('scheduled', deps.defaults.ledgers, day);
  const executionArn = executionArnOf(deps.stateMachineArn, name);
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.stateMachineArn,
        name,
        input: JSON.stringify({ source: 'schedule', scheduledTime, ledgers: deps.defaults.ledgers }),
      }),
    );
    deps.log?.(JSON.stringify({ message: 'scheduled reconciliation started', executionName: name, day }));
    return { executionName: name, executionArn, started: true };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    deps.log?.(JSON.stringify({ message: 'duplicate schedule delivery ignored: this fire is already started', executionName: name }));
    return { executionName: name, executionArn, started: false };
  }
}

const environmentSchema = z.object({ STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')), RUN_DEFAULTS: z.string() });

let deps: ScheduledStarterDeps | undefined;
export const handler = middy(async (event: unknown): Promise<ScheduledStart> => {
  if (!deps) {
    const env = environmentSchema.parse(process.env);
    deps = {
      sfn: new SFNClient({}),
      stateMachineArn: env.STATE_MACHINE_ARN,
      defaults: runDefaultsSchema.parse(JSON.parse(env.RUN_DEFAULTS)),
      log: (line) => console.log(line),
    };
  }
  return startScheduledRun(event, deps);
});
