import * as z from 'zod/mini';
import { CLOCK_SKEW_MARGIN_MS, newBatchesInWindow, summarizeBatch } from '../shared/batches.js';
import { VerificationFailedError } from '../shared/errors.js';
import { MAX_BATCHES_REPORTED } from '../shared/limits.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { monthOf } from '../shared/calendar.js';
import { claimInputFields, monthClaimOf, recordEvidence } from '../shared/month-claim.js';
import type { Batch } from '../mangrove/schemas.js';
import type { LedgerMetrics } from '../shared/metrics.js';
import type { StepContext } from '../shared/step.js';
import { verificationSchema, resolvedLedgerSchema, type LedgerVerification, type Verification } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const verifyBatchesStep = defineStep({
  name: 'VerifyBatches',
  output: verificationSchema,
  result: 'verification',
  input: z.object({
    ledger: resolvedLedgerSchema,
    ...claimInputFields,
    // Nullish: the local interpreter drops a literal null from Parameters.
    generation: z.object({ taskCreatedAt: z.nullish(z.string()), startedAt: z.string() }),
  }),
  run: ({ plan, preview, generation, executionName, ledgerId }, context) =>
    context.withMangrove(async (client): Promise<Verification> => {
      // Mangrove's own task time when it sent one; else ours, minus the skew margin.
      const cutoff = generation.taskCreatedAt
        ? Date.parse(generation.taskCreatedAt)
        : Date.parse(generation.startedAt) - CLOCK_SKEW_MARGIN_MS;
      const claim = monthClaimOf(plan, preview, executionName, ledgerId);
      const ledgers: LedgerVerification[] = [];
      const generated: LedgerMetrics[] = [];
      const seconds = (context.now() - Date.parse(generation.startedAt)) / 1000;
      const shortfalls: string[] = [];
      for (const entry of preview.ledgers.filter((candidate) => candidate.count > 0)) {
        const created = await newBatchesInWindow(client, entry.id, plan.window, cutoff);
        const value = created.reduce((sum, batch) => sum + (batch.primary_output?.value ?? 0), 0);
        const months = await recordBatchesByMonth(context, claim.owner, entry.id, created, plan.timeZone);
        const total = { value: Math.round(value * 1e6) / 1e6, unit: created[0]?.primary_output?.unit ?? null };
        generated.push({ ledgerId: entry.id, unit: total.unit, values: { BatchesGenerated: created.length, AmountGenerated: total.value, MonthsGenerated: months, GenerationDuration: seconds } });
        ledgers.push({
          id: entry.id,
          name: entry.name,
          expected: entry.count,
          found: created.length,
          total,
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
      // Before a shortfall is thrown: the batches it found were generated all the same.
      context.metrics(generated);
      if (shortfalls.length > 0) {
        throw new VerificationFailedError(`preview and result disagree: ${shortfalls.join('; ')}`, preview.ledgers[0]?.id ?? null);
      }
      return { ledgers };
    }),
});

/**
 * Each generated month's record gets its batches' ids and total: what `status` shows without asking
 * Mangrove. Returns how many months the batches fall in.
 */
async function recordBatchesByMonth(context: StepContext, owner: string, ledgerId: string, batches: Batch[], timeZone: string): Promise<number> {
  const byMonth = new Map<string, Batch[]>();
  for (const batch of batches) {
    const month = monthOf(Date.parse(batch.start_time), timeZone);
    byMonth.set(month, [...(byMonth.get(month) ?? []), batch]);
  }
  for (const [month, inMonth] of byMonth) {
    const value = inMonth.reduce((sum, batch) => sum + (batch.primary_output?.value ?? 0), 0);
    await recordEvidence(context, { owner, keys: [{ ledgerId, month }] }, 'batchesRecorded', {
      batchIds: inMonth.map((batch) => batch.id),
      total: { value: Math.round(value * 1e6) / 1e6, unit: inMonth[0]?.primary_output?.unit ?? null },
    });
  }
  return byMonth.size;
}

export const handler = lambdaHandler(verifyBatchesStep, runtimeFromEnvironment);
