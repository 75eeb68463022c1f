/** The demo run's Mangrove calls per endpoint, beside the least the workflow can do with. */
import { DEMO_TASK_TIMING } from '../simulator/index.js';
import { benchRun, openWorld } from './workflow-run.js';
import type { Row } from './table.js';

export async function apiCallRows(): Promise<Row[]> {
  const world = await openWorld({ taskTiming: DEMO_TASK_TIMING });
  try {
    const run = await benchRun(world, { from: '2025-01', to: '2025-03' });
    const perRoute = new Map<string, number>();
    for (const request of world.sim.requests) perRoute.set(request.route ?? request.path, (perRoute.get(request.route ?? request.path) ?? 0) + 1);
    const count = (route: string) => perRoute.get(route) ?? 0;
    const written = 2; // the preview names Net Carbon Removal and Biochar Produced
    // One listing to find the ledger by name, one inputs read, one preview, one POST, the polls the
    // schedule makes, and per ledger the preview names: one look for existing batches (Mangrove has no
    // idempotency key) and one verify read.
    const minimum = 1 + 1 + 1 + 1 + run.polls + written + written;
    const total = world.sim.requests.length;
    const detail = [...perRoute.entries()].map(([route, n]) => `${route} ${n}`).join(', ');
    return [
      { figure: 'demo API calls (npm start run, 1 ledger × 3 months)', measured: `${total} (minimum ${minimum})`, before: '14 (= minimum)', target: '= minimum', holds: total <= minimum },
      { figure: '  per endpoint', measured: detail, before: '', target: '', holds: null },
      { figure: '  polls of the demo task (3.0 s, first poll at 5 s)', measured: String(count('GET /async_tasks/:id')), before: '', target: '', holds: null },
    ];
  } finally {
    await world.close();
  }
}
