import * as z from 'zod/mini';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { claimInputFields, monthClaimOf, recordEvidence } from '../shared/month-claim.js';
import { nextWaitSeconds } from '../shared/poll-schedule.js';
import { generationStatusSchema, type GenerationStatus } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const getGenerationStatusStep = defineStep({
  name: 'GetGenerationStatus',
  output: generationStatusSchema,
  result: 'status',
  input: z.object({
    taskId: z.number().check(z.int()),
    deadline: z.iso.datetime({ offset: true }),
    startedAt: z.iso.datetime({ offset: true }),
    /** The wait that preceded this poll; the first poll's is the plan's interval. */
    previousWaitSeconds: z.nullish(z.number().check(z.int(), z.positive())),
    ...claimInputFields,
  }),
  run: ({ taskId, deadline, startedAt, previousWaitSeconds, plan, preview, executionName, ledgerId }, context) =>
    context.withMangrove(async (client): Promise<GenerationStatus> => {
      const task = await client.getAsyncTask(taskId);
      const phase = task.state === 'complete' || task.state === 'failed' ? task.state : 'in-progress';
      const now = context.now();
      const pastDeadline = now > Date.parse(deadline);
      // Mangrove's word on the task is the evidence: complete is generated for good, whatever the batch list shows yet.
      const claim = monthClaimOf(plan, preview, executionName, ledgerId);
      if (phase === 'complete') await recordEvidence(context, claim, 'taskComplete', { taskId });
      else if (phase === 'failed') await recordEvidence(context, claim, 'taskFailed', { taskId, error: task.error_message ?? 'the task failed' });
      else if (pastDeadline) await recordEvidence(context, claim, 'outcomeUnknown', { taskId });
      return {
        state: task.state,
        phase,
        progress: task.progress ?? null,
        description: task.progress_description ?? null,
        errorMessage: task.error_message ?? null,
        pastDeadline,
        nextWaitSeconds: nextWaitSeconds({
          previousWaitSeconds,
          pollIntervalSeconds: plan.pollIntervalSeconds,
          maxPollIntervalSeconds: plan.maxPollIntervalSeconds,
          nowMs: now,
          startedAtMs: Date.parse(startedAt),
          deadlineMs: Date.parse(deadline),
          progress: task.progress,
        }),
        checkedAt: new Date(now).toISOString(),
      };
    }),
});

export const handler = lambdaHandler(getGenerationStatusStep, runtimeFromEnvironment);
