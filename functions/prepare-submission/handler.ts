/**
 * Everything before the irreversible submit: is the quarter already submitted (its record), is every
 * month of it generated for the report's ledgers (their records), which draft report takes it, and
 * which of the quarter's batches it lacks. Then, unless this is a dry run, it claims the quarter and
 * adds those batches (the union: a batch already in the report is never removed).
 */
import * as z from 'zod/mini';
import type { MangroveClient } from '../mangrove/client.js';
import { MangroveNotFoundError, MangroveResponseError } from '../mangrove/errors.js';
import type { Report } from '../mangrove/schemas.js';
import { batchExists, collectBatches, insideWindow } from '../shared/batches.js';
import { monthsWindow } from '../shared/calendar.js';
import { clip } from '../shared/error-cause.js';
import { InvalidInputError, QuarterIncompleteError, ReportNotDraftError, ReportNotFoundError } from '../shared/errors.js';
import { runtimeFromEnvironment } from '../shared/lambda-runtime.js';
import { isGenerated, type LedgerMonthRecord, type LedgerMonthRecords } from '../shared/ledger-month-record.js';
import { LEDGER_ID, resolveLedgerRefs } from '../shared/ledger-refs.js';
import { MAX_BATCH_IDS_LISTED, MAX_LISTED_NAME_CHARS, MAX_MISSING_LISTED } from '../shared/limits.js';
import { SubmissionConflictError, type QuarterSubmission, type QuarterSubmissions } from '../shared/quarter-submission-record.js';
import { inclusionBatchIds, quarterOf, reportStatusKind } from '../shared/reports.js';
import type { QuarterToSubmit, RunPlan } from '../shared/run-plan.js';
import { preparedSubmissionSchema, type PreparedSubmission } from '../shared/state-contract.js';
import { defineStep, lambdaHandler } from '../shared/step.js';
import { freeQuarter, holdUntil, submissionOwner, submissionInputFields } from '../shared/submission-claim.js';

/** Record reads in flight at once: well inside DynamoDB's per-partition limits, each item its own partition. */
const RECORD_READS_AT_ONCE = 25;

