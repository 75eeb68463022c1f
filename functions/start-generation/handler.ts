import * as z from 'zod';
import type { MangroveClient } from '../mangrove/client.js';
import { MangroveAuthError, MangroveNotFoundError, MangroveValidationError } from '../mangrove/errors.js';
import { collectBatches, insideWindow, overlapsWindow } from '../shared/batches.js';
import { GenerationNotStartedError, PartiallyGeneratedError } from '../shared/errors.js';
import { claimKey, type GenerationClaim } from '../shared/generation-claims.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema, type RunPlan } from '../shared/run-plan.js';
import { generationStartSchema, previewSummarySchema, resolvedLedgerSchema, type GenerationStart, type PreviewSummary } from '../shared/state-contract.js';
import { defineStep, lambdaHandler, type StepContext } from '../shared/step.js';

/** A claim outlives the longest a run may wait for its task, so it is never taken from a live run. */
const CLAIM_MARGIN_SECONDS = 3_600;
/**
 * The POST needs its 10 s timeout plus a margin. With less left, Lambda could end the invocation
 * mid-POST and leave the outcome unknown; stopping before it is a clean, retryable "not started".
 */
const TIME_NEEDED_FOR_POST_MS = 15_000;

export const startGenerationStep = defineStep({
  name: 'StartGeneration',
  output: generationStartSchema,
  result: 'generation',
  input: z.object({
    ledger: resolvedLedgerSchema,
    plan: runPlanSchema,
    preview: previewSummarySchema,
    executionName: z.string().min(1),
    /** The ledger's place in the run: two ledgers of one run are two claimants. */
    ledgerIndex: z.number().int().nonnegative().default(0),
  }),
  run: ({ ledger, plan, preview, executionName, ledgerIndex }, context) =>
    context.withMangrove(async (client): Promise<GenerationStart> => {
      const now = context.now();
      const base = {
        taskCreatedAt: null,
        startedAt: new Date(now).toISOString(),
        deadline: new Date(now + plan.maxWaitSeconds * 1000).toISOString(),
        existingBatches: [],
        heldBy: null,
      };
      const targets = preview.ledgers.filter((entry) => entry.count > 0);

      // Claim the window first, so the look at its batches below cannot race another run's POST.
      const key = claimKey(targets.map((entry) => entry.id), plan.window);
      const ttlSeconds = plan.maxWaitSeconds + CLAIM_MARGIN_SECONDS;
      const claims = context.claims();
      // Retries of this step for this ledger share the owner; another ledger of the same run does not.
      const owner = `${executionName}#${ledgerIndex}`;
      const claim = await claims.claim(key, owner, ttlSeconds, now);
      if (!claim.won) {
        const holder = claim.holder;
        // An earlier attempt of this very step, which Step Functions retried: it either never got to
        // POST, or POSTed and recorded its task before failing.
        const ownEarlierAttempt = holder.owner === owner;
        if (ownEarlierAttempt && holder.taskId !== undefined) return { ...base, outcome: 'started', taskId: holder.taskId };
        const mayProceed = ownEarlierAttempt || ((await holderFinished(client, holder, context)) && (await claims.takeOver(key, owner, holder.owner, ttlSeconds, now)));
        if (!mayProceed) {
          context.log('another run is generating this window; not generating', { ledgerId: ledger.id, heldBy: holder.owner, taskId: holder.taskId });
          return { ...base, outcome: 'generating-elsewhere', taskId: holder.taskId ?? null, heldBy: holder.owner };
        }
      }

      if (!plan.force) {
        let existingBatches: GenerationStart['existingBatches'];
        try {
          existingBatches = await existingBatchesIn(client, plan, targets);
        } catch (error) {
          await claims.release(key, owner);
          throw error;
        }
        if (existingBatches.length > 0) {
          // Nothing will be in flight under this claim: leave the window free for the next look.
          await claims.release(key, owner);
          context.log('batches already exist in the window; not generating', { ledgerId: ledger.id, window: plan.window.label });
          return { ...base, outcome: 'already-generated', taskId: null, existingBatches };
        }
      }

      if (context.remainingMs() < TIME_NEEDED_FOR_POST_MS) {
        throw new GenerationNotStartedError(
          `only ${Math.round(context.remainingMs() / 1000)} s left in this invocation, too little to send the generation request safely; nothing was sent`,
          ledger.id,
        );
      }

      let task;
      try {
        task = await client.startBatchGeneration(ledger.id, {
          startTime: plan.window.startTime,
          endTime: plan.window.endTime,
          dataPointIds: plan.dataPointIds.length > 0 ? plan.dataPointIds : undefined,
          batchAmounts: plan.batchAmounts.length > 0 ? plan.batchAmounts : undefined,
          skippedDataPointTypeIds: plan.skippedDataPointTypeIds.length > 0 ? plan.skippedDataPointTypeIds : undefined,
        });
      } catch (error) {
        // Refused outright: nothing is in flight, so the window is free for the corrected run.
        if (error instanceof MangroveAuthError || error instanceof MangroveValidationError || error instanceof MangroveNotFoundError) {
          await claims.release(key, owner);
        }
        throw error;
      }
      await claims.recordTask(key, owner, task.id);
      context.log('batch generation started', { ledgerId: ledger.id, taskId: task.id, window: plan.window.label });
      return { ...base, outcome: 'started', taskId: task.id, taskCreatedAt: task.created_at ?? null };
    }),
});

