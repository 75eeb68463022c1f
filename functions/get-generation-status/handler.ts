import * as z from 'zod';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { generationStatusSchema, type GenerationStatus } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const getGenerationStatusStep = defineStep({
  name: 'GetGenerationStatus',
  output: generationStatusSchema,
  result: 'status',
  input: z.object({ taskId: z.number().int(), deadline: z.iso.datetime({ offset: true }) }),
  run: ({ taskId, deadline }, context) =>
    context.withMangrove(async (client): Promise<GenerationStatus> => {
      const task = await client.getAsyncTask(taskId);
      const phase = task.state === 'complete' || task.state === 'failed' ? task.state : 'in-progress';
      const now = context.now();
      return {
        state: task.state,
        phase,
        progress: task.progress ?? null,
        description: task.progress_description ?? null,
        errorMessage: task.error_message ?? null,
        pastDeadline: now > Date.parse(deadline),
        checkedAt: new Date(now).toISOString(),
      };
    }),
});

export const handler = lambdaHandler(getGenerationStatusStep, runtimeFromEnvironment);
