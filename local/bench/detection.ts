/** How late the workflow notices a finished task, and what the waiting costs, on the virtual clock. */
import { benchRun, openWorld } from './workflow-run.js';
import type { Row } from './table.js';

interface Case {
  label: string;
  /** January 2025 of the demo makes 2 batches (Net Carbon Removal, Biochar Produced): duration = pending + 2 × perBatch. */
  timing: { pendingMs: number; perBatchMs: number };
  before: string;
  target: string;
  holds: (latencyS: number, polls: number, transitions: number) => boolean | null;
}

const CASES: Case[] = [
  { label: '15 s', timing: { pendingMs: 5_000, perBatchMs: 5_000 }, before: '15 s late', target: '≤ 5 s late', holds: (latency) => latency <= 5 },
  { label: '10 min', timing: { pendingMs: 60_000, perBatchMs: 270_000 }, before: '', target: '', holds: () => null },
  {
    label: '2 h',
    timing: { pendingMs: 600_000, perBatchMs: 3_300_000 },
    before: '240 polls / 733 transitions',
    target: '≤ 130 polls / ≤ 400 transitions',
    holds: (latency, polls, transitions) => Number.isFinite(latency) && polls <= 130 && transitions <= 400,
  },
];

export async function detectionRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const entry of CASES) {
    const world = await openWorld({ taskTiming: entry.timing });
    try {
      const run = await benchRun(world, { month: '2025-01' });
      const durationMs = entry.timing.pendingMs + 2 * entry.timing.perBatchMs;
      const [posted] = run.postedAtMs;
      const [seen] = run.completeSeenAtMs;
      const latencyS = posted !== undefined && seen !== undefined ? (seen - posted - durationMs) / 1000 : Number.NaN;
      const outcome = run.result.status === 'SUCCEEDED' ? '' : ` (run ${run.result.status}: ${run.result.error})`;
      rows.push({
        figure: `${entry.label} task, default polling: latency / polls / transitions`,
        measured: `${Number.isFinite(latencyS) ? `${latencyS.toFixed(1)} s` : 'never seen complete'} / ${run.polls} / ${run.transitions}${outcome}`,
        before: entry.before,
        target: entry.target,
        holds: entry.holds(latencyS, run.polls, run.transitions),
      });
    } finally {
      await world.close();
    }
  }
  return rows;
}