export const prepareSubmissionStep = defineStep({
  name: 'PrepareSubmission',
  output: preparedSubmissionSchema,
  result: 'prepared',
  input: z.object(submissionInputFields),
  run: ({ quarter, plan, executionName }, context) =>
    context.withMangrove(async (client): Promise<PreparedSubmission> => {
      const records = context.records();
      const quarters = await records.quarters();
      const owner = submissionOwner(executionName, quarter.quarter);
      const base = { quarter: quarter.quarter, failed: false };
      const recorded = await quarters.get(quarter.quarter);
      // A submitted quarter costs this read and nothing of Mangrove.
      if (recorded?.state === 'submitted') return { ...base, ...fromRecord(recorded), outcome: 'already-submitted' };

      const months = await quarterMonths(client, records, plan, quarter.quarter);
      const notGenerated = months.filter(({ record }) => !isGenerated(record));
      if (notGenerated.length > 0) {
        // Listed in part: 500 ledgers × 3 months of lines would not fit the run's state.
        const missing = notGenerated.slice(0, MAX_MISSING_LISTED).map(({ ledger, month, record }) => `"${clip(ledger.name, MAX_LISTED_NAME_CHARS)}" ${month}: ${record?.state ?? 'not generated'}`);
        const more = notGenerated.length - missing.length;
        if (more > 0) missing.push(`… and ${more} more ledger-month(s): batch-autopilot status`);
        if (plan.submission.onRequest) throw new QuarterIncompleteError(`${quarter.quarter} is not complete: ${missing.join('; ')}`);
        return { ...base, outcome: 'quarter-incomplete', missing };
      }

      const found = await findReport(client, quarter);
      const reportRef = { id: found.id, name: found.name, status: found.status };
      switch (reportStatusKind(found.status)) {
        case 'submitting':
          // On its way (another run, whose poll records the outcome, or a person in Mangrove's app), not proof: a later run looks again.
          return { ...base, outcome: 'submitting-elsewhere', report: reportRef };
        case 'submitted':
          if (!plan.dryRun) await recordFound(quarters, quarter.quarter, owner, found);
          return { ...base, outcome: 'already-submitted', report: reportRef };
        case 'unexpected':
          throw new ReportNotDraftError(`report "${found.name}" (${found.id}) is in status "${found.status}": only a draft report is patched and submitted`);
        case 'draft':
          break;
      }
      const now = new Date(context.now()).toISOString();
      const heldElsewhere = recorded?.state === 'submitting' && recorded.owner !== owner;
      // Past its holder's own wait and margin, nobody is at work on it any more.
      const stale = heldElsewhere && recorded.holdUntil !== undefined && recorded.holdUntil < now;
      if (heldElsewhere && !stale) return { ...base, outcome: 'submitting-elsewhere', report: reportRef };
      const doubt = recorded?.state === 'outcome-unknown' || stale;
      if (doubt && !plan.submission.onRequest) {
        // Its run alerted once (the outcome unknown, or the run that stopped holding it); only a person settles it.
        const why = stale ? `a run (${recorded.owner ?? 'unknown'}) claimed it at ${recorded.updatedAt} and never finished (it held it until ${recorded.holdUntil})` : `an earlier submit (${recorded.updatedAt}) has an unknown outcome`;
        return { ...base, outcome: 'in-doubt', report: reportRef, cause: `${why}, and the report is still draft` };
      }

      const quarterBatches = await batchesOf(client, months, plan.timeZone);
      const heldBefore = heldBatchIds(found);
      const preview = batchCounts(quarterBatches, heldBefore);
      if (plan.dryRun) return { ...base, outcome: 'dry-run', report: reportRef, batches: preview };

      // This run's own earlier attempt (a retried step) may have added batches: they stay counted as added.
      const mine = recorded !== null && recorded.owner === owner && (recorded.state === 'submitting' || recorded.state === 'failed');
      const addedBefore = mine ? (recorded.addedBatchIds ?? []) : [];
      const claim = (addedBatchIds: string[]) =>
        quarters.move(doubt ? 'claimInDoubt' : 'claim', quarter.quarter, owner, { reportId: found.id, reportName: found.name, addedBatchIds, holdUntil: holdUntil(context.now(), plan) }, now);
      try {
        await claim(addedBefore);
      } catch (error) {
        if (!(error instanceof SubmissionConflictError)) throw error;
        // Another run got here first.
        if (error.record?.state === 'submitted') return { ...base, ...fromRecord(error.record), outcome: 'already-submitted' };
        return { ...base, outcome: 'submitting-elsewhere', report: reportRef };
      }
      let batches = preview;
      try {
        // Read again now the quarter is ours: the union is of what the report holds at this moment (Mangrove has no ETag, so this is as close as it gets).
        const current = await client.getReport(found.id);
        const kind = reportStatusKind(current.status);
        if (kind === 'submitted') {
          // Submitted meanwhile (by a person in Mangrove's app): recorded, nothing more to do.
          await recordFound(quarters, quarter.quarter, owner, current);
          return { ...base, outcome: 'already-submitted', report: { ...reportRef, status: current.status } };
        }
        if (kind !== 'draft') throw new ReportNotDraftError(`report "${current.name}" (${current.id}) became "${current.status}" while this run prepared it; nothing was changed`);
        const held = heldBatchIds(current);
        const toAdd = quarterBatches.filter((id) => !held.includes(id));
        batches = batchCounts(quarterBatches, held);
        if (toAdd.length > 0) {
          await claim([...new Set([...addedBefore, ...toAdd])]);
          const updated = await client.updateReportBatches(found.id, [...held, ...toAdd]);
          const nowHeld = inclusionBatchIds(updated.inclusions) ?? [];
          const absent = [...held, ...quarterBatches].filter((id) => !nowHeld.includes(id));
          if (absent.length > 0) {
            throw new MangroveResponseError(
              { method: 'PATCH', endpoint: 'PATCH /reports/{id}', path: `/reports/${found.id}`, status: 200 },
              `the updated report lacks ${absent.length} batch(es) it should hold (${absent.slice(0, 5).join(', ')}); nothing was submitted`,
              'inclusions',
            );
          }
        }
      } catch (error) {
        await freeQuarter(quarters, quarter.quarter, owner, error, context);
        throw error;
      }
      context.log('report ready to submit', { quarter: quarter.quarter, reportId: found.id, batchesAdded: batches.added, batchesHeld: batches.held });
      return { ...base, outcome: 'ready', report: reportRef, batches };
    }),
});

/** The report's batch ids, or a refusal to touch a report whose inclusions cannot be read (a union without them could drop one). */
function heldBatchIds(report: Report): string[] {
  const held = inclusionBatchIds(report.inclusions);
  if (held !== null) return held;
  throw new MangroveResponseError(
    { method: 'GET', endpoint: 'GET /reports/{id}', path: `/reports/${report.id}`, status: 200 },
    `report "${report.name}" holds inclusions that name no batch this version can read, so the batches cannot be added without risking one it holds; add them in Mangrove's app`,
    'inclusions',
  );
}

function batchCounts(quarterBatches: string[], held: string[]): NonNullable<PreparedSubmission['batches']> {
  const toAdd = quarterBatches.filter((id) => !held.includes(id));
  return {
    inQuarter: quarterBatches.length,
    held: held.length,
    added: toAdd.length,
    addedIds: toAdd.slice(0, MAX_BATCH_IDS_LISTED),
    heldIds: held.slice(0, MAX_BATCH_IDS_LISTED),
  };
}

function fromRecord(record: QuarterSubmission): Pick<PreparedSubmission, 'report' | 'taskId' | 'submittedAt'> {
  return {
    report: record.reportId ? { id: record.reportId, name: record.reportName ?? '', status: 'submitted' } : null,
    taskId: record.taskId ?? null,
    submittedAt: record.submittedAt ?? null,
  };
}

