import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema, executionInputSchema } from '../shared/run-plan.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { resolveRunPlan } from './resolve-run-plan.js';

export const resolveRunStep = defineStep({
  name: 'ResolveRun',
  output: runPlanSchema,
  result: 'plan',
  input: executionInputSchema,
  run: async (input, context) => resolveRunPlan(input, context.defaults(), context.now()),
});

export const handler = lambdaHandler(resolveRunStep, runtimeFromEnvironment);
