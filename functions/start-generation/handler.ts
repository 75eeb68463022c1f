/**
 * Claims the ledger-months, makes sure they are not generated yet, and POSTs the generation. The
 * records, not a timer, decide who may POST: a month is generated once, whichever run, window or
 * zone names it, and a month whose POST provably sent nothing is left free for the next run.
 */
import * as z from 'zod/mini';
import type { MangroveClient } from '../mangrove/client.js';
import { GenerationOutcomeUnknownError } from '../mangrove/errors.js';
import { batchExists, collectBatches, insideWindow, overlapsWindow } from '../shared/batches.js';
import { GenerationNotStartedError, MonthInDoubtError, PartiallyGeneratedError, TimeZoneMismatchError } from '../shared/errors.js';
import type { Batch } from '../mangrove/schemas.js';
import { isGenerated, type LedgerMonthRecords } from '../shared/ledger-month-record.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { monthClaimOf, type MonthClaim } from '../shared/month-claim.js';
import { runPlanSchema, type RunPlan } from '../shared/run-plan.js';
import { generationStartSchema, previewSummarySchema, resolvedLedgerSchema, type GenerationStart, type PreviewSummary } from '../shared/state-contract.js';
import { defineStep, lambdaHandler, type StepContext } from '../shared/step.js';

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
    executionName: z.string().check(z.minLength(1)),
  }),
  run: ({ ledger, plan, preview, executionName }, context) =>
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
      const records = context.records();
      const claim = monthClaimOf(plan, preview, executionName, ledger.id);

      // Claim first, so the look at the batches below cannot race another run's POST.
      const claimed = await records.claimAll(claim.keys, claim.owner, { force: plan.force });
      if (!claimed.won) return whyNotOurs(client, records, claim, plan, targets, base, context);

      if (!plan.force) {
        const existingBatches = await sentNothingIfThrows(records, claim, context, () => existingBatchesIn(client, plan, targets));
        if (existingBatches.length > 0) {
          await records.moveAll('batchesFound', claim.keys, claim.owner);
          context.log('batches already exist in the window; recorded as generated, not generating', { ledgerId: ledger.id, window: plan.window.label });
          return { ...base, outcome: 'already-generated', taskId: null, existingBatches };
        }
      }

      const task = await sentNothingIfThrows(records, claim, context, async () => {
        if (context.remainingMs() < TIME_NEEDED_FOR_POST_MS) {
          throw new GenerationNotStartedError(
            `only ${Math.round(context.remainingMs() / 1000)} s left in this invocation, too little to send the generation request safely; nothing was sent`,
            ledger.id,
          );
        }
        return client.startBatchGeneration(ledger.id, {
          startTime: plan.window.startTime,
          endTime: plan.window.endTime,
          dataPointIds: plan.dataPointIds.length > 0 ? plan.dataPointIds : undefined,
          batchAmounts: plan.batchAmounts.length > 0 ? plan.batchAmounts : undefined,
          skippedDataPointTypeIds: plan.skippedDataPointTypeIds.length > 0 ? plan.skippedDataPointTypeIds : undefined,
        });
      });
      try {
        await records.moveAll('started', claim.keys, claim.owner, { taskId: task.id });
      } catch (error) {
        // The 202 stands: the months stay claimed by this run, and the poll moves them to generated.
        context.log('could not record the started task; polling it anyway', { taskId: task.id, error: (error as Error).name });
      }
      context.log('batch generation started', { ledgerId: ledger.id, taskId: task.id, window: plan.window.label });
      return { ...base, outcome: 'started', taskId: task.id, taskCreatedAt: task.created_at ?? null };
    }),
});

/**
 * Runs `fn`; if it throws anything but an unknown POST outcome, nothing reached Mangrove's
 * generation, so the months are freed (failed, with the error) for the next run before rethrowing.
 */
async function sentNothingIfThrows<T>(records: LedgerMonthRecords, claim: MonthClaim, context: StepContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof GenerationOutcomeUnknownError)) {
      await records.moveAll('nothingSent', claim.keys, claim.owner, { error: (error as Error).name }).catch((recordError: unknown) => {
        context.log('could not free the months after a POST that sent nothing', { error: (recordError as Error).name });
      });
    }
    throw error;
  }
}

