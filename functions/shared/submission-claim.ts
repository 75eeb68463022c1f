/** What the submission steps read from the state, who holds a quarter's claim, and how it is let go. */
import * as z from 'zod/mini';
import { clip } from './error-cause.js';
import { MAX_FAILURE_CAUSE_CHARS } from './limits.js';
import type { QuarterSubmissions } from './quarter-submission-record.js';
import type { StepContext } from './step.js';
import { quarterToSubmitSchema, runPlanSchema } from './run-plan.js';

export const submissionInputFields = {
  quarter: quarterToSubmitSchema,
  plan: runPlanSchema,
  /** The run's name: with the quarter it tells this run's claim from any other's. */
  executionName: z.string().check(z.minLength(1)),
};

export function submissionOwner(executionName: string, quarter: string): string {
  return `${executionName}#${quarter}`;
}

/** Beyond its wait, what a holder may still spend: the steps around the poll, their retries and backoff. */
const HOLD_MARGIN_MS = 60 * 60_000;

/**
 * Until when a claim's holder may still be at work: its own wait from now, and a margin. Written with
 * every claim, so a claim is judged stale by its holder's wait, not by the run that finds it.
 */
export function holdUntil(nowMs: number, plan: { maxWaitSeconds: number }): string {
  return new Date(nowMs + plan.maxWaitSeconds * 1000 + HOLD_MARGIN_MS).toISOString();
}

/**
 * Nothing was submitted: the quarter is freed (`failed`, with why) for the next run, or this run's
 * own retry. A record that cannot be written is logged; the step's own error is what it throws.
 */
export async function freeQuarter(quarters: QuarterSubmissions, quarter: string, owner: string, error: unknown, context: Pick<StepContext, 'log'>): Promise<void> {
  await quarters.move('failed', quarter, owner, { error: clip(`${(error as Error).name}: ${(error as Error).message}`, MAX_FAILURE_CAUSE_CHARS) }).catch((recordError: unknown) => {
    context.log('could not free the quarter after a step that submitted nothing', { quarter, error: (recordError as Error).name });
  });
}
