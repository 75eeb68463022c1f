import { isoTimestamp, monthSpan } from './calendar.js';
import type { Seed } from './seed.js';
import type { Batch } from './state.js';
import type { TaskOutcome } from './task-lifecycle.js';
import type { TaskBook } from './tasks.js';

// Mangrove's type name for this task is undocumented; this one follows the generation task's form.
const SUBMISSION_TASK_TYPE = 'Reports::Submission';
/** Mangrove's documented 422 message; the simulator adds each reason as a further message. */
export const NOT_SUBMITTABLE = 'Report does not meet submission requirements';

export interface Report {
  id: string;
  name: string;
  report_type: string;
  status: string;
  project_id: number;
  createdAtMs: number;
  updatedAtMs: number;
  /** The quarter the report covers, in the project's time zone. */
  period: { label: string; startMs: number; endMs: number };
  batchIds: string[];
}

export interface ReportChanges {
  name?: string;
  status?: string;
  batchIds?: string[];
}

function quarterPeriod(quarter: string, timeZone: string): Report['period'] {
  const [year, q] = quarter.split('-Q').map(Number) as [number, number];
  return {
    label: `Q${q} ${year}`,
    startMs: monthSpan({ year, month: q * 3 - 2 }, timeZone).startMs,
    endMs: monthSpan({ year, month: q * 3 }, timeZone).endMs,
  };
}

/** The project's reports: read, changed while draft, submitted through an async task. */
export class ReportBook {
  private readonly reports: Report[];

  constructor(
    seed: Seed,
    private readonly tasks: TaskBook,
    private readonly batch: (id: string) => Batch | undefined,
  ) {
    this.reports = seed.reports.map((report) => ({
      id: report.id,
      name: report.name,
      report_type: report.report_type,
      status: report.status,
      project_id: report.project_id ?? seed.project.id,
      createdAtMs: Date.parse(report.created_at),
      updatedAtMs: Date.parse(report.updated_at),
      period: quarterPeriod(report.quarter, seed.project.timeZone),
      batchIds: [...report.batchIds],
    }));
  }

  all(): Report[] {
    return this.reports;
  }

  get(id: string): Report | undefined {
    return this.reports.find((report) => report.id === id);
  }

  /**
   * The contract's Report. The shape of an `inclusions` item is undocumented: the simulator's is one
   * per batch, `{batch_id, tracking_id, start_time, end_time, amount, unit}`.
   */
  view(report: Report): Record<string, unknown> {
    const inclusions = report.batchIds.flatMap((id) => {
      const batch = this.batch(id);
      if (!batch) return [];
      const { tracking_id, start_time, end_time, primary_output } = batch;
      return [{ batch_id: id, tracking_id, start_time, end_time, amount: primary_output.value, unit: primary_output.unit }];
    });
    return {
      id: report.id,
      name: report.name,
      report_type: report.report_type,
      status: report.status,
      project_id: report.project_id,
      created_at: isoTimestamp(report.createdAtMs),
      updated_at: isoTimestamp(report.updatedAtMs),
      inclusions,
      allocation: null,
    };
  }

  /** `batchIds` replaces the set (whether Mangrove replaces or adds is undocumented). */
  change(report: Report, changes: ReportChanges, nowMs: number): void {
    if (changes.name !== undefined) report.name = changes.name;
    if (changes.status !== undefined) report.status = changes.status;
    if (changes.batchIds !== undefined) report.batchIds = [...new Set(changes.batchIds)];
    report.updatedAtMs = nowMs;
  }

  remove(id: string): boolean {
    const index = this.reports.findIndex((report) => report.id === id);
    if (index >= 0) this.reports.splice(index, 1);
    return index >= 0;
  }

  /** Why `report` cannot be submitted; empty when it can. */
  submissionProblems(report: Report): string[] {
    if (report.status !== 'draft') return [`Report is ${report.status}: only a draft report can be submitted`];
    if (report.batchIds.length === 0) return ['Report includes no batches'];
    return report.batchIds.flatMap((id) => {
      const batch = this.batch(id);
      if (!batch) return [`Batch ${id} does not exist`];
      const inside = Date.parse(batch.start_time) >= report.period.startMs && Date.parse(batch.end_time) <= report.period.endMs;
      return inside ? [] : [`Batch ${id} (${batch.tracking_id}) lies outside ${report.period.label}`];
    });
  }

  /**
   * Starts the submission task: the report is `submitting` until the task settles, then `complete`;
   * a failed task puts it back to `draft` (undocumented upstream), so it can be corrected and submitted again.
   */
  submit(report: Report, forced: TaskOutcome | undefined, nowMs: number): { id: string; status: string; async_task_id: number } {
    this.change(report, { status: 'submitting' }, nowMs);
    const taskId = this.tasks.create(
      {
        type: SUBMISSION_TASK_TYPE,
        args: { project_id: report.project_id, report_id: report.id },
        batchCount: report.batchIds.length,
        outcome: forced ?? { kind: 'complete' },
        onSettle: (outcome, atMs) => {
          // A report deleted or changed meanwhile by an operator (admin API) keeps what they did.
          if (this.get(report.id) !== report || report.status !== 'submitting') return;
          this.change(report, { status: outcome.kind === 'complete' ? 'complete' : 'draft' }, atMs);
        },
      },
      nowMs,
    );
    return { id: report.id, status: report.status, async_task_id: taskId };
  }
}