/** Another run or an earlier generation holds some of the months: say which, and why nothing is sent. */
async function whyNotOurs(
  client: MangroveClient,
  records: LedgerMonthRecords,
  claim: MonthClaim,
  plan: RunPlan,
  targets: PreviewSummary['ledgers'],
  base: Omit<GenerationStart, 'outcome' | 'taskId'>,
  context: StepContext,
): Promise<GenerationStart> {
  const held = await Promise.all(claim.keys.map(async (key) => ({ key, record: await records.get(key) })));
  const live = held.find(({ record }) => record?.state === 'claimed' || record?.state === 'generating');
  if (live?.record?.owner === claim.owner && live.record.taskId !== undefined) {
    // An earlier attempt of this very step POSTed and recorded its task: resume it, never POST again.
    return { ...base, outcome: 'started', taskId: live.record.taskId };
  }
  if (live?.record) {
    context.log('another run is generating these months; not generating', { heldBy: live.record.owner, taskId: live.record.taskId });
    return { ...base, outcome: 'generating-elsewhere', taskId: live.record.taskId ?? null, heldBy: live.record.owner ?? null };
  }
  if (held.every(({ record }) => isGenerated(record))) {
    const byLedger = new Map<string, string[]>();
    for (const { key, record } of held) byLedger.set(key.ledgerId, [...(byLedger.get(key.ledgerId) ?? []), ...(record?.batchIds ?? [])]);
    const existingBatches = [...byLedger.entries()].map(([ledgerId, batchIds]) => ({ ledgerId, count: batchIds.length, trackingIds: batchIds.slice(0, 12) }));
    return { ...base, outcome: 'already-generated', taskId: null, existingBatches };
  }
  const inDoubt = held.filter(({ record }) => record?.state === 'outcome-unknown');
  if (inDoubt.length > 0) {
    // The ledger settles a doubt: batches there mean the earlier generation happened.
    const existing = await existingBatchesIn(client, plan, targets).catch(() => []);
    if (existing.length === targets.length) {
      await records.moveAll('batchesFound', inDoubt.map(({ key }) => key), claim.owner);
      return whyNotOurs(client, records, claim, plan, targets, base, context);
    }
    const months = inDoubt.map(({ key }) => `${key.ledgerId} ${key.month}`).join(', ');
    throw new MonthInDoubtError(`an earlier generation of ${months} has an unknown outcome and the ledger shows no batches for it; nothing was sent`, inDoubt[0]?.key.ledgerId ?? null);
  }
  const generated = held.filter(({ record }) => isGenerated(record)).map(({ key }) => `${key.ledgerId} ${key.month}`);
  throw new PartiallyGeneratedError(
    `${plan.window.label} is partly generated: ${generated.join(', ')} already generated, the rest not. ` +
      'Generating the window could duplicate batches: run the months that are missing on their own, or with force if a new generation is right.',
    targets[0]?.id ?? null,
  );
}

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
      (batch) => overlapsWindow(batch, plan.window) && batchExists(batch),
      (batch) => Date.parse(batch.end_time) < windowStart,
    );
    const inside = overlapping.filter((batch) => insideWindow(batch, plan.window));
    const shifted = overlapping.filter((batch) => isShiftedMonth(batch, plan.window));
    if (shifted.length > 0) {
      const example = shifted[0] as Batch;
      const hours = (Date.parse(example.start_time) - windowStart) / 3_600_000;
      throw new TimeZoneMismatchError(
        `"${target.name}" (${target.id}) has ${example.tracking_id ?? example.id} from ${example.start_time} to ${example.end_time}: a month ${Math.abs(hours)} h ${hours < 0 ? 'earlier' : 'later'} than ${plan.window.label} in ${plan.timeZone} (${plan.window.startTime} to ${plan.window.endTime}); nothing was generated`,
        target.id,
      );
    }
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

/** Offsets between zones are at most 26 h; a batch within that of both window ends is the same month elsewhere. */
const MAX_ZONE_OFFSET_MS = 26 * 3_600_000;

function isShiftedMonth(batch: Batch, window: RunPlan['window']): boolean {
  const startShift = Date.parse(batch.start_time) - Date.parse(window.startTime);
  const endShift = Date.parse(batch.end_time) - Date.parse(window.endTime);
  return startShift !== 0 && Math.abs(startShift) <= MAX_ZONE_OFFSET_MS && Math.abs(endShift) <= MAX_ZONE_OFFSET_MS;
}

export const handler = lambdaHandler(startGenerationStep, runtimeFromEnvironment);
