/**
 * The one irreversible call: `POST /reports/{id}/submit`, sent once. A 202 records the task on the
 * quarter; a 422 or any answer that proves nothing was submitted frees the quarter and fails with
 * Mangrove's words; no clear answer is never sent again: the poll then watches the report's status.
 */
import * as z from 'zod/mini';
import type { MangroveClient } from '../mangrove/client.js';
import { GenerationOutcomeUnknownError, MangroveAuthError, MangroveNotFoundError, MangroveValidationError, ReportNotSubmittableError } from '../mangrove/errors.js';
import { SubmissionConflictError, type QuarterSubmissions } from '../shared/quarter-submission-record.js';
import { inclusionBatchIds } from '../shared/reports.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { submissionStartSchema, type SubmissionStart } from '../shared/state-contract.js';
import { defineStep, lambdaHandler, type StepContext } from '../shared/step.js';
import { freeQuarter, holdUntil, submissionInputFields, submissionOwner } from '../shared/submission-claim.js';

export const submitReportStep = defineStep({
  name: 'SubmitReport',
  output: submissionStartSchema,
  result: 'submit',
  input: z.object({ ...submissionInputFields, report: z.object({ id: z.string().check(z.minLength(1)) }) }),
  run: ({ quarter, plan, report, executionName }, context) =>
    context.withMangrove(async (client): Promise<SubmissionStart> => {
      const quarters = await context.records().quarters();
      const owner = submissionOwner(executionName, quarter.quarter);
      const startedAt = new Date(context.now()).toISOString();
      // Resumed right before the POST, by this run only: a retried step whose earlier attempt freed
      // the quarter (a 429, a 503) must not POST over another run that has claimed it since.
      try {
        await quarters.move('resume', quarter.quarter, owner, { holdUntil: holdUntil(context.now(), plan) });
      } catch (error) {
        if (!(error instanceof SubmissionConflictError)) throw error;
        throw new SubmissionConflictError('resume', error.record, `; another run ${error.record?.state === 'submitted' ? 'has submitted' : 'has taken'} the quarter, so this run sent nothing`);
      }
      let taskId: number;
      try {
        taskId = (await client.submitReport(report.id)).async_task_id;
      } catch (error) {
        if (error instanceof GenerationOutcomeUnknownError) {
          context.log('the submit POST got no clear answer; watching the report instead of sending it again', { quarter: quarter.quarter, reportId: report.id });
          return { taskId: null, startedAt };
        }
        if (isFinalRefusal(error)) (error as Error).message += `; ${await takeOutAdded(client, quarters, quarter.quarter, owner, report.id, context)}`;
        await freeQuarter(quarters, quarter.quarter, owner, error, context);
        throw error;
      }
      try {
        await quarters.move('started', quarter.quarter, owner, { taskId });
      } catch (error) {
        // The 202 stands: the quarter stays claimed by this run, and the poll records it submitted.
        context.log('could not record the submission task; polling it anyway', { taskId, error: (error as Error).name });
      }
      context.log('report submitted to the registry', { quarter: quarter.quarter, reportId: report.id, taskId });
      return { taskId, startedAt };
    }),
});

/**
 * Mangrove refused the submit for good (422, 400, 403, 404): nothing was submitted and no retry
 * follows. A 429 or a 5xx is retried by the state machine, which needs the batches still there.
 */
function isFinalRefusal(error: unknown): boolean {
  if (error instanceof ReportNotSubmittableError || error instanceof MangroveValidationError || error instanceof MangroveNotFoundError) return true;
  return error instanceof MangroveAuthError && error.status === 403;
}

/**
 * Mangrove refused the submission, so nothing was submitted and the report is still a draft: the
 * batches this run added are taken out again (the report is as it was) and the sentence says so.
 */
async function takeOutAdded(client: MangroveClient, quarters: QuarterSubmissions, quarter: string, owner: string, reportId: string, context: StepContext): Promise<string> {
  try {
    const record = await quarters.get(quarter);
    const added = record?.owner === owner ? (record.addedBatchIds ?? []) : [];
    if (added.length === 0) return 'the report is as it was (this run added no batch to it)';
    const held = inclusionBatchIds((await client.getReport(reportId)).inclusions);
    if (held === null) return `the ${added.length} batch(es) this run added are still in the report (its inclusions could not be read to take them out)`;
    await client.updateReportBatches(reportId, held.filter((id) => !added.includes(id)));
    return `the ${added.length} batch(es) this run added were taken out again, so the report is as it was`;
  } catch (error) {
    context.log('could not take the added batches out of the refused report', { error: (error as Error).name });
    return 'the batches this run added are still in the report (taking them out failed; see the step log)';
  }
}

export const handler = lambdaHandler(submitReportStep, runtimeFromEnvironment);
