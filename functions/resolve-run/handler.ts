import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { executionInputSchema } from '../shared/run-plan.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { resolveRunPlan } from './resolve-run-plan.js';

export const resolveRunStep = defineStep({
  name: 'ResolveRun',
  input: executionInputSchema,
  run: async (input, context) => resolveRunPlan(input, context.defaults(), context.now()),
});

export const handler = lambdaHandler(resolveRunStep, runtimeFromEnvironment);
