/** What a run produced, as the CLI reports it: the `--json` summary and the human tables. */
import type { BatchSummary } from '../../functions/shared/batches.js';
import type { LocalEvent } from './run-locally.js';

export type BatchRow = BatchSummary;

export interface LedgerReport {
  id: string | null;
  name: string | null;
  /** The id or name the run was given, for a ledger that could not be resolved. */
  ref: string | null;
  outcome: string;
  previewCount: number | null;
  taskId: number | null;
  batches: BatchRow[];
  error?: string;
  cause?: string;
}

export interface RunReport {
  status: 'succeeded' | 'failed';
  window: { startTime: string; endTime: string; label: string } | null;
  ledgers: LedgerReport[];
  error?: string;
  cause?: string;
}

interface LedgerOutcome {
  ledger?: { ref?: string; id?: string; name?: string } | null;
  outcome: string;
  preview?: { ledgers: Array<{ id: string; name: string; count: number }> };
  taskId?: number;
  generation?: { taskId?: number };
  verification?: { ledgers: Array<{ id: string; name: string; batches: BatchRow[] }> };
  error?: string;
  cause?: string | null;
}

/** Builds the report from the run's events, which hold the per-ledger outcomes even when the run failed. */
export function buildRunReport(
  status: RunReport['status'],
  events: LocalEvent[],
  failure?: { error: string; cause: string },
): RunReport {
  const plan = stateOutput(events, 'ResolveRun') as { plan?: { window: RunReport['window'] } } | undefined;
  const mapped = stateOutput(events, 'ForEachLedger') as { results?: LedgerOutcome[] } | undefined;
  const ledgers = (mapped?.results ?? []).flatMap(reportLedger);
  const report: RunReport = { status, window: plan?.plan?.window ?? null, ledgers };
  if (failure) {
    report.error = failure.error;
    report.cause = readableCause(failure.cause);
  }
  return report;
}

function stateOutput(events: LocalEvent[], stateName: string): unknown {
  const exited = events.filter((event) => event.type === 'StateExited' && event.state?.name === stateName && event.index === undefined);
  return exited.at(-1)?.state?.output;
}

/** One entry per ledger the model wrote: a model may write several ledgers from one request. */
function reportLedger(result: LedgerOutcome): LedgerReport[] {
  const base = {
    ref: result.ledger?.ref ?? null,
    outcome: result.outcome,
    taskId: result.taskId ?? result.generation?.taskId ?? null,
    ...(result.error ? { error: result.error, cause: readableCause(result.cause ?? '') } : {}),
  };
  const written = result.preview?.ledgers ?? [];
  if (written.length === 0) {
    return [{ ...base, id: result.ledger?.id ?? null, name: result.ledger?.name ?? null, previewCount: null, batches: [] }];
  }
  return written.map((entry) => ({
    ...base,
    id: entry.id,
    name: entry.name,
    previewCount: entry.count,
    batches: result.verification?.ledgers.find((verified) => verified.id === entry.id)?.batches ?? [],
  }));
}

/** Lambda errors arrive as the runtime's JSON; people want its message. */
export function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Plain text already.
  }
  return cause;
}

const OUTCOME_TEXT: Record<string, string> = {
  generated: 'generated',
  'already-generated': 'already generated: batches exist in this window, nothing was sent (use --force to generate anyway)',
  'nothing-to-generate': 'nothing to generate: Mangrove previews 0 batches for this window',
  'dry-run': 'dry run: previewed only, nothing generated',
  failed: 'FAILED',
};

export function renderRunReport(report: RunReport, elapsedMs: number): string {
  const lines: string[] = [''];
  for (const ledger of report.ledgers) {
    const title = ledger.name ? `${ledger.name} (${ledger.id})` : `"${ledger.ref}"`;
    const preview = ledger.previewCount === null ? '' : `, preview ${ledger.previewCount}`;
    lines.push(`${title}: ${OUTCOME_TEXT[ledger.outcome] ?? ledger.outcome}${preview}`);
    if (ledger.error) lines.push(`  ${ledger.error}: ${ledger.cause ?? ''}`);
    if (ledger.batches.length > 0) lines.push(...batchTable(ledger.batches));
  }
  const created = report.ledgers.reduce((sum, ledger) => sum + ledger.batches.length, 0);
  const seconds = (elapsedMs / 1000).toFixed(1);
  lines.push('');
  lines.push(
    report.status === 'succeeded'
      ? `Succeeded in ${seconds} s: ${created} batch(es) generated for ${report.window?.label ?? 'the window'}.`
      : `Failed after ${seconds} s: ${report.error ?? 'error'}: ${report.cause ?? ''}`,
  );
  return lines.join('\n');
}

function batchTable(batches: BatchRow[]): string[] {
  const rows = batches.map((batch) => [
    batch.trackingId ?? batch.id,
    `${batch.startTime.slice(0, 10)} to ${batch.endTime.slice(0, 10)}`,
    batch.value === null ? '-' : batch.value.toFixed(3),
    batch.unit ?? '',
  ]);
  const total = batches.reduce((sum, batch) => sum + (batch.value ?? 0), 0);
  const units = [...new Set(batches.map((batch) => batch.unit ?? ''))];
  const footer = ['Total', '', total.toFixed(3), units.length === 1 ? (units[0] ?? '') : 'mixed units'];
  const table = [['Tracking ID', 'Window', 'Value', 'Unit'], ...rows, footer];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const format = (row: string[]): string =>
    `  ${row.map((cell, column) => (column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ')}`.trimEnd();
  return [format(table[0] as string[]), ...rows.map(format), format(footer)];
}
