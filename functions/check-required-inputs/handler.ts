import * as z from 'zod/mini';
import { ManualInputsRequireDataPointsError } from '../shared/errors.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema } from '../shared/run-plan.js';
import { requiredInputsCheckSchema, resolvedLedgerSchema, type RequiredInputsCheck } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const checkRequiredInputsStep = defineStep({
  name: 'CheckRequiredInputs',
  output: requiredInputsCheckSchema,
  result: 'inputs',
  input: z.object({ ledger: resolvedLedgerSchema, plan: runPlanSchema }),
  run: ({ ledger, plan }, context) =>
    context.withMangrove(async (client): Promise<RequiredInputsCheck> => {
      const inputs = await client.getRequiredInputs(ledger.id);
      const manual = inputs.filter((input) => input.is_manual_select).map((input) => `"${input.name}" (${input.id})`);
      const summary = `the ledger's model needs ${inputs.length} required input(s)${manual.length > 0 ? `, manual-select ${manual.join(', ')}` : ''}`;
      const base = { requiredInputs: inputs.length, manualSelectInputs: manual, summary };
      if (manual.length === 0) return { ...base, dataPoints: 'not-needed' };
      if (plan.dataPointIds.length > 0) return { ...base, dataPoints: 'given' };
      if (plan.autoDiscoverDataPoints) return { ...base, dataPoints: 'auto-discovered' };
      throw new ManualInputsRequireDataPointsError(
        `ledger "${ledger.name}" (${ledger.id}) has manual-select input(s) ${manual.join(', ')} fed by other ledgers: ` +
          'name their data points in dataPointIds, or set autoDiscoverDataPoints: true to let Mangrove pick them from the window',
        ledger.id,
      );
    }),
});

export const handler = lambdaHandler(checkRequiredInputsStep, runtimeFromEnvironment);
