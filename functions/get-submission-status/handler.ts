/**
 * One poll of a submission: its async task while there is one to read, else the report's status
 * (the POST's outcome was unknown, or the task cannot be read). Mangrove's word moves the quarter's
 * record: complete (or the report past draft) is submitted, a failed task frees it, and no answer by
 * the deadline leaves it in doubt, for a person.
 */
import * as z from 'zod/mini';
import type { MangroveClient } from '../mangrove/client.js';
import { MangroveNotFoundError, MangroveResponseError, RateLimitedError, UpstreamUnavailableError } from '../mangrove/errors.js';
import { clip } from '../shared/error-cause.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { MAX_FAILURE_CAUSE_CHARS } from '../shared/limits.js';
import { reportStatusKind } from '../shared/reports.js';
import { nextWaitSeconds } from '../shared/poll-schedule.js';
import { SubmissionConflictError, type SubmissionPatch, type SubmissionTransition } from '../shared/quarter-submission-record.js';
import { submissionStatusSchema, type SubmissionStatus } from '../shared/state-contract.js';
import { defineStep, lambdaHandler, type StepContext } from '../shared/step.js';
import { submissionInputFields, submissionOwner } from '../shared/submission-claim.js';


type Reading = { phase: SubmissionStatus['phase']; state: string; errorMessage: string | null; progress?: number | null };

export const getSubmissionStatusStep = defineStep({
  name: 'GetSubmissionStatus',
  output: submissionStatusSchema,
  result: 'submissionStatus',
  input: z.object({
    ...submissionInputFields,
    report: z.object({ id: z.string().check(z.minLength(1)) }),
    taskId: z.nullable(z.number().check(z.int())),
    /** Null when the wait began in a state that could not tell the time (a Lambda lost mid-POST): it begins now. */
    startedAt: z.nullable(z.iso.datetime({ offset: true })),
    previousWaitSeconds: z.nullish(z.number().check(z.int(), z.positive())),
  }),
  run: ({ quarter, plan, executionName, report, taskId, startedAt, previousWaitSeconds }, context) =>
    context.withMangrove(async (client): Promise<SubmissionStatus> => {
      const now = context.now();
      const began = startedAt ? Date.parse(startedAt) : now;
      const deadline = began + plan.maxWaitSeconds * 1000;
      const reading = (taskId !== null ? await readTask(client, taskId) : null) ?? (await readReport(client, report.id));
      const pastDeadline = now > deadline;
      const record = (transition: SubmissionTransition, patch: SubmissionPatch) => recordEvidence(context, transition, quarter.quarter, submissionOwner(executionName, quarter.quarter), patch);
      if (reading.phase === 'complete') {
        const evidence = taskId !== null && reading.state === 'complete' ? `task ${taskId} complete` : `report found ${reading.state}`;
        await record('submitted', { taskId: taskId ?? undefined, submittedAt: new Date(now).toISOString(), evidence });
      } else if (reading.phase === 'failed') await record('failed', { taskId: taskId ?? undefined, error: clip(reading.errorMessage ?? 'the submission task failed', MAX_FAILURE_CAUSE_CHARS) });
      else if (pastDeadline) await record('outcomeUnknown', { taskId: taskId ?? undefined });
      return {
        state: reading.state,
        phase: reading.phase,
        errorMessage: reading.errorMessage,
        pastDeadline,
        startedAt: new Date(began).toISOString(),
        checkedAt: new Date(now).toISOString(),
        nextWaitSeconds: nextWaitSeconds({
          previousWaitSeconds,
          pollIntervalSeconds: plan.pollIntervalSeconds,
          maxPollIntervalSeconds: plan.maxPollIntervalSeconds,
          nowMs: now,
          startedAtMs: began,
          deadlineMs: deadline,
          progress: reading.progress,
        }),
      };
    }),
});

/** The task's state, or null when Mangrove cannot tell it (unknown id, or failing through the client's retries). */
async function readTask(client: MangroveClient, taskId: number): Promise<Reading | null> {
  try {
    const task = await client.getAsyncTask(taskId);
    const phase = task.state === 'complete' || task.state === 'failed' ? task.state : 'in-progress';
    return { phase, state: task.state, errorMessage: task.error_message ?? null, progress: task.progress };
  } catch (error) {
    if (error instanceof MangroveNotFoundError || error instanceof UpstreamUnavailableError || error instanceof RateLimitedError || error instanceof MangroveResponseError) return null;
    throw error;
  }
}

/**
 * Only a status that means submitted shows the submission happened; draft, submitting or a status
 * this version does not know says nothing yet (the deadline's alert names it).
 */
async function readReport(client: MangroveClient, reportId: string): Promise<Reading> {
  const report = await client.getReport(reportId);
  return { phase: reportStatusKind(report.status) === 'submitted' ? 'complete' : 'in-progress', state: report.status, errorMessage: null };
}

/** A record moved meanwhile (an operator, another run) is left as it is: evidence never overrides a decision. */
async function recordEvidence(context: StepContext, transition: SubmissionTransition, quarter: string, owner: string, patch: SubmissionPatch): Promise<void> {
  try {
    await (await context.records().quarters()).move(transition, quarter, owner, patch);
  } catch (error) {
    if (!(error instanceof SubmissionConflictError)) throw error;
    context.log('quarter record not moved: it is not where this run left it', { transition, error: error.message });
  }
}

export const handler = lambdaHandler(getSubmissionStatusStep, runtimeFromEnvironment);
