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
