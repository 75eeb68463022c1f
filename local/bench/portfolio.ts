/**
 * Many ledgers in one run against the simulator at its real per-token limit (1,000 a minute). The
 * fake clock makes "simulated" the wall time the run would take against Mangrove.
 */
import { benchRun, openWorld } from './workflow-run.js';
import { portfolioSeed } from './portfolio-seed.js';
import type { Row } from './table.js';

/** A 2-minute generation: 20 s pending, then one batch (each bench model writes one ledger) in 100 s. */
const TWO_MINUTES = { pendingMs: 20_000, perBatchMs: 100_000 };
/** 10: the most that fit one execution at the deployed defaults today (10 × (120 + 15) min ≤ 24 h). */
export const PORTFOLIO_SIZES = [1, 10, 20, 100, 500];

export async function portfolioRows(sizes = PORTFOLIO_SIZES): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const { seed, ledgerIds } = portfolioSeed(size);
    const world = await openWorld({ seed, taskTiming: TWO_MINUTES });
    const realStart = performance.now();
    try {
      const run = await benchRun(world, { month: '2025-01', ledgers: ledgerIds });
      const realSeconds = (performance.now() - realStart) / 1000;
      const target = size === 100 ? '≤ 20 min, 0 × 429' : size === 500 ? 'runs (≥ 500 per run)' : '';
      const before = size === 100 ? '3.4 h (if allowed)' : size >= 25 ? 'refused' : '';
      if (run.result.status === 'FAILED' && run.result.error === 'InvalidInputError') {
        rows.push({ figure: `${size} ledger(s) × 2-min generation`, measured: `refused: ${firstLine(run.result.cause)}`, before, target, holds: target ? false : null });
        continue;
      }
      const requests = world.sim.requests;
      const limited = requests.filter((request) => request.status === 429).length;
      const minutes = run.simulatedSeconds / 60;
      rows.push({
        figure: `${size} ledger(s) × 2-min generation`,
        measured: `${run.result.status}, ${minutes.toFixed(1)} min simulated (${realSeconds.toFixed(1)} s real), ${requests.length} calls, peak ${peakPerMinute(requests.map((request) => Date.parse(request.at)))}/min, ${limited} × 429`,
        before,
        target,
        holds: size === 100 ? minutes <= 20 && limited === 0 : size === 500 ? run.result.status === 'SUCCEEDED' : null,
      });
    } finally {
      await world.close();
    }
  }
  return rows;
}

/** The most requests in any 60 s sliding window. */
function peakPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 60_000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function firstLine(text: string): string {
  const cause = (() => {
    try {
      return String((JSON.parse(text) as { errorMessage?: string }).errorMessage ?? text);
    } catch {
      return text;
    }
  })();
  return cause.replace(/^none \(the run stopped before any ledger\) at ResolveRun: /, "").split('\n')[0]?.slice(0, 160) ?? '';
}
