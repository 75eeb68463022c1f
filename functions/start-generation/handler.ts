import * as z from 'zod';
import { collectBatches, overlapsWindow } from '../shared/batches.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { previewSummarySchema, resolvedLedgerSchema, runPlanSchema } from '../shared/run-plan.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export interface GenerationStart {
  outcome: 'started' | 'already-generated';
  taskId: number | null;
  /** Mangrove's own time for the task when it sent one, else ours: verify-batches reads batches created after it. */
  taskCreatedAt: string | null;
  startedAt: string;
  /** After this the poll loop gives up. */
  deadline: string;
  existingBatches: Array<{ ledgerId: string; count: number; trackingIds: string[] }>;
}

export const startGenerationStep = defineStep({
  name: 'StartGeneration',
  input: z.object({ ledger: resolvedLedgerSchema, plan: runPlanSchema, preview: previewSummarySchema }),
  run: ({ ledger, plan, preview }, context) =>
    context.withMangrove(async (client): Promise<GenerationStart> => {
      const startedAt = new Date(context.now()).toISOString();
      const deadline = new Date(context.now() + plan.maxWaitSeconds * 1000).toISOString();
      const windowStart = Date.parse(plan.window.startTime);

      // Mangrove has no idempotency key: batches already in the window are the only evidence that a
      // repeated, duplicated or overlapping run already generated this month.
      if (!plan.force) {
        const existingBatches = [];
        for (const target of preview.ledgers.filter((entry) => entry.count > 0)) {
          const found = await collectBatches(
            client.listLedgerBatches(target.id, { sort: '-end_time' }),
            (batch) => overlapsWindow(batch, plan.window),
            (batch) => Date.parse(batch.end_time) < windowStart,
          );
          if (found.length > 0) {
            existingBatches.push({
              ledgerId: target.id,
              count: found.length,
              trackingIds: found.slice(0, 12).map((batch) => batch.tracking_id ?? batch.id),
            });
          }
        }
        if (existingBatches.length > 0) {
          context.log('batches already exist in the window; not generating', { ledgerId: ledger.id, window: plan.window.label });
          return { outcome: 'already-generated', taskId: null, taskCreatedAt: null, startedAt, deadline, existingBatches };
        }
      }

      const task = await client.startBatchGeneration(ledger.id, {
        startTime: plan.window.startTime,
        endTime: plan.window.endTime,
        dataPointIds: plan.dataPointIds.length > 0 ? plan.dataPointIds : undefined,
        batchAmounts: plan.batchAmounts.length > 0 ? plan.batchAmounts : undefined,
        skippedDataPointTypeIds: plan.skippedDataPointTypeIds.length > 0 ? plan.skippedDataPointTypeIds : undefined,
      });
      context.log('batch generation started', { ledgerId: ledger.id, taskId: task.id, window: plan.window.label });
      return {
        outcome: 'started',
        taskId: task.id,
        taskCreatedAt: task.created_at ?? null,
        startedAt,
        deadline,
        existingBatches: [],
      };
    }),
});

export const handler = lambdaHandler(startGenerationStep, runtimeFromEnvironment);
