import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { executionInputSchema, resolvedRunSchema } from '../shared/run-plan.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { resolveRun } from './resolve-run-plan.js';

export const resolveRunStep = defineStep({
  name: 'ResolveRun',
  output: resolvedRunSchema,
  result: 'plan',
  input: executionInputSchema,
  run: async (input, context) => resolveRun(input, context.defaults(), context.now()),
});

export const handler = lambdaHandler(resolveRunStep, runtimeFromEnvironment);
