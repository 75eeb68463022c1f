/** The demo run's Mangrove calls per endpoint, beside the fewest it could have made. */
import { DEMO_TASK_TIMING, demoSeed } from '../simulator/index.js';
import { itemOutcomes } from '../../cli/report/run-report.js';
import { minimumCalls, schedulePollsFor } from './minimum-calls.js';
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
    const generationCalls = countByRoute(world.sim.requests);

    // Then the quarter's report, as `submit-report --quarter 2025-Q1` sends it: the months are generated.
    const before = world.sim.requests.length;
    const submission = await benchRun(world, { quarter: '2025-Q1' });
    if (submission.result.status !== 'SUCCEEDED') throw new Error(`the submission run failed: ${submission.result.error}: ${submission.result.cause}`);
    const report = (world.sim.reports() as Array<{ id: string; inclusions: unknown[] }>).find((candidate) => candidate.id === 'rpt_q12025carbon');
    const batches = report?.inclusions.length ?? 0;
    const submissionCalls = countByRoute(world.sim.requests.slice(before));
    const submissionMinimum = new Map([
      // The configured ledger is a name; its records are kept by id.
      ['GET /ledgers', Math.ceil(demoSeed().ledgers.length / 100)],
      ['GET /reports', 1],
      // Not in the minimum: the product reads the report again once the quarter is claimed (no ETag).
      ['GET /reports/:id', 0],
      ['PATCH /reports/:id', 1],
      ['POST /reports/:id/submit', 1],
      ['GET /async_tasks/:id', schedulePollsFor((DEMO_TASK_TIMING.pendingMs + batches * DEMO_TASK_TIMING.perBatchMs) / 1000, DEPLOYED_DEFAULTS)],
    ]);
    return [
      ...callRows(`demo API calls (npm start's run: 1 ledger named, ${results.length} generation, 3 months)`, generationCalls, minimum),
      ...callRows(`quarter submission API calls (submit-report --quarter 2025-Q1, after the months: ${batches} batches)`, submissionCalls, submissionMinimum),
    ];
  } finally {
    await world.close();
  }
}

function countByRoute(requests: ReadonlyArray<{ route?: string | null; method: string; path: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const route = request.route ?? `${request.method} ${request.path}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return counts;
}

/** A total row, then one per endpoint, each beside the fewest calls it could have been. */
function callRows(figure: string, measured: Map<string, number>, minimum: Map<string, number>): Row[] {
  const routes = [...new Set([...minimum.keys(), ...measured.keys()])];
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const row = (name: string, got: number, least: number): Row => ({ figure: name, measured: String(got), before: '', target: `≤ ${least} (minimum)`, holds: got <= least });
  return [row(figure, total(measured), total(minimum)), ...routes.map((route) => row(`  ${route}`, measured.get(route) ?? 0, minimum.get(route) ?? 0))];
}
