/** What the submission steps read from the state, and who holds a quarter's claim. */
import * as z from 'zod/mini';
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
