/**
 * After a POST whose outcome is unknown (a timeout, a reset, a killed Lambda, a task id Mangrove no
 * longer knows), the ledger is the only truth: this step looks for the batches the preview promised,
 * created since the run began. The workflow polls it instead of POSTing again.
 */
import * as z from 'zod/mini';
import { CLOCK_SKEW_MARGIN_MS, newBatchesInWindow } from '../shared/batches.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { claimInputFields, monthClaimOf, recordEvidence } from '../shared/month-claim.js';
import { nextWaitSeconds } from '../shared/poll-schedule.js';
import { generatedBatchesCheckSchema, resolvedLedgerSchema, type GeneratedBatchesCheck } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const findGeneratedBatchesStep = defineStep({
  name: 'FindGeneratedBatches',
  output: generatedBatchesCheckSchema,
  result: 'recovery',
  input: z.object({ ledger: resolvedLedgerSchema, previousWaitSeconds: z.nullish(z.number().check(z.int(), z.positive())), ...claimInputFields }),
  run: ({ plan, preview, previousWaitSeconds, executionName, ledgerId }, context) =>
    context.withMangrove(async (client): Promise<GeneratedBatchesCheck> => {
      const since = Date.parse(plan.requestedAt) - CLOCK_SKEW_MARGIN_MS;
      const found = [];
      for (const entry of preview.ledgers.filter((candidate) => candidate.count > 0)) {
        const created = await newBatchesInWindow(client, entry.id, plan.window, since);
        found.push({ ledgerId: entry.id, expected: entry.count, found: created.length });
      }
      const now = context.now();
      const complete = found.every((entry) => entry.found >= entry.expected);
      // From this ledger's own preview: in a run of several ledgers, later ones start later.
      const deadlineMs = Date.parse(preview.previewedAt) + plan.maxWaitSeconds * 1000;
      const pastDeadline = now > deadlineMs;
      const claim = monthClaimOf(plan, preview, executionName, ledgerId);
      if (complete) await recordEvidence(context, claim, 'batchesFound');
      else if (pastDeadline) await recordEvidence(context, claim, 'outcomeUnknown');
      const { pollIntervalSeconds, maxPollIntervalSeconds } = plan;
      const wait = nextWaitSeconds({ previousWaitSeconds, pollIntervalSeconds, maxPollIntervalSeconds, nowMs: now, startedAtMs: Date.parse(preview.previewedAt), deadlineMs });
      return { complete, found, pastDeadline, checkedAt: new Date(now).toISOString(), nextWaitSeconds: wait };
    }),
});

export const handler = lambdaHandler(findGeneratedBatchesStep, runtimeFromEnvironment);
