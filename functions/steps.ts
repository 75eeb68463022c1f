/**
 * The one list of the workflow's steps. The CDK construct makes one Lambda per entry (from the
 * folder named after the state), the definition builder invokes them by state name, the local runner
 * serves them in-process, and the stack test checks them all. Adding a step is an entry here plus
 * its folder.
 */
import { checkRequiredInputsStep } from './check-required-inputs/handler.js';
import { describeFailureStep } from './describe-failure/handler.js';
import { describeSuccessStep } from './describe-success/handler.js';
import { findGeneratedBatchesStep } from './find-generated-batches/handler.js';
import { groupLedgersStep } from './group-ledgers/handler.js';
import { getGenerationStatusStep } from './get-generation-status/handler.js';
import { getSubmissionStatusStep } from './get-submission-status/handler.js';
import { prepareSubmissionStep } from './prepare-submission/handler.js';
import { previewGenerationStep } from './preview-generation/handler.js';
import { readLedgerMonthsStep } from './read-ledger-months/handler.js';
import { resolveRunStep } from './resolve-run/handler.js';
import type { StepDefinition } from './shared/step.js';
import { startGenerationStep } from './start-generation/handler.js';
import { submitReportStep } from './submit-report/handler.js';
import { summarizeGroupStep } from './summarize-group/handler.js';
import { verifyBatchesStep } from './verify-batches/handler.js';

export interface StepEntry {
  definition: StepDefinition<any, any>;
  /** Calls Mangrove, so its Lambda may read the API token. */
  readsToken: boolean;
  /** Reads and moves the ledger-month records, so its Lambda may use that table. */
  keepsRecords: boolean;
}

export const STEPS = [
  { definition: resolveRunStep, readsToken: false, keepsRecords: false },
  { definition: groupLedgersStep, readsToken: true, keepsRecords: false },
  { definition: readLedgerMonthsStep, readsToken: false, keepsRecords: true },
  { definition: checkRequiredInputsStep, readsToken: true, keepsRecords: false },
  { definition: previewGenerationStep, readsToken: true, keepsRecords: true },
  { definition: startGenerationStep, readsToken: true, keepsRecords: true },
  { definition: getGenerationStatusStep, readsToken: true, keepsRecords: true },
  { definition: verifyBatchesStep, readsToken: true, keepsRecords: true },
  { definition: findGeneratedBatchesStep, readsToken: true, keepsRecords: true },
  { definition: summarizeGroupStep, readsToken: false, keepsRecords: false },
  { definition: prepareSubmissionStep, readsToken: true, keepsRecords: true },
  { definition: submitReportStep, readsToken: true, keepsRecords: true },
  { definition: getSubmissionStatusStep, readsToken: true, keepsRecords: true },
  { definition: describeFailureStep, readsToken: false, keepsRecords: false },
  { definition: describeSuccessStep, readsToken: false, keepsRecords: false },
] as const satisfies readonly StepEntry[];

export type StepName = (typeof STEPS)[number]['definition']['name'];

/** `FindLedger` → `find-ledger`: the step's folder under functions/. */
export function stepFolder(name: StepName): string {
  return name.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();
}
