/**
 * Many ledgers in one run against the simulator at its real per-token limit (1,000 a minute), on
 * the virtual clock: "simulated" is the wall time the run would take against Mangrove.
 */
import { portfolioSeed } from './portfolio-seed.js';
import { benchRun, openWorld } from './workflow-run.js';
import type { Row } from './table.js';

/** A 2-minute generation for a ledger with a model of its own (one batch): 20 s pending, 100 s per batch. */
const TWO_MINUTES = { pendingMs: 20_000, perBatchMs: 100_000 };
export const PORTFOLIO_SIZES = [1, 20, 100, 500];

function anchors(size: number): Pick<Row, 'before' | 'target'> {
  if (size === 100) return { before: '', target: '≤ 20 min, 0 × 429' };
  if (size === 500) return { before: 'refused (cap 25)', target: 'runs (≥ 500 per run)' };
  return { before: '', target: '' };
}

export async function portfolioRows(sizes = PORTFOLIO_SIZES): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const { seed, ledgerIds, models } = portfolioSeed(size);
    const world = await openWorld({ seed, taskTiming: TWO_MINUTES });
    const figure = `${size} ledger(s) (${models} models) × 2-min generation, one run`;
    try {
      const run = await benchRun(world, { month: '2025-01', ledgers: ledgerIds });
      if (run.result.status === 'FAILED' && run.result.error === 'InvalidInputError') {
        rows.push({ figure, measured: `refused: ${firstLine(run.result.cause)}`, ...anchors(size), holds: anchors(size).target ? false : null });
        continue;
      }
      const requests = world.sim.requests;
      const limited = requests.filter((request) => request.status === 429).length;
      const minutes = run.simulatedSeconds / 60;
      rows.push({
        figure,
        measured:
          `${run.result.status}${run.result.status === 'FAILED' ? ` (${run.result.error})` : ''}, ${run.postedAtMs.length} generation(s), ${minutes.toFixed(1)} min simulated ` +
          `(${run.realSeconds.toFixed(1)} s real), ${requests.length} calls, peak ${peakPerMinute(requests.map((request) => Date.parse(request.at)))}/min, ${limited} × 429`,
        ...anchors(size),
        holds: size === 100 ? run.result.status === 'SUCCEEDED' && minutes <= 20 && limited === 0 : size === 500 ? run.result.status === 'SUCCEEDED' : null,
      });
    } finally {
      await world.close();
    }
  }
  return rows;
}

/** The most requests in any 60 s sliding window of the virtual clock. */
function peakPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 60_000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** The refusal's own words: the Lambda error JSON's message, its first line. */
function firstLine(cause: string): string {
  let message = cause;
  try {
    message = String((JSON.parse(cause) as { errorMessage?: unknown }).errorMessage ?? cause);
  } catch {
    // Not the Lambda error JSON: the cause as it came.
  }
  // The run report's lead-in ("none (the run stopped before any ledger) at ResolveRun: ") says nothing here.
  return (message.split('\n')[0] ?? '').replace(/^none \(the run stopped before any ledger\) at \w+: /, '');
}
