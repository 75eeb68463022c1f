/**
 * Asks Mangrove what a generation of the window would make. A preview of 0 is evidence too: the
 * months wait for their data (and a month past its generate-by day is alerted for, once).
 */
import * as z from 'zod/mini';
import { monthsTouched } from '../shared/calendar.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { runPlanSchema } from '../shared/run-plan.js';
import { previewSummarySchema, resolvedLedgerSchema, type PreviewSummary } from '../shared/state-contract.js';
import { defineStep, lambdaHandler, type StepContext } from '../shared/step.js';

export const previewGenerationStep = defineStep({
  name: 'PreviewGeneration',
  output: previewSummarySchema,
  result: 'preview',
  input: z.object({
    ledger: resolvedLedgerSchema,
    plan: runPlanSchema,
    /** Set by ResolveRun on a reconciled month past its generate-by day. */
    overdue: z._default(z.boolean(), false),
  }),
  run: ({ ledger, plan, overdue }, context) =>
    context.withMangrove(async (client): Promise<PreviewSummary> => {
      const entries = await client.previewGeneration(ledger.id, {
        startTime: plan.window.startTime,
        endTime: plan.window.endTime,
        dataPointIds: plan.dataPointIds.length > 0 ? plan.dataPointIds : undefined,
      });
      const ledgers = entries.map(({ id, name, count }) => ({ id, name, count }));
      const total = ledgers.reduce((sum, entry) => sum + entry.count, 0);
      const overdueAlert = total === 0 ? await recordNoData(context, ledger.id, plan, overdue) : false;
      // Zero once the data is in, so a ledger's line drops back rather than ending; a dry run speaks for no month.
      const waiting = total === 0 ? monthsTouched(plan.window, plan.timeZone).length : 0;
      if (!plan.dryRun) context.metrics([{ ledgerId: ledger.id, values: { MonthsWaitingForData: overdue ? 0 : waiting, MonthsOverdue: overdue ? waiting : 0 } }]);
      return { ledgers, total, previewedAt: new Date(context.now()).toISOString(), overdueAlert };
    }),
});

/** Marks the months as waiting for data; true when this run is the one to send their overdue alert. */
async function recordNoData(context: StepContext, ledgerId: string, plan: z.infer<typeof runPlanSchema>, overdue: boolean): Promise<boolean> {
  const records = context.records();
  let alert = false;
  for (const month of monthsTouched(plan.window, plan.timeZone)) {
    const key = { ledgerId, month };
    // A dry run looks; only a real run speaks for the months.
    if (overdue && !plan.dryRun && (await records.tryMove('overdue', key, 'preview'))) alert = true;
    else await records.tryMove('noData', key, 'preview');
  }
  return alert;
}

export const handler = lambdaHandler(previewGenerationStep, runtimeFromEnvironment);
