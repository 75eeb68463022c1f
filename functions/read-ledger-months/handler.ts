/**
 * Reads the ledger's records for the months of its window before anything is asked of Mangrove:
 * a month already generated costs this one read, and the branch ends there.
 */
import * as z from 'zod/mini';
import { monthsTouched } from '../shared/calendar.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { isGenerated } from '../shared/ledger-month-item.js';
import { runPlanSchema } from '../shared/run-plan.js';
import { ledgerMonthsCheckSchema, resolvedLedgerSchema, type LedgerMonthsCheck } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';

export const readLedgerMonthsStep = defineStep({
  name: 'ReadLedgerMonths',
  output: ledgerMonthsCheckSchema,
  result: 'records',
  input: z.object({ ledger: resolvedLedgerSchema, plan: runPlanSchema }),
  run: async ({ ledger, plan }, context): Promise<LedgerMonthsCheck> => {
    const records = context.records();
    const months = await Promise.all(
      monthsTouched(plan.window, plan.timeZone).map(async (month) => {
        const record = await records.get({ ledgerId: ledger.id, month });
        return { month, state: record?.state ?? null, generated: isGenerated(record), batches: record?.batchIds?.length ?? 0 };
      }),
    );
    return { months, allGenerated: months.every((entry) => entry.generated) };
  },
});

export const handler = lambdaHandler(readLedgerMonthsStep, runtimeFromEnvironment);
