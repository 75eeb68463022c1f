import * as z from 'zod';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema } from '../shared/run-plan.js';
import { previewSummarySchema, resolvedLedgerSchema, type PreviewSummary } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const previewGenerationStep = defineStep({
  name: 'PreviewGeneration',
  output: previewSummarySchema,
  result: 'preview',
  input: z.object({ ledger: resolvedLedgerSchema, plan: runPlanSchema }),
  run: ({ ledger, plan }, context) =>
    context.withMangrove(async (client): Promise<PreviewSummary> => {
      const entries = await client.previewGeneration(ledger.id, {
        startTime: plan.window.startTime,
        endTime: plan.window.endTime,
        dataPointIds: plan.dataPointIds.length > 0 ? plan.dataPointIds : undefined,
      });
      const ledgers = entries.map(({ id, name, count }) => ({ id, name, count }));
      return { ledgers, total: ledgers.reduce((sum, entry) => sum + entry.count, 0), previewedAt: new Date(context.now()).toISOString() };
    }),
});

export const handler = lambdaHandler(previewGenerationStep, runtimeFromEnvironment);
