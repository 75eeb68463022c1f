/** The demo run's Mangrove calls per endpoint, beside the fewest it could have made. */
import { DEMO_TASK_TIMING, demoSeed } from '../simulator/index.js';
import { itemOutcomes } from '../../cli/report/run-report.js';
import { minimumCalls } from './minimum-calls.js';
import { benchRun, DEPLOYED_DEFAULTS, openWorld } from './workflow-run.js';
import type { Row } from './table.js';

export async function apiCallRows(): Promise<Row[]> {
  const world = await openWorld({ taskTiming: DEMO_TASK_TIMING });
  try {
    const run = await benchRun(world, { from: '2025-01', to: '2025-03' });
    if (run.result.status !== 'SUCCEEDED') throw new Error(`the demo run failed: ${run.result.error}: ${run.result.cause}`);
    // Each branch's outcome is in the events; the run's output holds only the groups' summaries.
    const results = itemOutcomes(run.result.events).filter((result) => result.outcome === 'generated');
    const minimum = minimumCalls(
      {
        accountLedgers: demoSeed().ledgers.length,
        generations: results.map((result) => ({
          writtenLedgers: result.preview?.ledgers.filter((ledger) => ledger.count > 0).length ?? 0,
          durationSeconds: (DEMO_TASK_TIMING.pendingMs + (result.preview?.total ?? 0) * DEMO_TASK_TIMING.perBatchMs) / 1000,
        })),
      },
      DEPLOYED_DEFAULTS,
    );
    const measured = new Map<string, number>();
    for (const request of world.sim.requests) {
      const route = request.route ?? `${request.method} ${request.path}`;
      measured.set(route, (measured.get(route) ?? 0) + 1);
    }
    const routes = [...new Set([...minimum.keys(), ...measured.keys()])];
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    const row = (figure: string, got: number, least: number): Row => ({ figure, measured: String(got), before: '', target: `≤ ${least} (minimum)`, holds: got <= least });
    return [
      row(`demo API calls (npm start's run: 1 ledger named, ${results.length} generation, 3 months)`, total(measured), total(minimum)),
      ...routes.map((route) => row(`  ${route}`, measured.get(route) ?? 0, minimum.get(route) ?? 0)),
    ];
  } finally {
    await world.close();
  }
}