/** A report found past draft was submitted (here or in Mangrove's app): recorded so later runs only read the record. */
async function recordFound(quarters: QuarterSubmissions, quarter: string, owner: string, report: Report): Promise<void> {
  await quarters
    .move('submitted', quarter, owner, { reportId: report.id, reportName: report.name, evidence: `report found ${report.status}`, submittedAt: report.updated_at ?? undefined })
    .catch((error: unknown) => {
      if (!(error instanceof SubmissionConflictError)) throw error;
    });
}

interface LedgerMonthOfQuarter {
  ledger: { id: string; name: string };
  month: string;
  record: LedgerMonthRecord | null;
}

/** Each of the report's ledgers' three months of the quarter, with its record. */
async function quarterMonths(client: MangroveClient, records: LedgerMonthRecords, plan: RunPlan, quarter: string): Promise<LedgerMonthOfQuarter[]> {
  // Records are kept by ledger id: ids need no call to Mangrove (an unknown one shows as not generated), names one list.
  const byId = plan.submission.ledgers.every((ref) => LEDGER_ID.test(ref));
  const { resolutions } = byId ? { resolutions: new Map(plan.submission.ledgers.map((ref) => [ref, { ledger: { id: ref, name: ref } }])) } : await resolveLedgerRefs(client, plan.submission.ledgers);
  const months: LedgerMonthOfQuarter[] = [];
  const seen = new Set<string>();
  for (const ref of plan.submission.ledgers) {
    const resolution = resolutions.get(ref);
    if (!resolution || 'error' in resolution) {
      throw new ReportNotFoundError(`reports.ledgers: ${resolution && 'cause' in resolution ? resolution.cause : `"${ref}" is not a ledger`}`);
    }
    const { id, name } = resolution.ledger;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const month of quarterOf(quarter).months) months.push({ ledger: { id, name }, month, record: null });
  }
  // Hundreds of ledgers × 3 months: read a few dozen records at a time, not one after another.
  for (let start = 0; start < months.length; start += RECORD_READS_AT_ONCE) {
    await Promise.all(months.slice(start, start + RECORD_READS_AT_ONCE).map(async (entry) => (entry.record = await records.get({ ledgerId: entry.ledger.id, month: entry.month }))));
  }
  return months;
}

/**
 * The quarter's batch ids: what each ledger-month's record holds, and for a month recorded without
 * them (found generated, or decided by an operator) the batches Mangrove lists inside that month.
 */
async function batchesOf(client: MangroveClient, months: LedgerMonthOfQuarter[], timeZone: string): Promise<string[]> {
  const ids: string[] = [];
  for (const { ledger, month, record } of months) {
    if (record?.batchIds && record.batchIds.length > 0) {
      ids.push(...record.batchIds);
      continue;
    }
    const window = { ...monthsWindow(month, month, timeZone), label: month };
    const found = await collectBatches(
      client.listLedgerBatches(ledger.id, { sort: '-end_time' }),
      (batch) => insideWindow(batch, window) && batchExists(batch),
      (batch) => Date.parse(batch.end_time) < Date.parse(window.startTime),
    );
    ids.push(...found.map((batch) => batch.id));
  }
  return [...new Set(ids)];
}

/** The report by its id, or the one report whose name is exactly the pattern's for the quarter. */
async function findReport(client: MangroveClient, quarter: QuarterToSubmit): Promise<Report> {
  if (quarter.reportId !== null) {
    try {
      return await client.getReport(quarter.reportId);
    } catch (error) {
      if (error instanceof MangroveNotFoundError) throw new ReportNotFoundError(`no report has id "${quarter.reportId}" (deleted, or not visible to this token)`);
      throw error;
    }
  }
  if (quarter.reportName === null) {
    throw new InvalidInputError('reports', [`no report is configured for ${quarter.quarter}: set reports.namePattern, or reports.reportIds["${quarter.quarter}"]`]);
  }
  const reports = await client.listReports();
  const named = reports.filter((report) => report.name.trim() === quarter.reportName);
  if (named.length === 1) return named[0] as Report;
  const listed = reports.slice(0, 10).map((report) => `"${report.name}" (${report.id}, ${report.status})`).join(', ');
  if (named.length === 0) {
    throw new ReportNotFoundError(`no report is named "${quarter.reportName}" (renamed or deleted?). ${reports.length === 0 ? 'The token sees no reports.' : `Reports: ${listed}${reports.length > 10 ? ` and ${reports.length - 10} more` : ''}.`}`);
  }
  throw new ReportNotFoundError(`${named.length} reports are named "${quarter.reportName}" (${named.map((report) => `${report.id}, ${report.status}`).join('; ')}): set reports.reportIds["${quarter.quarter}"] to the one to submit`);
}

export const handler = lambdaHandler(prepareSubmissionStep, runtimeFromEnvironment);
