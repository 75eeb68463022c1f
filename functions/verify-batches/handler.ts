import * as z from 'zod';
import { CLOCK_SKEW_MARGIN_MS, newBatchesInWindow, summarizeBatch } from '../shared/batches.js';
import { VerificationFailedError } from '../shared/errors.js';
import { MAX_BATCHES_REPORTED } from '../shared/limits.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema } from '../shared/run-plan.js';
import { verificationSchema, previewSummarySchema, resolvedLedgerSchema, type LedgerVerification, type Verification } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const verifyBatchesStep = defineStep({
  name: 'VerifyBatches',
  output: verificationSchema,
  result: 'verification',
  input: z.object({
    ledger: resolvedLedgerSchema,
    plan: runPlanSchema,
    preview: previewSummarySchema,
    // Nullish: the local interpreter drops a literal null from Parameters.
    generation: z.object({ taskCreatedAt: z.string().nullish(), startedAt: z.string() }),
  }),
  run: ({ plan, preview, generation }, context) =>
    context.withMangrove(async (client): Promise<Verification> => {
      // Mangrove's own task time when it sent one; else ours, minus the skew margin.
      const cutoff = generation.taskCreatedAt
        ? Date.parse(generation.taskCreatedAt)
        : Date.parse(generation.startedAt) - CLOCK_SKEW_MARGIN_MS;
      const ledgers: LedgerVerification[] = [];
      const shortfalls: string[] = [];
      for (const entry of preview.ledgers.filter((candidate) => candidate.count > 0)) {
        const created = await newBatchesInWindow(client, entry.id, plan.window, cutoff);
        const value = created.reduce((sum, batch) => sum + (batch.primary_output?.value ?? 0), 0);
        ledgers.push({
          id: entry.id,
          name: entry.name,
          expected: entry.count,
          found: created.length,
          total: { value: Math.round(value * 1e6) / 1e6, unit: created[0]?.primary_output?.unit ?? null },
          batches: created
            .slice(0, MAX_BATCHES_REPORTED)
            .map(summarizeBatch)
            .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime)),
        });
        if (created.length !== entry.count) {
          const names = created.map((batch) => batch.tracking_id ?? batch.id).join(', ') || 'none';
          shortfalls.push(`"${entry.name}" (${entry.id}) expected ${entry.count} new batch(es) in ${plan.window.label}, found ${created.length} (${names})`);
        }
      }
      if (shortfalls.length > 0) {
        throw new VerificationFailedError(`preview and result disagree: ${shortfalls.join('; ')}`, preview.ledgers[0]?.id ?? null);
      }
      return { ledgers };
    }),
});

export const handler = lambdaHandler(verifyBatchesStep, runtimeFromEnvironment);