/**
 * Mangrove has no idempotency key: batches in the window are the only evidence that a repeated or
 * overlapping run already generated it. All there → already generated; none → generate; anything in
 * between (some months, or a batch that only overlaps the window's edge) → stop and say so.
 */
async function existingBatchesIn(client: MangroveClient, plan: RunPlan, targets: PreviewSummary['ledgers']): Promise<GenerationStart['existingBatches']> {
  const windowStart = Date.parse(plan.window.startTime);
  const existing = [];
  const problems: string[] = [];
  for (const target of targets) {
    const overlapping = await collectBatches(
      client.listLedgerBatches(target.id, { sort: '-end_time' }),
      (batch) => overlapsWindow(batch, plan.window),
      (batch) => Date.parse(batch.end_time) < windowStart,
    );
    const inside = overlapping.filter((batch) => insideWindow(batch, plan.window));
    const names = overlapping.map((batch) => `${batch.tracking_id ?? batch.id} (${batch.start_time} to ${batch.end_time})`);
    if (overlapping.length > 0) existing.push({ ledgerId: target.id, count: overlapping.length, trackingIds: names.slice(0, 12) });
    if (overlapping.length > 0 && (inside.length < target.count || inside.length < overlapping.length)) {
      problems.push(`"${target.name}" (${target.id}) has ${names.join(', ')}; the preview expects ${target.count} inside ${plan.window.label}`);
    }
  }
  const complete = existing.length === targets.length && problems.length === 0;
  if (existing.length > 0 && !complete) {
    throw new PartiallyGeneratedError(
      `${plan.window.label} is partly generated: ${problems.join('; ') || `only some ledgers have batches (${existing.map((entry) => entry.ledgerId).join(', ')})`}. ` +
        'Generating could duplicate batches or leave a gap: check the ledgers in Mangrove (and that the time zone matches the project), then run with force if a new generation is right.',
      targets[0]?.id ?? null,
    );
  }
  return existing;
}

/**
 * Only a task Mangrove reports ended (`complete` or `failed`) frees its window for another run:
 * anything else may still make batches. Without a task id the holder's POST is in doubt.
 */
async function holderFinished(client: MangroveClient, holder: GenerationClaim, context: StepContext): Promise<boolean> {
  if (holder.taskId === undefined) return false;
  try {
    const { state } = await client.getAsyncTask(holder.taskId);
    return state === 'complete' || state === 'failed';
  } catch (error) {
    context.log('could not read the holder\u2019s task; leaving the window to it', { taskId: holder.taskId, error: (error as Error).name });
    return false;
  }
}

export const handler = lambdaHandler(startGenerationStep, runtimeFromEnvironment);
